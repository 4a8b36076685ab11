"""The nouns of psetbench: verdicts, check results and per-part grades.

Everything a grader produces is one of these, and each carries its reason and the
name of the grader that made it, so a report can always say *why*.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator


class Verdict(StrEnum):
    """The verdict on one part of one answer."""

    correct = "correct"
    partial = "partial"
    incorrect = "incorrect"
    missing = "missing"  # asked, but the reply has no answer for it
    ungraded = "ungraded"  # no grader could decide (the reason says why); never counted as right
    not_asked = "not_asked"  # the part was never put to the model (imported transcripts)


class CheckStatus(StrEnum):
    """The outcome of one machine check on one part's answer."""

    passed = "passed"
    partial = "partial"  # e.g. a Fermi estimate within 10x but not within tolerance
    failed = "failed"
    unaddressed = "unaddressed"  # the answer never states anything this check could look at
    ungraded = "ungraded"  # the checker could not decide (parse failure, timeout, no method)


class CheckResult(BaseModel):
    """One check's outcome, with the evidence a TA needs to trust it."""

    kind: str
    label: str | None = None
    status: CheckStatus
    score: float = Field(ge=0.0, le=1.0, description="credit in [0, 1]")
    weight: float = 1.0
    expected: str = Field(description="the reference value, as a person would write it")
    found: str | None = Field(default=None, description="the value taken from the answer")
    matched: str | None = Field(
        default=None, description="which reading matched: 'answer' or an alternative's note"
    )
    reason: str
    method: str = Field(description="which grader decided, e.g. 'numeric/pint'")

    @property
    def name(self) -> str:
        """How reports name the check: its label, else its kind."""
        return self.label or self.kind


class Segment(BaseModel):
    """The text that answers one part, and how it was found."""

    question: str
    part: str
    text: str
    method: str = Field(description="e.g. 'turn' (one reply per part), 'label', 'model'")
    confidence: float = Field(ge=0.0, le=1.0)
    supplement: str = Field(
        default="", description="text elsewhere in the reply that also answers this part (a "
        "block a chat page put out of place): key points read it, final values never do")


class PartGrade(BaseModel):
    """The grade of one part of one sample: the row of every report."""

    set_id: str
    question: str
    part: str
    path: str = Field(default="", description="the part's dotted path of ids, 'e.iii.a'; the "
                      "part id itself in a set without sub-parts (the default)")
    model: str
    strategy: str
    epoch: int = 1
    verdict: Verdict
    score: float = Field(ge=0.0, le=1.0, description="fraction of the part's points earned")
    points: float
    reason: str
    grader: str = Field(description="which grader made the verdict")
    checks: list[CheckResult] = Field(default_factory=list)
    segmentation: str | None = None
    segmentation_confidence: float | None = None
    answer: str = ""
    nudged: bool = False
    log: str | None = None
    judge: dict[str, Any] | None = Field(
        default=None, description="the LLM judge's summary: verdict, score, reason, quotes, "
        "agreement, model; None when no judge graded this part")
    disagreements: list[str] = Field(
        default_factory=list, description="where a machine check and the judge disagree")
    ambiguity: str | None = Field(
        default=None, description="another reading of the question, and which one the answer took")
    better_than_solution: bool = False
    absence: str | None = Field(
        default=None, description="why no answer was graded: 'empty' (no reply), 'unanswered' "
        "(the reply's sections answer other parts), 'another_question' (the reply answered "
        "another question) or 'unlocated' (the answer could not be located with confidence)")
    carried_forward: bool = Field(
        default=False, description="credit given for consistency with the answer's own earlier "
        "(wrong) result")

    @model_validator(mode="after")
    def _default_path(self) -> PartGrade:
        if not self.path:
            self.path = self.part  # logs written before sub-parts existed
        return self

    @property
    def earned(self) -> float:
        return self.score * self.points

    @property
    def counted_points(self) -> float:
        """The points this part counts for in a score: none when it was never asked."""
        return 0.0 if self.verdict == Verdict.not_asked else self.points

    @property
    def key(self) -> str:
        return f"{self.question}({self.part})"
