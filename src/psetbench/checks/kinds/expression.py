"""`expression`: a closed form, compared symbolically (a whitelisted grammar reads it; nothing
is ever evaluated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from psetbench.checks._config import Answer, CheckConfig, ReferenceProblem
from psetbench.checks._expression import check_expression
from psetbench.checks._parse_plain import expression_problem
from psetbench.checks._registry import check_kind
from psetbench.types import CheckResult


@check_kind
class ExpressionCheck(CheckConfig):
    """A closed form, compared symbolically."""

    kind: Literal["expression"]
    answer: str = Field(description="the expression, in plain math ('4*k*(m + l)', '4k(m+l)') "
                                    "or LaTeX; read by a whitelisted grammar, never evaluated")
    variables: list[str] = Field(default_factory=list, description="the symbols it uses")
    matrices: list[str] = Field(
        default_factory=list,
        description="symbols that are matrices: products keep their order (non-commutative)")

    def check(self, answer: Answer) -> CheckResult:
        return check_expression(self, answer.text)

    def describe(self) -> str:
        return f"{self.titled()}: {self.answer}"

    @classmethod
    def reference_problems(cls, raw: Mapping[str, Any]) -> list[ReferenceProblem]:
        """The reference must be an expression the grammar reads (never Python)."""
        reference = raw.get("answer")
        if isinstance(reference, str) and (why := expression_problem(reference)) is not None:
            return [(("answer",), why)]
        return []
