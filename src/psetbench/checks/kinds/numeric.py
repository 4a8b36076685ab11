"""`numeric`: a number with a unit that the answer must state (pint does the units)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from psetbench._bounds import (
    MAX_ANSWER_CHARS,
    MAX_CHECKS,
    MAX_MAGNITUDE,
    MAX_SHORT_CHARS,
    MAX_UNIT_CHARS,
    MIN_MAGNITUDE,
)
from psetbench.checks._config import Answer, CheckConfig, ReferenceProblem, Strict
from psetbench.checks._numeric import DEFAULT_REL_TOL, grade_numeric
from psetbench.checks._quantities import reference_quantity
from psetbench.checks._registry import check_kind
from psetbench.types import CheckResult


class NumericAlternative(Strict):
    answer: float | str = Field(description="a number, or a quantity string such as '200 TB'")
    unit: str | None = Field(default=None, max_length=MAX_UNIT_CHARS,
                             description="unit for a bare number")
    note: str = Field(max_length=MAX_SHORT_CHARS,
                      description="which reading of the question this answer belongs to")


@check_kind
class NumericCheck(CheckConfig):
    """A number (with a unit) that the answer must state."""

    kind: Literal["numeric"]
    answer: float | str = Field(
        description="a number, or a quantity string such as '2 TB' or '1.98 PFLOP/s'"
    )
    unit: str | None = Field(
        default=None, max_length=MAX_UNIT_CHARS,
        description="unit for a bare number (pint syntax, plus FLOP, token, parameter, GPU, USD)",
    )
    rel_tol: float | None = Field(
        default=None, gt=0, le=100, description="relative tolerance (default 0.02)"
    )
    orders: float | None = Field(
        default=None, gt=0, le=100,
        description="accept within this many orders of magnitude instead"
    )
    alternatives: list[NumericAlternative] = Field(default_factory=list, max_length=MAX_CHECKS)

    @model_validator(mode="after")
    def _one_tolerance(self) -> NumericCheck:
        if self.rel_tol is not None and self.orders is not None:
            raise ValueError("give either rel_tol or orders, not both")
        return self

    @classmethod
    def check_all(cls, checks: Sequence[Self], answer: Answer) -> list[CheckResult]:
        # resolved together with the prompt, so that each check takes the value of its own
        # ask; a final value is the one the answer states in place (never the supplement)
        return grade_numeric(checks, answer.text, answer.prompt)

    def check(self, answer: Answer) -> CheckResult:
        return grade_numeric([self], answer.text, answer.prompt)[0]

    def describe(self) -> str:
        tol = (f"within {self.orders} orders of magnitude" if self.orders
               else f"relative tolerance {self.rel_tol or DEFAULT_REL_TOL}")
        alts = "".join(f"; also accepted: {_value(a.answer, a.unit)} ({a.note})"
                       for a in self.alternatives)
        return f"{self.titled()}: {_value(self.answer, self.unit)} ({tol}){alts}"

    @classmethod
    def reference_problems(cls, raw: Mapping[str, Any]) -> list[ReferenceProblem]:
        """Each reading (the answer and every alternative) must be a quantity pint reads,
        finite and within bounds."""
        readings: list[tuple[tuple[str | int, ...], Any]] = [((), raw)]
        alternatives = raw.get("alternatives")
        if isinstance(alternatives, list):
            readings += [(("alternatives", i), alt) for i, alt in enumerate(alternatives)
                         if isinstance(alt, dict)]
        problems: list[ReferenceProblem] = []
        for where, reading in readings:
            answer, unit = reading.get("answer"), reading.get("unit")
            if not isinstance(answer, int | float | str) or isinstance(answer, bool):
                continue
            if unit is not None and not isinstance(unit, str):
                continue
            try:
                checked_reference(answer, unit)
            except ValueError as exc:
                problems.append(((*where, "unit" if unit is not None else "answer"), str(exc)))
        return problems


def _value(value: float | str, unit: str | None) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = str(int(value))
    return f"{value} {unit}" if unit else str(value)


def checked_reference(answer: float | str, unit: str | None) -> None:
    """Raise ValueError when a numeric check's reference is unreadable or out of bounds.
    Lengths are checked first: pint takes time quadratic in a unit's length."""
    if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
        raise ValueError(f"longer than {MAX_ANSWER_CHARS} characters; write a number and a unit")
    if unit is not None and len(unit) > MAX_UNIT_CHARS:
        raise ValueError(f"longer than {MAX_UNIT_CHARS} characters; name one unit")
    try:
        quantity = reference_quantity(answer, unit)
    except OverflowError as exc:  # an integer of hundreds of digits
        raise ValueError("the answer is too large for a float; give a finite value") from exc
    if (why := magnitude_problem(quantity)) is not None:
        raise ValueError(why)


def magnitude_problem(quantity: Any) -> str | None:
    """Why a reference quantity cannot be graded against (None when it can)."""
    try:
        value = float(quantity.to_base_units().magnitude)
    except Exception:  # a unit pint cannot take to base units: judge the written value
        value = float(quantity.magnitude)
    if not math.isfinite(value):
        return "the answer is not a finite number; give a finite value"
    if value != 0 and not MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE:
        return (f"the answer is {value:.3g} in base units, outside "
                f"{MIN_MAGNITUDE:g}..{MAX_MAGNITUDE:g}; use a unit that brings it into range")
    return None
