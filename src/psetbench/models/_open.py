"""`open_model`: turn a `--model` spec into a model Inspect can run, serving local ones."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psetbench.models._files import LOCAL_EXTRA_HINT, qwen_coder_path, smollm2_path
from psetbench.models._providers import resolve_provider_model
from psetbench.models._server import local_server, python_module_command
from psetbench.models._types import ModelError, ResolvedModel

LOCAL_SERVICE = "local"  # local models are `openai-api/local/SLUG`, address and key passed in
LOCAL_API_KEY = "local"
MAX_CONTEXT = 16384  # cap on the server's context; bigger only costs memory for homework
DEFAULT_CONTEXT = 4096  # when the GGUF does not say
TIMEOUT_VAR = "PSETBENCH_SERVER_TIMEOUT"
DEFAULT_TIMEOUT_S = 120.0

# Model args that configure the local server rather than Inspect's client.
SERVER_ARGS = {"n_ctx": int, "n_threads": int, "n_gpu_layers": int, "chat_format": str}

# What the server needs: the [local] extra (llama-cpp-python[server]).
_SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context",
                   "pydantic_settings")


@dataclass(frozen=True)
class LocalModel:
    """A GGUF psetbench can serve: its stable slug, its report name and where the file is."""

    slug: str
    display: str
    path: Callable[[], Path]


SMOLLM2 = LocalModel("smollm2-135m-instruct", "smollm2-135m (local)", smollm2_path)
QWEN_CODER = LocalModel("qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-1.5b (local)",
                        qwen_coder_path)
LOCAL_MODELS: dict[str, LocalModel] = {
    "smollm2": SMOLLM2,
    "smollm2-135m": SMOLLM2,
    "smollm2-135m-instruct": SMOLLM2,
    "qwen2.5-coder-1.5b": QWEN_CODER,
    "qwen2.5-coder-1.5b-instruct": QWEN_CODER,
}


def is_local_spec(spec: str | None) -> bool:
    return spec is None or spec == "local" or spec.startswith("local/")


def local_model(spec: str | None) -> LocalModel:
    """The local model a spec names: None/'local', 'local/ALIAS' or 'local/PATH.gguf'."""
    rest = "" if spec is None or spec == "local" else spec.removeprefix("local/")
    if not rest:
        return SMOLLM2
    if rest in LOCAL_MODELS:
        return LOCAL_MODELS[rest]
    if rest.lower().endswith(".gguf"):
        path = Path(rest).expanduser()
        if not path.is_file():
            raise ModelError(f"GGUF file not found: {path} (from --model {spec})")
        slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "model"
        return LocalModel(slug, f"{path.stem} (local)", lambda: path.resolve())
    raise ModelError(
        f"Unknown local model {spec!r}: use 'local', 'local/qwen2.5-coder-1.5b' or "
        "'local/PATH.gguf'"
    )


def check_server_installed() -> None:
    for module in _SERVER_MODULES:
        if importlib.util.find_spec(module) is None:
            raise ModelError(LOCAL_EXTRA_HINT)


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null: llama.cpp logs from C, past Python's sys.stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def gguf_context_length(path: Path) -> int | None:
    """The training context length recorded in the GGUF (read without loading the weights)."""
    try:
        from llama_cpp import Llama

        with _native_stderr_silenced():
            metadata = Llama(str(path), vocab_only=True, verbose=False).metadata
    except Exception as exc:  # llama.cpp raises ValueError and others for unreadable files
        raise ModelError(f"llama.cpp cannot read {path}: {exc}; is it a GGUF model?") from exc
    arch = metadata.get("general.architecture", "")
    value = metadata.get(f"{arch}.context_length")
    return int(value) if value and str(value).isdigit() else None


def _thread_count() -> int:
    # One thread per usable core, at most 8: more only adds contention for models this small.
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def llama_server_command(
    path: Path, alias: str, options: dict[str, Any]
) -> Callable[[int], list[str]]:
    """argv builder for llama-cpp-python's OpenAI-compatible server on a given port."""

    def command(port: int) -> list[str]:
        args = ["--model", str(path), "--model_alias", alias, "--host", "127.0.0.1",
                "--port", str(port), "--use_mlock", "False",
                # never cut a streamed reply short when another request arrives
                "--interrupt_requests", "False"]
        for key, value in options.items():
            args += [f"--{key}", str(value)]
        return python_module_command("llama_cpp.server", *args)

    return command


