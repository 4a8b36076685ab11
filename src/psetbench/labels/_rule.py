"""What a TA's label makes of a machine grade: the one rule reports and calibrate share.

A label lists the verdicts a TA accepts. When the list accepts the machine's verdict, the
machine's grade stands, confirmed by the TA (a `partial` takes the label's score when it has
one: that is the credit the TA gave). When it does not, the TA's first verdict replaces the
machine's, with that verdict's own credit: 1 for `correct`, 0 for `incorrect` or `missing`, the
label's score (else `PARTIAL_CREDIT`) for `partial`. So a verdict and its credit never say
different things (`incorrect` is never worth 0.5). See docs/format.md, Labels files.
"""

from __future__ import annotations

from dataclasses import dataclass

from psetbench.labels._model import Label
from psetbench.types import PartGrade, Verdict

#: The credit of a `partial` the TA puts in without a score.
PARTIAL_CREDIT = 0.5
_CREDIT: dict[Verdict, float] = {Verdict.correct: 1.0, Verdict.incorrect: 0.0,
                                 Verdict.missing: 0.0}


@dataclass(frozen=True)
class TaGrade:
    """A labelled part's verdict and credit, and whether the TA confirmed the machine's."""

    verdict: Verdict
    score: float
    confirmed: bool


def verdict_credit(verdict: Verdict, label: Label) -> float:
    """The credit a verdict of the TA's stands for."""
    if verdict == Verdict.partial:
        return label.score if label.score is not None else PARTIAL_CREDIT
    return _CREDIT[verdict]


def ta_grade(label: Label, grade: PartGrade | None) -> TaGrade:
    """The verdict and credit a labelled part has (`grade`: the machine's, None for none)."""
    if grade is not None and label.accepts(grade.verdict):
        score = grade.score
        if grade.verdict == Verdict.partial and label.score is not None:
            score = label.score
        return TaGrade(grade.verdict, round(score, 4), confirmed=True)
    first = label.verdicts[0]
    return TaGrade(first, round(verdict_credit(first, label), 4), confirmed=False)
