"""`choice`: a true/false, yes/no or lettered choice the answer must state."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from psetbench._bounds import MAX_CHECKS, MAX_SHORT_CHARS
from psetbench.checks._choice import check_choice
from psetbench.checks._config import Answer, CheckConfig
from psetbench.checks._registry import check_kind
from psetbench.types import CheckResult


@check_kind
class ChoiceCheck(CheckConfig):
    """A true/false, yes/no or lettered choice."""

    kind: Literal["choice"]
    answer: str = Field(description="the right option, e.g. 'True', 'No' or 'B'")
    options: list[Annotated[str, Field(max_length=MAX_SHORT_CHARS)]] | None = Field(
        default=None, max_length=MAX_CHECKS, description="the allowed options")

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

    def check(self, answer: Answer) -> CheckResult:
        return check_choice(self, answer.text)

    def describe(self) -> str:
        options = f" from {', '.join(self.options)}" if self.options else ""
        return f"{self.titled()}: {self.answer}{options}"
