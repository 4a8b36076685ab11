"""Fail fast when a model server named by a base URL does not answer.

Inspect retries connection errors with backoff for minutes, which is right for a flaky cloud
API and wrong for a local server that was never started: one TCP connect tells them apart.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

from psetbench.models._errors import scrub
from psetbench.models._types import ModelError, ResolvedModel

# providers whose server usually runs on the user's machine, and where its address comes from
DEFAULT_URLS = {"ollama": ("OLLAMA_BASE_URL", "http://localhost:11434/v1")}


def base_url_of(model: ResolvedModel) -> tuple[str | None, str | None]:
    """(url, the variable it came from) for a model, or (None, None) when it uses a cloud API."""
    if model.base_url:
        return model.base_url, None
    provider, _, rest = model.name.partition("/")
    if provider == "openai-api" and "/" in rest:
        var = rest.split("/", 1)[0].upper().replace("-", "_") + "_BASE_URL"
        return os.environ.get(var), var
    if provider in DEFAULT_URLS:
        var, default = DEFAULT_URLS[provider]
        return os.environ.get(var, default), var
    var = f"{provider.upper().replace('-', '_')}_BASE_URL"
    return os.environ.get(var), (var if os.environ.get(var) else None)


def check_reachable(model: ResolvedModel, timeout: float = 3.0) -> None:
    """Raise ModelError naming the address when nothing listens there."""
    url, var = base_url_of(model)
    if not url:
        return
    parsed = urlparse(url)
    host = parsed.hostname
    if host is None:
        raise ModelError(f"{var or 'base URL'}={scrub(url)!r} is not a URL; write e.g. "
                         "http://127.0.0.1:8000/v1")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = f" (from {var})" if var else ""
        raise ModelError(f"cannot reach the model server at {scrub(url)}{where}: {reason}; "
                         "start the server or correct the address") from None
