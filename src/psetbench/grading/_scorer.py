"""The Inspect scorer: grades each part of a sample and keeps every part's grade in the log."""

from __future__ import annotations

import functools
import hashlib
import threading

import anyio
from inspect_ai.model import Model
from inspect_ai.scorer import Score, Scorer, Target, mean, scorer, stderr
from inspect_ai.solver import TaskState

from psetbench.errors import PsetbenchError
from psetbench.grading._grade import grade_turns, not_asked_grade
from psetbench.grading._locate import segment_turn
from psetbench.grading._sink import deposit
from psetbench.judge import judge_grades
from psetbench.models import limited_model
from psetbench.problemset import ProblemSet
from psetbench.record import TURNS_KEY, TurnRecord, load_turns
from psetbench.segment import split_with_model
from psetbench.strategies import Unit
from psetbench.types import PartGrade, Segment, Verdict

IMPORTED = "imported"  # the provider given to a chat app's model name (see `_regrade`)


def sample_score(grades: list[PartGrade]) -> Score:
    """Fraction of the sample's points earned; the per-part grades ride in the metadata."""
    points = sum(g.counted_points for g in grades) or 1.0
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


async def model_splits(
    model: Model, pset: ProblemSet, turns: list[TurnRecord]
) -> dict[int, dict[tuple[str, str], Segment]]:
    """Ask the grader model to split the replies whose labels were absent or ambiguous."""
    splits: dict[int, dict[tuple[str, str], Segment]] = {}
    for index, turn in enumerate(turns):
        if len(turn.parts) < 2 or not turn.reply.strip():
            continue
        result = segment_turn(pset, turn)
        if result.needs_model:
            found = await split_with_model(model, result.cleaned or turn.reply,
                                           list(result.parts))
            if found is not None:
                splits[index] = found
    return splits


# Inspect writes a scorer's arguments into every sample's score event. A problem set passed as
# an argument made each event hundreds of kilobytes (and logging them the bulk of a run's CPU),
# so the scorer takes a short reference to the set instead. The reference is resolved when the
# scorer is made, and only then: `scorer_for` holds it for that call alone, so nothing outlives
# the run that made it.
_SETS: dict[str, ProblemSet] = {}
_LOCK = threading.Lock()


def set_reference(pset: ProblemSet) -> str:
    """The scorer's `set_ref` for `pset`: its id and a digest of its content."""
    digest = hashlib.sha256(pset.model_dump_json().encode()).hexdigest()[:12]
    return f"{pset.id}@{digest}"


def scorer_for(pset: ProblemSet, strategy: str, *, grader: str | None = None,
               votes: int = 1) -> Scorer:
    """`homework_scorer` for a set in memory; the set is registered only while it is made."""
    ref = set_reference(pset)
    with _LOCK:
        _SETS[ref] = pset
        try:
            return homework_scorer(ref, strategy, grader=grader, votes=votes)
        finally:
            del _SETS[ref]


def _model_name(state: TaskState) -> str:
    """The solving model's name as the log states it (a regrade of an imported conversation
    prefixes a chat app's model name with a provider for Inspect; see `_regrade`)."""
    return str(state.model).removeprefix(f"{IMPORTED}/")


@scorer(metrics=[mean(), stderr()])
def homework_scorer(
    set_ref: str, strategy: str, grader: str | None = None, votes: int = 1
) -> Scorer:
    """Grade every part of the sample with its checks (see `grade_turns`), then with the
    judge when a grader model is given. Made through `scorer_for`, which resolves `set_ref`."""
    pset = _SETS.get(set_ref)
    if pset is None:
        raise PsetbenchError(f"problem set {set_ref} is not loaded: grade with "
                             "`psetbench grade LOG`, which reads the set from the log")

    async def score(state: TaskState, target: Target) -> Score:
        unit = Unit.from_dict(state.metadata["unit"])
        turns = load_turns(state.store.get(TURNS_KEY, []))
        # Checks may run sympy: grade in a worker thread so the event loop keeps serving
        # other samples' model calls.
        # bounded by psetbench's limits (request timeout, retries, time limit)
        judge = limited_model(grader) if grader is not None else None
        overrides = await model_splits(judge, pset, turns) if judge is not None else None
        grades = await anyio.to_thread.run_sync(
            functools.partial(grade_turns, pset, unit.parts, turns, model=_model_name(state),
                              strategy=strategy, epoch=state.epoch, overrides=overrides))
        if judge is not None:
            grades = await judge_grades(judge, pset, grades, turns, votes=votes)
        grades += [not_asked_grade(pset, q, p, model=_model_name(state), strategy=strategy,
                                   epoch=state.epoch)
                   for q, p in state.metadata.get("not_asked", [])]
        deposit(pset.id, strategy, str(state.sample_id), state.epoch, grades)
        return sample_score(grades)

    return score
