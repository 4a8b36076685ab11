"""`psetbench run`: every strategy of one set on one model, as one resumable Inspect eval set."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_ai import eval_set
from inspect_ai.log import EvalLog
from inspect_ai.model import Model

from psetbench.errors import PsetbenchError
from psetbench.grading import Run, collecting, read_run, run_from_sink
from psetbench.grading._sink import SampleKey
from psetbench.models import (
    Limits,
    ResolvedModel,
    apply_figures,
    check_model,
    check_reachable,
    current_limits,
    log_figures,
    open_model,
    proxy_bypass,
    using_limits,
)
from psetbench.problemset import LoadedSet, load_problem_set
from psetbench.runs._task import build_task
from psetbench.strategies import check_strategy, load_prompt
from psetbench.types import PartGrade

DEFAULT_STRATEGIES = ("one-turn", "per-part")
DEFAULT_LOG_ROOT = "psetbench-logs"
# A llama.cpp server answers one request at a time, and a small local model can ramble until
# its context is full: bound each reply and queue few requests, so a run ends in minutes.
LOCAL_DEFAULTS: dict[str, Any] = {"max_connections": 2, "max_tokens": 256}


class RunError(PsetbenchError, RuntimeError):
    pass


@dataclass
class RunOptions:
    strategies: Sequence[str] = DEFAULT_STRATEGIES
    model: str | Model | None = None  # a Model object serves tests and library callers
    model_args: dict[str, Any] = field(default_factory=dict)
    prompt: str = "expert"
    epochs: int = 1
    log_dir: str | None = None
    max_connections: int | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    cache: bool = True
    attach_figures: bool | None = None  # None: attach for models that take images
    display: str | None = None
    live: bool = False  # stream sample events for `inspect view`'s live view (costs throughput)
    grader: str | None = None
    judge_votes: int = 1
    limits: Limits | None = None  # None: the current limits (the defaults unless set)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    log_dir: str
    success: bool
    runs: list[Run]
    model: str


def slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]+", "-", text).strip("-").lower() or "model"


def default_log_dir(set_id: str, model: str) -> str:
    return str(Path(DEFAULT_LOG_ROOT) / set_id / slug(model))


def run_set(set_path: str | Path, options: RunOptions) -> RunResult:
    """Run each strategy; an interrupted run resumes where it stopped when run again."""
    loaded: LoadedSet = load_problem_set(set_path)
    strategies = [check_strategy(s) for s in options.strategies]
    if len(set(strategies)) != len(strategies):
        raise RunError("a strategy is named twice; name each once")
    prompt = load_prompt(options.prompt)
    if options.grader is not None:
        check_model(options.grader, role="grader")
    with using_limits(options.limits):
        if isinstance(options.model, Model):
            name = str(options.model)
            given = ResolvedModel(name=name, model_args={}, display=name, local=False,
                                  base_url=None)
            return _run(loaded, strategies, prompt, given, options, model_object=options.model)
        with open_model(options.model, model_args=options.model_args) as model:
            if not model.local:
                check_reachable(model)
            return _run(loaded, strategies, prompt, model, options)


def _read(log: EvalLog, sink: dict[SampleKey, list[PartGrade]]) -> Run:
    """A finished log's run: grades the scorer made in this process need no second parse of
    the log, and its figures come from the sample summaries (all invocations)."""
    assert log.location
    run = run_from_sink(log, sink)
    if run is None:
        return read_run(log.location)
    figures = log_figures(log.location)
    if figures is not None:
        apply_figures(run, figures)
    return run


def _run(
    loaded: LoadedSet,
    strategies: list[str],
    prompt: Any,
    model: ResolvedModel,
    options: RunOptions,
    model_object: Model | None = None,
) -> RunResult:
    attach = options.attach_figures if options.attach_figures is not None else not model.local
    tasks = [build_task(loaded, s, prompt, attach_figures=attach, cache=options.cache,
                        grader=options.grader, judge_votes=options.judge_votes)
             for s in strategies]
    log_dir = options.log_dir or default_log_dir(loaded.pset.id, model.name)
    config: dict[str, Any] = current_limits().generate_args()
    if model.local:
        config.update(LOCAL_DEFAULTS)
    for key in ("max_connections", "max_tokens", "temperature", "seed"):
        value = getattr(options, key)
        if value is not None:
            config[key] = value
    if model_object is None and model.explicit:
        model_object = model.inspect_model()  # address and key as arguments, not os.environ
    with proxy_bypass(model.env), collecting() as sink:
        success, logs = eval_set(
            tasks,
            log_dir=log_dir,
            model=model_object or model.name,
            model_args={} if model_object else model.model_args,
            epochs=options.epochs,
            log_dir_allow_dirty=True,
            # A sample whose model calls fail after their retries (see `Limits`) fails
            # the task at the end, leaving the other samples to finish; a rerun retries it.
            retry_attempts=0,
            continue_on_fail=True,
            retry_immediate=False,  # (no task-level retries to make immediate)
            # Throughput: strategies run side by side in one eval set (one fixed cost), and
            # events are written when a sample ends rather than streamed, unless asked.
            max_tasks=len(tasks),
            log_realtime=options.live,
            display=options.display,  # type: ignore[arg-type]
            **config,
            **options.extra,
        )
    runs = [_read(log, sink) for log in logs if log.location]
    return RunResult(log_dir=log_dir, success=success, runs=runs, model=model.display)
