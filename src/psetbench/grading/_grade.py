"""Grade a sample part by part: find each part's answer, run its checks, combine a verdict.

Deterministic and pure: the same turns always give the same grades, so regrading a log
never needs the solving model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psetbench.checks import run_checks
from psetbench.grading._locate import Absence, locate
from psetbench.judge import CUT_OFF_NOTE
from psetbench.problemset import Part, ProblemSet
from psetbench.record import TurnLike, load_turns
from psetbench.types import CheckResult, CheckStatus, PartGrade, Segment, Verdict

GRADER = "checks"
MIN_ANSWER_CHARS = 1

#: Most characters of one part's answer the checks read: a longer answer (a runaway reply of
#: megabytes) is graded on its first and last halves of this, which keeps grading time bounded.
MAX_GRADED_CHARS = 200_000


def bounded(text: str) -> str:
    """The text the checks read: all of it, or its head and tail when it is very long."""
    if len(text) <= MAX_GRADED_CHARS:
        return text
    half = MAX_GRADED_CHARS // 2
    return f"{text[:half]}\n…\n{text[-half:]}"


def combine(part: Part, checks: list[CheckResult]) -> tuple[Verdict, float, str]:
    """A part's verdict from its checks' results; ungraded checks carry no weight."""
    graded = [c for c in checks if c.status != CheckStatus.ungraded]
    ungraded = [c for c in checks if c.status == CheckStatus.ungraded]
    if not checks:
        return Verdict.ungraded, 0.0, "no machine checks for this part; it needs a grader model"
    if not graded:
        return Verdict.ungraded, 0.0, "no check could decide: " + "; ".join(
            f"{c.name}: {c.reason}" for c in ungraded)
    total = sum(c.weight for c in graded)
    score = sum(c.weight * c.score for c in graded) / total
    unaddressed = [c for c in graded if c.status == CheckStatus.unaddressed]
    failed = [c for c in graded if c.status == CheckStatus.failed]
    notes: list[str] = []
    if unaddressed and len(unaddressed) < len(checks):
        notes.append("not answered: " + ", ".join(c.name for c in unaddressed))
    if failed:
        notes.append("wrong: " + ", ".join(f"{c.name} ({c.reason})" for c in failed))
    partly = [c for c in graded if c.status == CheckStatus.partial]
    if partly:
        notes.append("partly right: " + ", ".join(f"{c.name} ({c.reason})" for c in partly))
    if ungraded:
        notes.append("not graded: " + ", ".join(c.name for c in ungraded))
    if all(c.status == CheckStatus.passed for c in graded):
        verdict = Verdict.correct
        notes.insert(0, "all checks passed")
    elif len(unaddressed) == len(checks):
        return Verdict.incorrect, 0.0, "the answer addresses none of the checks: " + ", ".join(
            c.name for c in unaddressed)
    elif score <= 0.0:
        verdict = Verdict.incorrect
    else:
        verdict = Verdict.partial
    return verdict, round(score, 4), "; ".join(notes)


def grade_part(
    pset: ProblemSet,
    qid: str,
    pid: str,
    segment: Segment | None,
    *,
    model: str,
    strategy: str,
    epoch: int = 1,
    nudged: bool = False,
    absence: Absence | None = None,
) -> PartGrade:
    part = pset.part(qid, pid)
    common: dict[str, Any] = dict(
        set_id=pset.id, question=qid, part=pid, path=".".join(part.path), model=model,
        strategy=strategy, epoch=epoch, points=part.points, nudged=nudged,
    )
    if segment is None or len(segment.text.strip()) < MIN_ANSWER_CHARS:
        absence = absence or Absence(Verdict.missing,
                                     "no answer to this part was found in the reply", "empty")
        return PartGrade(**common, verdict=absence.verdict, score=0.0, grader="segmentation",
                         reason=absence.reason, absence=absence.kind)
    checks = run_checks(part, bounded(segment.text), bounded(segment.supplement))
    verdict, score, reason = combine(part, checks)
    return PartGrade(
        **common, verdict=verdict, score=score, reason=reason, grader=GRADER, checks=checks,
        segmentation=segment.method, segmentation_confidence=segment.confidence,
        answer=segment.text,
    )


def grade_turns(
    pset: ProblemSet,
    parts: Sequence[tuple[str, str]],
    turns: Sequence[TurnLike],
    *,
    model: str,
    strategy: str,
    epoch: int = 1,
    overrides: dict[int, dict[tuple[str, str], Segment]] | None = None,
) -> list[PartGrade]:
    """Grades for every asked part of one sample, in the set's order."""
    turns = load_turns(turns)
    located = locate(pset, turns, overrides)
    nudged = {key for t in turns if t.nudge for key in t.keys}
    cut_off = {key for t in turns if t.nudge and t.nudge.still_truncated for key in t.keys}
    grades = [
        grade_part(pset, q, p, located.segments.get((q, p)), model=model, strategy=strategy,
                   epoch=epoch, nudged=(q, p) in nudged, absence=located.absent.get((q, p)))
        for q, p in parts
    ]
    return [g.model_copy(update={"reason": f"{g.reason}; {CUT_OFF_NOTE}"})
            if (g.question, g.part) in cut_off else g for g in grades]


def not_asked_grade(pset: ProblemSet, qid: str, pid: str, *, model: str,
                    strategy: str, epoch: int = 1) -> PartGrade:
    """A part that was never put to the model (imported conversations): not a failure."""
    return PartGrade(
        set_id=pset.id, question=qid, part=pid, path=".".join(pset.part(qid, pid).path),
        model=model, strategy=strategy, epoch=epoch,
        verdict=Verdict.not_asked, score=0.0, points=pset.part(qid, pid).points,
        reason="never asked in the imported conversation", grader="import")
