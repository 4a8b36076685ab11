"""A run's tokens, cost and time, summed over its samples.

An Inspect log's own totals (`stats.model_usage`, `started_at`..`completed_at`) cover only the
invocation that wrote it; a run resumed after a kill keeps the earlier invocations' samples, so
psetbench sums over the samples instead. Calls the response cache answered cost nothing and
add no usage in Inspect: they are counted apart (see `CACHED_KEY`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from psetbench.models._progress import CACHED_KEY


class _Sample(Protocol):
    """What EvalSample and EvalSampleSummary share and the figures need."""

    @property
    def model_usage(self) -> dict[str, Any]: ...
    @property
    def metadata(self) -> dict[str, Any]: ...
    @property
    def started_at(self) -> str | None: ...
    @property
    def completed_at(self) -> str | None: ...


@dataclass(frozen=True)
class Figures:
    input_tokens: int = 0
    output_tokens: int = 0
    cached_calls: int = 0
    cached_input_tokens: int = 0
    cached_output_tokens: int = 0
    active_seconds: float | None = None  # time with at least one sample running


def _time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def active_seconds(intervals: Iterable[tuple[datetime, datetime]]) -> float | None:
    """Length of the union of the intervals: the run's wall time over all its invocations,
    without the time between a kill and the rerun."""
    total = 0.0
    end: datetime | None = None
    start: datetime | None = None
    seen = False
    for a, b in sorted(intervals):
        seen = True
        if end is None or a > end:
            if start is not None and end is not None:
                total += (end - start).total_seconds()
            start, end = a, b
        elif b > end:
            end = b
    if start is not None and end is not None:
        total += (end - start).total_seconds()
    return total if seen else None


def sample_figures(samples: Iterable[_Sample]) -> Figures:
    tokens_in = tokens_out = calls = cached_in = cached_out = 0
    intervals: list[tuple[datetime, datetime]] = []
    for sample in samples:
        for usage in (sample.model_usage or {}).values():
            tokens_in += usage.input_tokens
            tokens_out += usage.output_tokens
        cached = (sample.metadata or {}).get(CACHED_KEY)
        if isinstance(cached, dict):
            for entry in cached.values():
                if isinstance(entry, dict):
                    calls += int(entry.get("calls", 0))
                    cached_in += int(entry.get("input_tokens", 0))
                    cached_out += int(entry.get("output_tokens", 0))
        a, b = _time(sample.started_at), _time(sample.completed_at)
        if a is not None and b is not None and b >= a:
            intervals.append((a, b))
    return Figures(input_tokens=tokens_in, output_tokens=tokens_out,
                   cached_calls=calls, cached_input_tokens=cached_in,
                   cached_output_tokens=cached_out, active_seconds=active_seconds(intervals))


def log_figures(location: str) -> Figures | None:
    """The figures of a log file, from its sample summaries (no transcript is read)."""
    from inspect_ai.log import read_eval_log_sample_summaries

    try:
        return sample_figures(read_eval_log_sample_summaries(location))
    except Exception:  # an unreadable or summary-less log: the caller keeps the log's totals
        return None


class _HasFigures(Protocol):
    input_tokens: int
    output_tokens: int
    cached_calls: int
    cached_input_tokens: int
    cached_output_tokens: int
    active_seconds: float | None


def apply_figures(run: _HasFigures, figures: Figures) -> None:
    """Put the samples' figures on a run (a `psetbench.grading.Run`)."""
    run.input_tokens = figures.input_tokens
    run.output_tokens = figures.output_tokens
    run.cached_calls = figures.cached_calls
    run.cached_input_tokens = figures.cached_input_tokens
    run.cached_output_tokens = figures.cached_output_tokens
    run.active_seconds = figures.active_seconds
