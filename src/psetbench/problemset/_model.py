"""The problem-set format, version 1, as pydantic models.

These models *are* the contract: the JSON Schema (`psetbench schema`) is generated
from them, and the loader validates every file against them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Difficulty(StrEnum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


class _CheckBase(_Strict):
    label: str | None = Field(default=None, description="what the check is about, shown in reports")
    weight: float = Field(default=1.0, gt=0, description="relative weight among the part's checks")


class NumericAlternative(_Strict):
    answer: float | str = Field(description="a number, or a quantity string such as '200 TB'")
    unit: str | None = Field(default=None, description="unit for a bare number")
    note: str = Field(description="which reading of the question this answer belongs to")


class NumericCheck(_CheckBase):
    """A number (with a unit) that the answer must state."""

    kind: Literal["numeric"]
    answer: float | str = Field(
        description="a number, or a quantity string such as '2 TB' or '1.98 PFLOP/s'"
    )
    unit: str | None = Field(
        default=None,
        description="unit for a bare number (pint syntax, plus FLOP, token, parameter, GPU, USD)",
    )
    rel_tol: float | None = Field(
        default=None, gt=0, description="relative tolerance (default 0.02)"
    )
    orders: float | None = Field(
        default=None, gt=0, description="accept within this many orders of magnitude instead"
    )
    alternatives: list[NumericAlternative] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_tolerance(self) -> NumericCheck:
        if self.rel_tol is not None and self.orders is not None:
            raise ValueError("give either rel_tol or orders, not both")
        return self


class ChoiceCheck(_CheckBase):
    """A true/false, yes/no or lettered choice."""

    kind: Literal["choice"]
    answer: str = Field(description="the right option, e.g. 'True', 'No' or 'B'")
    options: list[str] | None = Field(default=None, description="the allowed options")

    @field_validator("answer", mode="before")
    @classmethod
    def _bool_to_str(cls, value: object) -> object:
        # YAML reads an unquoted True/yes as a boolean; the author meant the word.
        if isinstance(value, bool):
            return "True" if value else "False"
        return value

    @model_validator(mode="after")
    def _answer_in_options(self) -> ChoiceCheck:
        if self.options is not None:
            lowered = [o.strip().lower() for o in self.options]
            if self.answer.strip().lower() not in lowered:
                raise ValueError(f"answer {self.answer!r} is not one of options {self.options}")
        return self


class ExpressionCheck(_CheckBase):
    """A closed form, compared symbolically."""

    kind: Literal["expression"]
    answer: str = Field(description="the expression, in sympy or LaTeX syntax")
    variables: list[str] = Field(default_factory=list, description="the symbols it uses")


class KeypointsCheck(_CheckBase):
    """Statements a complete answer must make, in any wording."""

    kind: Literal["keypoints"]
    points: list[str] = Field(min_length=1)


Check = Annotated[
    NumericCheck | ChoiceCheck | ExpressionCheck | KeypointsCheck, Field(discriminator="kind")
]


class Figure(_Strict):
    path: str = Field(description="relative to the YAML file; must stay inside its folder")
    caption: str | None = None


class Part(_Strict):
    id: str = Field(min_length=1, description="unique in the question; shown as '(id)'")
    prompt: str = Field(min_length=1)
    points: float = Field(default=1.0, gt=0)
    difficulty: Difficulty = Difficulty.medium
    group: str | None = Field(default=None, description="parts sharing a group are asked together")
    solution: str = Field(min_length=1, description="the official solution")
    checks: list[Check] = Field(default_factory=list)

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class Question(_Strict):
    id: str = Field(min_length=1, description="unique in the set")
    title: str | None = None
    stem: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    parts: list[Part] = Field(min_length=1)

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _unique_parts(self) -> Question:
        seen: set[str] = set()
        for part in self.parts:
            if part.id in seen:
                raise ValueError(f"duplicate part id {part.id!r} in question {self.id!r}")
            seen.add(part.id)
        return self

    @property
    def points(self) -> float:
        return sum(p.points for p in self.parts)


class ProblemSet(_Strict):
    psetbench: Literal[1] = Field(description="format version")
    id: str = Field(pattern=ID_PATTERN, description="lowercase letters, digits and '-'")
    title: str = Field(min_length=1)
    preamble: str | None = None
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_questions(self) -> ProblemSet:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"duplicate question id {question.id!r}")
            seen.add(question.id)
        return self

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def part(self, question_id: str, part_id: str) -> Part:
        for part in self.question(question_id).parts:
            if part.id == part_id:
                return part
        raise KeyError(f"{question_id}({part_id})")

    def select(self, question_ids: list[str]) -> ProblemSet:
        """The same set restricted to some questions, in the set's order."""
        wanted = set(question_ids)
        unknown = wanted - {q.id for q in self.questions}
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        return self.model_copy(
            update={"questions": [q for q in self.questions if q.id in wanted]}
        )
