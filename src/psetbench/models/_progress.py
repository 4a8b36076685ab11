"""What psetbench says while Inspect retries a model call, and which calls the cache answered.

Both come from Inspect's hooks (`on_model_retry`, `on_model_cache_usage`), active only inside
`using_limits`: a retry prints one line ("openai/gpt-4o: server returned 500, retry 3/6 in
14 s"), and a cache hit is counted in the sample's metadata under `CACHED_KEY` (metadata,
unlike the store, is in the log's cheap sample summaries), so a run's figures can show cached
calls apart, across every invocation of a resumed run.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspect_ai.hooks import ModelCacheUsageData, ModelRetry

    from psetbench.models._limits import Limits

CACHED_KEY = "psetbench:cached"
logger = logging.getLogger("psetbench")

_active: list[Limits] = []


def describe_retry(data: ModelRetry, limits: Limits) -> str:
    """One line about a retry, naming what failed and what happens next."""
    if data.exception_type == "AttemptTimeoutError":
        what = f"no reply within {limits.request_timeout} s"
    elif data.status_code == 429:
        what = "rate limited (429)"
    elif data.status_code is not None:
        what = f"server returned {data.status_code}"
    elif data.exception_type:
        what = f"request failed ({data.exception_type})"
    else:
        what = "request failed"
    return (f"{data.model_name}: {what}, retry {data.attempt}/{limits.max_retries} "
            f"in {data.wait_time:.0f} s")


def say(line: str) -> None:
    """A progress line: through Inspect's display (which keeps its layout intact), or straight
    to stderr when that display is off (`--display none`)."""
    from inspect_ai.util import display_type

    if display_type() == "none":
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    else:
        logger.warning(line)


def record_cache_hit(data: ModelCacheUsageData) -> None:
    """Count a call the response cache answered in the active sample's metadata."""
    try:  # Inspect's current sample state; a private accessor, hence the guard
        from inspect_ai.solver._task_state import sample_state

        state = sample_state()
    except Exception:
        return
    if state is None:  # a cache hit outside a sample (e.g. narration): nothing to record
        return
    counts: dict[str, Any] = dict(state.metadata.get(CACHED_KEY) or {})
    entry = dict(counts.get(data.model_name) or {})
    entry["calls"] = int(entry.get("calls", 0)) + 1
    entry["input_tokens"] = int(entry.get("input_tokens", 0)) + data.usage.input_tokens
    entry["output_tokens"] = int(entry.get("output_tokens", 0)) + data.usage.output_tokens
    counts[data.model_name] = entry
    state.metadata[CACHED_KEY] = counts


_registered: list[bool] = []


def _register() -> None:
    """Register the hook once (on first use, so importing psetbench stays light)."""
    if _registered:
        return
    from inspect_ai.hooks import Hooks, hooks
    from inspect_ai.model import get_model

    # Inspect announces the hooks enabled when it first loads them; load them before ours
    # exists, so a run does not start with that banner.
    get_model("none")

    @hooks(name="psetbench_progress", description="psetbench: retry lines, cached calls")
    class _Progress(Hooks):
        def enabled(self) -> bool:
            return bool(_active)

        async def on_model_retry(self, data: ModelRetry) -> None:
            if _active:
                say(describe_retry(data, _active[-1]))

        async def on_model_cache_usage(self, data: ModelCacheUsageData) -> None:
            record_cache_hit(data)

    _registered.append(True)


@contextlib.contextmanager
def reporting_retries(limits: Limits) -> Iterator[None]:
    _register()
    _active.append(limits)
    try:
        yield
    finally:
        _active.pop()
