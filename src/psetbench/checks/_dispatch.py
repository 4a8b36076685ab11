"""Run any check on an answer, by its kind; or all checks of a part together."""

from __future__ import annotations

from psetbench.checks._choice import check_choice
from psetbench.checks._expression import check_expression
from psetbench.checks._keypoints import check_keypoints
from psetbench.checks._numeric import check_numeric, grade_numeric
from psetbench.problemset import (
    Check,
    ChoiceCheck,
    ExpressionCheck,
    KeypointsCheck,
    NumericCheck,
    Part,
)
from psetbench.types import CheckResult


def run_check(check: Check, answer: str) -> CheckResult:
    """Dispatch on `check.kind`; every kind returns a CheckResult, never raises on an answer."""
    if isinstance(check, NumericCheck):
        return check_numeric(check, answer)
    if isinstance(check, ChoiceCheck):
        return check_choice(check, answer)
    if isinstance(check, ExpressionCheck):
        return check_expression(check, answer)
    if isinstance(check, KeypointsCheck):
        return check_keypoints(check, answer)
    raise TypeError(f"unknown check kind {getattr(check, 'kind', check)!r}")


def run_checks(part: Part, answer: str, supplement: str = "") -> list[CheckResult]:
    """Every check of a part, in the part's order. Numeric checks are resolved together with
    the part's prompt, so that each takes the value of its own ask; see docs/checks.md.
    `supplement` (text elsewhere in the reply that also answers the part) counts for key
    points only: a final value is always the one the answer states in place."""
    numeric = [c for c in part.checks if isinstance(c, NumericCheck)]
    graded = iter(grade_numeric(numeric, answer, part.prompt) if numeric else [])
    whole = f"{answer}\n\n{supplement}" if supplement else answer
    return [next(graded) if isinstance(c, NumericCheck)
            else check_keypoints(c, whole) if isinstance(c, KeypointsCheck)
            else run_check(c, answer) for c in part.checks]
