"""Deterministic checks: numbers with units, choices, closed forms and key points.

Each check reads one part's answer and returns a `CheckResult` saying what it took from the
answer, what it expected and why it decided as it did. See docs/checks.md.
"""

from psetbench.checks._choice import check_choice
from psetbench.checks._dispatch import run_check, run_checks
from psetbench.checks._expression import check_expression
from psetbench.checks._keypoints import check_keypoints
from psetbench.checks._numeric import check_numeric, grade_numeric
from psetbench.checks._quantities import parse_quantity, reference_quantity
from psetbench.checks._units import UnitError, check_unit, unit_registry

__all__ = [
    "UnitError",
    "check_choice",
    "check_expression",
    "check_keypoints",
    "check_numeric",
    "check_unit",
    "grade_numeric",
    "parse_quantity",
    "reference_quantity",
    "run_check",
    "run_checks",
    "unit_registry",
]
