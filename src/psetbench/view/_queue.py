"""The review queue's order: the parts whose grading is least sure come first.

A TA's time goes furthest on the grades most likely to be wrong, so the queue puts first the
parts no grader could decide, then answers located with low confidence, then parts where a
machine check and the judge disagree, then split judge votes, then partial credit, then the
rest. Parts a TA has already labelled follow all unlabelled ones. Pure functions over
`PartGrade`s, so the order is tested without a server.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from enum import IntEnum
from typing import Any, NamedTuple

from psetbench.types import PartGrade, Verdict

#: Below this segmentation confidence an answer's location is doubtful: headings (0.75),
#: inferred questions (0.6) and unlabelled blocks in order (0.4) (docs/segmentation.md, 6).
LOW_CONFIDENCE = 0.8


class Doubt(IntEnum):
    """Why a part is in the queue where it is; lower comes first."""

    ungraded = 0
    low_confidence = 1
    disagreement = 2
    split_votes = 3
    partial = 4
    rest = 5


class Priority(NamedTuple):
    """A grade's place in the queue: its kind of doubt, then a finer key within that kind
    (lower first), and the reason shown on the card."""

    doubt: Doubt
    within: float
    why: str


def _votes(judge: dict[str, Any] | None) -> tuple[float | None, int]:
    """The judge's agreement (winner's share of the votes) and how many verdicts it split on."""
    if not judge:
        return None, 0
    verdicts = {v.get("verdict") for v in judge.get("votes") or [] if isinstance(v, dict)}
    agreement = judge.get("agreement")
    return (float(agreement) if isinstance(agreement, int | float) else None), len(verdicts)


def priority(grade: PartGrade) -> Priority:
    """How unsure the grading of one part is (see the module docstring for the order)."""
    if grade.verdict == Verdict.ungraded:
        return Priority(Doubt.ungraded, 0.0, "ungraded: " + grade.reason)
    conf = grade.segmentation_confidence
    if conf is not None and conf < LOW_CONFIDENCE:
        return Priority(Doubt.low_confidence, conf,
                        f"answer located with low confidence ({conf:.2f}, "
                        f"{grade.segmentation or 'unknown method'})")
    if grade.disagreements:
        return Priority(Doubt.disagreement, -len(grade.disagreements),
                        "checks and judge disagree: " + grade.disagreements[0])
    agreement, verdicts = _votes(grade.judge)
    if verdicts > 1 or (agreement is not None and agreement < 1.0):
        share = 1.0 if agreement is None else agreement
        return Priority(Doubt.split_votes, share, f"judge votes split ({share:.0%} agree)")
    if grade.verdict == Verdict.partial or 0.0 < grade.score < 1.0:
        return Priority(Doubt.partial, abs(grade.score - 0.5),
                        f"partial credit ({grade.score:.2f})")
    return Priority(Doubt.rest, 0.0, f"{grade.verdict.value.replace('_', ' ')} by {grade.grader}")


def reviewable(grade: PartGrade) -> bool:
    """Parts never put to the model have nothing to review."""
    return grade.verdict != Verdict.not_asked


def review_order(grades: Sequence[PartGrade], labelled: Collection[int] = ()) -> list[int]:
    """Indices into `grades` in review order, leaving out parts never asked.

    `labelled` holds the indices a TA has labelled: they come after every unlabelled one, each
    group in order of doubt; ties keep the order of `grades` (the set's order).
    """
    done = set(labelled)
    keep = [i for i, g in enumerate(grades) if reviewable(g)]
    keys = {i: priority(grades[i]) for i in keep}
    return sorted(keep, key=lambda i: (i in done, keys[i].doubt, keys[i].within, i))
