"""The verbs of `import psetbench`: thin, typed wrappers over the stages' own functions.

Each imports its stage when called, so `import psetbench` stays light (the command line
imports it too). Every error a user can fix is a `PsetbenchError` with a one-line message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from inspect_ai.model import Model

    from psetbench.calibrate import Calibration
    from psetbench.compare import Comparison
    from psetbench.draft import DraftSummary
    from psetbench.grading import Run
    from psetbench.importers import ImportResult
    from psetbench.labels import LabelsFile
    from psetbench.models import Limits
    from psetbench.problemset import ProblemSet
    from psetbench.types import PartGrade

PathLike = str | Path
Logs = PathLike | Sequence[PathLike]


def _paths(logs: Logs) -> list[str]:
    """One path or several, as strings."""
    return [str(logs)] if isinstance(logs, str | Path) else [str(p) for p in logs]


def load_set(path: PathLike) -> ProblemSet:
    """Load and validate a problem-set YAML file.

    Raises `ProblemSetError` (a `PsetbenchError`) listing every problem as file:line:column.
    """
    from psetbench.problemset import load_problem_set

    return load_problem_set(path).pset


def run(
    set_path: PathLike,
    *,
    model: str | Model | None = None,
    strategies: Sequence[str] = ("one-turn", "per-part"),
    prompt: str = "expert",
    epochs: int = 1,
    log_dir: PathLike | None = None,
    model_args: dict[str, Any] | None = None,
    grader: str | None = None,
    judge_votes: int = 1,
    max_connections: int | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    cache: bool = True,
    display: str | None = None,
    limits: Limits | None = None,
) -> list[Run]:
    """Ask a problem set under each strategy on a model, grade every part, and return the runs
    (one per strategy), as `psetbench run` does without writing the report.

    `model` is an Inspect model name, an Inspect `Model`, or None for the embedded local
    model. Logs go to `log_dir` (default psetbench-logs/SET/MODEL); running again resumes.
    A sample that failed is graded `ungraded` with its error; its run's `error` says why.
    """
    from psetbench.runs import RunOptions, run_set

    options = RunOptions(
        strategies=tuple(strategies), model=model, prompt=prompt, epochs=epochs,
        log_dir=None if log_dir is None else str(log_dir), model_args=dict(model_args or {}),
        grader=grader, judge_votes=judge_votes, max_connections=max_connections,
        max_tokens=max_tokens, temperature=temperature, cache=cache, display=display,
        limits=limits)
    return run_set(set_path, options).runs


def grade(logs: Logs, *, grader: str | None = None, votes: int = 1) -> list[Run]:
    """Grade logs again from their stored replies, in place (never calls the solving model);
    with `grader`, an LLM judge also grades each part, `votes` times."""
    from psetbench.grading import regrade

    return regrade(_paths(logs), grader=grader, votes=votes)


def read_runs(logs: Logs, *, regrade: bool = False) -> list[Run]:
    """The graded runs in log files or folders (the latest log of each run)."""
    from psetbench.grading import read_runs as read

    return read(_paths(logs), regrade=regrade)


def read_grades(logs: Logs, *, regrade: bool = False) -> list[PartGrade]:
    """Every part's grade in log files or folders, as `psetbench grades --format jsonl`."""
    return [g for r in read_runs(logs, regrade=regrade) for g in r.grades]


def compare(log_a: PathLike, log_b: PathLike, *, judge: str | None = None,
            pairwise: Literal["ties", "all"] = "ties") -> Comparison:
    """Compare two runs of one set part by part, with paired statistics; `judge` decides tied
    parts (or every part with `pairwise="all"`), asked in both orders."""
    from psetbench.compare import compare_logs

    return compare_logs(str(log_a), str(log_b), judge=judge, pairwise=pairwise)


def report(
    logs: Logs,
    output: PathLike,
    *,
    form: Literal["html", "md", "json"] | None = None,
    compare_pairs: Sequence[tuple[PathLike, PathLike]] = (),
    regrade: bool = False,
    narrate: str | None = None,
    labels: PathLike | LabelsFile | None = None,
) -> Path:
    """Write a report of the runs in `logs` to `output` and return its path. The suffix
    (.html, .md, .json) picks the form unless `form` is given; `compare_pairs` adds
    head-to-head sections; `labels` (a TA's labels file) adds a Grader vs TA section and puts
    the TA's verdicts in the scores; only `narrate` (a model name) calls a model."""
    from psetbench.compare import compare_logs
    from psetbench.report import write_report

    comparisons = [compare_logs(str(a), str(b)) for a, b in compare_pairs]
    return write_report(read_runs(logs, regrade=regrade), output, form=form,
                        comparisons=comparisons, narrate_with=narrate, labels=labels)


def import_conversation(
    files: Logs,
    set_path: PathLike,
    *,
    model: str | None = None,
    strategy: str | None = None,
    questions: Sequence[str] | None = None,
    log_dir: PathLike | None = None,
    fmt: str | None = None,
    conversation: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import chat-app conversations about one problem set as one graded Inspect log.

    `fmt` is text, openai, chatgpt or claude (default: detected); `strategy` defaults to the
    one the conversation's shape matches. `result.run.grades` are the per-part grades and
    `result.describe()` says which message asked which part. See docs/import.md.
    """
    from psetbench.importers import import_conversation as import_files

    return import_files(_paths(files), set_path, model=model, strategy=strategy,
                        questions=questions, log_dir=log_dir, fmt=fmt,
                        conversation=conversation, dry_run=dry_run)


def load_labels(path: PathLike) -> LabelsFile:
    """Load and check a TA's labels file (see docs/format.md, Labels files).

    Raises `LabelsError` (a `PsetbenchError`) listing every problem as file:line.
    """
    from psetbench.labels import load_labels as load

    return load(path)


def calibrate(logs: Logs, labels: PathLike | LabelsFile, *, tolerance: float = 0.1,
              seed: int = 0) -> Calibration:
    """How well the grades in `logs` agree with a TA's labels: exact verdicts (hard and soft),
    credit within `tolerance`, Cohen's kappa with a bootstrap interval (seeded by `seed`) and
    a confusion matrix, split by method and strategy (`psetbench calibrate`; see
    docs/calibrate.md). Nothing is written and no model is called."""
    from psetbench.calibrate import calibrate as measure

    return measure(_paths(logs), labels, tolerance=tolerance, seed=seed)


def draft(
    homework: PathLike,
    output: PathLike,
    *,
    solutions: PathLike | None = None,
    model: str | Model | None = None,
    force: bool = False,
) -> DraftSummary:
    """Draft a problem set from homework files (.tex, .pdf, .md, .txt), as `psetbench draft`
    does: write it to `output` (figures to `figures/` beside it) for a TA to review, and
    return the summary. See docs/draft.md."""
    from psetbench.draft import draft_set

    return draft_set(homework, output, solutions=solutions, model=model, force=force)
