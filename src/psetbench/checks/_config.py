"""What every check kind is: one pydantic model holding its settings (as the problem-set file
writes them) and how it grades an answer, describes itself to the judge and validates its
reference. See docs/checks.md, "Adding a check kind".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

from psetbench._bounds import MAX_SHORT_CHARS, MAX_WEIGHT, MIN_WEIGHT
from psetbench.types import CheckResult

#: (path inside the check, message) of one problem with a check's reference, for `validate`
ReferenceProblem = tuple[tuple[str | int, ...], str]


@dataclass(frozen=True)
class Answer:
    """What a check reads: the part's answer as located in the reply, text elsewhere in the
    reply that also answers the part (a block a chat page put out of place), and the part's
    prompt (which says what each value answers)."""

    text: str
    supplement: str = ""
    prompt: str = ""

    @property
    def whole(self) -> str:
        """The answer with its supplement: for checks of content, never of final values."""
        return f"{self.text}\n\n{self.supplement}" if self.supplement else self.text


class Strict(BaseModel):
    """A part of the problem-set format: unknown fields refused, immutable, finite numbers."""

    # no inf or NaN anywhere: a ratio or a sum with one crashes grading and reports
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class CheckConfig(Strict):
    """Base of every check kind. A kind subclasses it with `kind: Literal["name"]`, its own
    fields, `check` (or `check_all`) and `describe`, and is registered with `@check_kind`."""

    kind: str
    label: str | None = Field(default=None, max_length=MAX_SHORT_CHARS,
                              description="what the check is about, shown in reports")
    weight: float = Field(default=1.0, ge=MIN_WEIGHT, le=MAX_WEIGHT,
                          description="relative weight among the part's checks")

    #: True: a decided result fixes its weight's share of the part's score, whatever a judge
    #: says; False: the judge weighs it with the rest of the answer (key points)
    deterministic: ClassVar[bool] = True

    def check(self, answer: Answer) -> CheckResult:
        """Grade one answer. Never raises on an answer: an unreadable one is `ungraded`."""
        raise NotImplementedError(f"check kind {self.kind!r} defines neither check nor check_all")

    @classmethod
    def check_all(cls, checks: Sequence[Self], answer: Answer) -> list[CheckResult]:
        """All of a part's checks of this kind, in order. Override to resolve them together
        (numeric checks do: each takes the value of its own ask)."""
        return [c.check(answer) for c in checks]

    def describe(self) -> str:
        """The check as the author wrote it, in words, for the judge's prompt."""
        raise NotImplementedError(f"check kind {self.kind!r} does not describe itself")

    @classmethod
    def reference_problems(cls, raw: Mapping[str, Any]) -> list[ReferenceProblem]:
        """What the schema cannot say about a reference (a unit pint cannot read, an
        expression the grammar refuses), from the check as written in the file."""
        return []

    def titled(self) -> str:
        """`kind "label"`, the way descriptions start."""
        return f'{self.kind} "{self.label}"' if self.label else self.kind
