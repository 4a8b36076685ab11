"""Tables printed at the end of a run and by `psetbench grades`."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from psetbench.grading import Run
from psetbench.models import explain_error, model_cost
from psetbench.runs._run import RunResult
from psetbench.types import Verdict


def _console() -> Console:
    return Console(stderr=False, highlight=False)


def print_summary(result: RunResult) -> None:
    table = Table(title=f"psetbench · {result.model} · logs in {result.log_dir}")
    for name in ("strategy", "score", "parts missing", "ungraded", "tokens in/out", "cached",
                 "cost", "wall time", "status"):
        table.add_column(name, justify="left" if name in ("strategy", "status") else "right",
                         no_wrap=name in ("strategy", "score", "status"))
    for run in result.runs:
        points = sum(g.counted_points for g in run.grades) or 1.0
        score = sum(g.earned for g in run.grades) / points
        missing = sum(g.verdict == Verdict.missing for g in run.grades)
        ungraded = sum(g.verdict == Verdict.ungraded for g in run.grades)
        cost = model_cost(run.model, run.input_tokens, run.output_tokens)
        wall = run.wall_seconds
        table.add_row(
            run.strategy, f"{100 * score:.1f}%", str(missing), str(ungraded),
            f"{run.input_tokens}/{run.output_tokens}", _cached(run),
            "unknown" if cost is None else f"${cost:.4f}",
            "–" if wall is None else f"{wall:.1f} s", run.status,
        )
    _console().print(table)
    for run in result.runs:
        if run.error:
            why = escape(explain_error(run.error))
            _console().print(f"[red]{run.strategy} failed:[/red] {why}", soft_wrap=True)
        for reason, count in _failures(run).items():
            parts = "1 part" if count == 1 else f"{count} parts"
            _console().print(f"[red]{run.strategy}: {parts} not graded, their sample failed:"
                             f"[/red] {escape(reason)}", soft_wrap=True)


def _cached(run: Run) -> str:
    """Calls the response cache answered (no cost, no usage in Inspect's figures)."""
    if not run.cached_calls:
        return "–"
    return f"{run.cached_calls} ({run.cached_input_tokens}/{run.cached_output_tokens})"


def _failures(run: Run) -> dict[str, int]:
    """Why samples failed (their parts' reasons), with how many parts each."""
    counts: dict[str, int] = {}
    prefix = "the sample failed: "
    for g in run.grades:
        if g.grader == "run" and g.reason.startswith(prefix):
            reason = g.reason.removeprefix(prefix)
            counts[reason] = counts.get(reason, 0) + 1
    return counts


def grade_rows(runs: list[Run]) -> list[dict[str, Any]]:
    """One flat record per part: the `grades --format jsonl` contract."""
    rows = []
    for run in runs:
        for g in run.grades:
            rows.append({
                "set": g.set_id, "question": g.question, "part": g.part, "path": g.path,
                "model": g.model,
                "strategy": g.strategy, "epoch": g.epoch, "verdict": g.verdict.value,
                "score": g.score, "points": g.points, "earned": round(g.earned, 4),
                "reason": g.reason, "grader": g.grader, "segmentation": g.segmentation,
                "segmentation_confidence": g.segmentation_confidence, "nudged": g.nudged,
                "judge": g.judge, "disagreements": g.disagreements, "ambiguity": g.ambiguity,
                "carried_forward": g.carried_forward,
                "better_than_solution": g.better_than_solution, "log": g.log,
                "checks": [
                    {"label": c.label, "kind": c.kind, "status": c.status.value,
                     "score": c.score, "expected": c.expected, "found": c.found,
                     "matched": c.matched, "method": c.method, "reason": c.reason}
                    for c in g.checks
                ],
            })
    return rows


def print_grades(runs: list[Run]) -> None:
    table = Table()
    for name in ("model", "strategy", "part", "verdict", "points", "grader", "reason"):
        table.add_column(name)
    for run in runs:
        for g in run.grades:
            table.add_row(g.model, g.strategy, g.key, g.verdict.value,
                          f"{g.earned:g}/{g.points:g}", g.grader, g.reason)
    _console().print(table)
