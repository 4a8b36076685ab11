"""Deterministic checks: numbers with units, choices, closed forms and key points.

Each check reads one part's answer and returns a `CheckResult` saying what it took from the
answer, what it expected and why it decided as it did. A check kind is one file in `kinds/`
(or a plugin's, through the `psetbench.checks` entry points). See docs/checks.md.
"""

from psetbench.checks._choice import check_choice
from psetbench.checks._config import Answer, CheckConfig, ReferenceProblem, Strict
from psetbench.checks._dispatch import run_check, run_checks
from psetbench.checks._expression import check_expression
from psetbench.checks._keypoints import check_keypoints
from psetbench.checks._numeric import check_numeric, grade_numeric
from psetbench.checks._quantities import parse_quantity, reference_quantity
from psetbench.checks._registry import (
    CheckKindError,
    check_kind,
    check_kinds,
    check_union,
    is_deterministic,
    kind_named,
)
from psetbench.checks._units import UnitError, check_unit, unit_registry
from psetbench.checks.kinds.choice import ChoiceCheck
from psetbench.checks.kinds.expression import ExpressionCheck
from psetbench.checks.kinds.keypoints import KeypointsCheck
from psetbench.checks.kinds.numeric import NumericAlternative, NumericCheck

__all__ = [
    "Answer",
    "CheckConfig",
    "CheckKindError",
    "ChoiceCheck",
    "ExpressionCheck",
    "KeypointsCheck",
    "NumericAlternative",
    "NumericCheck",
    "ReferenceProblem",
    "Strict",
    "UnitError",
    "check_choice",
    "check_expression",
    "check_keypoints",
    "check_kind",
    "check_kinds",
    "check_numeric",
    "check_union",
    "check_unit",
    "grade_numeric",
    "is_deterministic",
    "kind_named",
    "parse_quantity",
    "reference_quantity",
    "run_check",
    "run_checks",
    "unit_registry",
]
