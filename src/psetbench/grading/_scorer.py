"""The Inspect scorer: grades each part of a sample and keeps every part's grade in the log."""

from __future__ import annotations

import functools
from typing import Any

import anyio
from inspect_ai.model import get_model
from inspect_ai.scorer import Score, Scorer, Target, mean, scorer, stderr
from inspect_ai.solver import TaskState

from psetbench.grading._grade import grade_turns
from psetbench.judge import judge_grades
from psetbench.problemset import ProblemSet
from psetbench.strategies import TURNS_KEY, Unit
from psetbench.types import PartGrade, Verdict


def sample_score(grades: list[PartGrade]) -> Score:
    """Fraction of the sample's points earned; the per-part grades ride in the metadata."""
    points = sum(g.points for g in grades) or 1.0
    earned = sum(g.earned for g in grades)
    counts: dict[str, int] = {}
    for g in grades:
        counts[g.verdict.value] = counts.get(g.verdict.value, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    missing = [g.key for g in grades if g.verdict == Verdict.missing]
    explanation = summary + (f"; missing: {', '.join(missing)}" if missing else "")
    return Score(
        value=round(earned / points, 4),
        answer=None,
        explanation=explanation,
        metadata={"parts": [g.model_dump(mode="json") for g in grades]},
    )


@scorer(metrics=[mean(), stderr()])
def homework_scorer(
    pset: ProblemSet, strategy: str, grader: str | None = None, votes: int = 1
) -> Scorer:
    """Grade every part of the sample with its checks (see `grade_turns`), then with the
    judge when a grader model is given."""

    async def score(state: TaskState, target: Target) -> Score:
        unit = Unit.from_dict(state.metadata["unit"])
        turns: list[dict[str, Any]] = state.store.get(TURNS_KEY, [])
        # Checks may run sympy: grade in a worker thread so the event loop keeps serving
        # other samples' model calls.
        grades = await anyio.to_thread.run_sync(
            functools.partial(grade_turns, pset, unit.parts, turns, model=str(state.model),
                              strategy=strategy, epoch=state.epoch))
        if grader is not None:
            grades = await judge_grades(get_model(grader), pset, grades, turns, votes=votes)
        return sample_score(grades)

    return score