def server_options(path: Path, model_args: dict[str, Any]) -> dict[str, Any]:
    """Server settings from the model args (taken out of them), with sensible defaults."""
    options: dict[str, Any] = {}
    for key, kind in SERVER_ARGS.items():
        if key in model_args:
            raw = model_args.pop(key)
            try:
                options[key] = kind(raw)
            except ValueError:
                raise ModelError(f"--model-arg {key}={raw!r}: expected {kind.__name__}") from None
    if "n_ctx" not in options:
        options["n_ctx"] = min(gguf_context_length(path) or DEFAULT_CONTEXT, MAX_CONTEXT)
    options.setdefault("n_threads", _thread_count())
    options.setdefault("n_threads_batch", options["n_threads"])
    return options


def _timeout() -> float:
    raw = os.environ.get(TIMEOUT_VAR)
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        raise ModelError(f"{TIMEOUT_VAR}={raw!r}: expected a number of seconds") from None


def _preferred_port(name: str) -> int:
    # The same model asks for the same port every run, so the base URL in Inspect's
    # response-cache key is stable; another port is used only when this one is taken.
    return 20000 + zlib.crc32(name.encode()) % 10000


def _no_proxy_env() -> dict[str, str]:
    """Keep HTTP clients from sending loopback traffic to a configured proxy."""
    if not any(os.environ.get(v) for v in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")):
        return {}
    current = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    value = ",".join(filter(None, [current, "127.0.0.1", "localhost"]))
    return {"NO_PROXY": value, "no_proxy": value}


@contextlib.contextmanager
def proxy_bypass(env: Mapping[str, str]) -> Iterator[None]:
    """`NO_PROXY` for the length of a run that talks to a loopback server while a proxy is
    configured (empty otherwise, and then nothing is touched). httpx, under the OpenAI client
    Inspect builds, reads proxies only from the environment; the alternative, an `http_client`
    model argument, would enter the task's identity and break resuming. Restored on exit."""
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def serve_local(
    model: LocalModel,
    model_args: dict[str, Any] | None = None,
    *,
    command: Callable[[int], list[str]] | None = None,
    timeout: float | None = None,
) -> Iterator[ResolvedModel]:
    """Serve a local model for the duration of the block. `command(port)` replaces the server."""
    args = dict(model_args or {})
    if "base_url" in args:
        raise ModelError("--model-arg base_url is for remote models; a local model picks its own")
    name = f"openai-api/{LOCAL_SERVICE}/{model.slug}"
    if command is None:
        check_server_installed()
        path = model.path()
        command = llama_server_command(path, model.slug, server_options(path, args))
        hint = (f"Run `{sys.executable} -m llama_cpp.server --model {path}` to see the full "
                f"error, or set {TIMEOUT_VAR} to wait longer")
    else:
        hint = ""
    with local_server(command, label=model.display, preferred_port=_preferred_port(name),
                      timeout=timeout if timeout is not None else _timeout(), hint=hint) as url:
        yield ResolvedModel(name=name, model_args=args, display=model.display, local=True,
                            base_url=url, api_key=LOCAL_API_KEY, env=_no_proxy_env())


@contextlib.contextmanager
def open_model(spec: str | None, *, model_args: dict[str, Any] | None = None
               ) -> Iterator[ResolvedModel]:
    """Resolve `--model`; for a local model, run its server until the block exits.

    `None` or `"local"` is the embedded SmolLM2-135M; `"local/qwen2.5-coder-1.5b"` the opt-in
    Qwen2.5-Coder; `"local/PATH.gguf"` any GGUF file; anything else is an Inspect model name
    (`openai/gpt-4o`, `anthropic/...`, `openai-api/NAME/MODEL`), checked for a known provider
    and its API key before anything runs.
    """
    if spec is None or is_local_spec(spec):
        with serve_local(local_model(spec), model_args) as resolved:
            yield resolved
    else:
        yield resolve_provider_model(spec.strip(), model_args or {})
