"""The numeric check: the answer's final value of the right dimension, against the reference."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pint

from psetbench.checks._quantities import Found, find_quantities, reference_quantity, reference_text
from psetbench.checks._text import BODY, TIER_NAMES
from psetbench.checks._units import UnitError, describe, with_article
from psetbench.problemset import NumericCheck
from psetbench.types import CheckResult, CheckStatus

DEFAULT_REL_TOL = 0.02
METHOD = "numeric/pint"
# Dimensions that are counts of things: a bare number may stand for them ("we need **25**").
_COUNTS = frozenset({"[gpu]", "[token]", "[parameter]", "[flop]"})


@dataclass(frozen=True)
class _Reading:
    label: str  # "answer" or an alternative's note
    quantity: pint.Quantity
    expected: str


@dataclass(frozen=True)
class _Grade:
    reading: _Reading
    found: Found
    value: float  # the found value, in the reference's units
    status: CheckStatus
    score: float
    how: str  # "within 2% of 2 TB"
    note: str  # how the value was read, e.g. "no unit given; read as GPU"


def check_numeric(check: NumericCheck, answer: str) -> CheckResult:
    """Grade the final stated value of the reference's dimension; see docs/checks.md."""
    expected = reference_text(check.answer, check.unit)
    make = functools.partial(CheckResult, kind="numeric", label=check.label,
                             weight=check.weight, method=METHOD, expected=expected)
    try:
        readings = [_Reading("answer", reference_quantity(check.answer, check.unit), expected)]
        readings += [
            _Reading(alt.note, reference_quantity(alt.answer, alt.unit),
                     reference_text(alt.answer, alt.unit))
            for alt in check.alternatives
        ]
    except UnitError as exc:
        return make(status=CheckStatus.ungraded, score=0.0,
                    reason=f"the check's reference cannot be read: {exc}")
    found = find_quantities(answer)
    grades = [g for r in readings if (g := _grade_reading(check, r, found)) is not None]
    if not grades:
        return make(status=CheckStatus.unaddressed, score=0.0,
                    reason=_unaddressed_reason(readings[0].quantity, found))
    best = max(grades, key=lambda g: (g.score, -readings.index(g.reading)))
    if best.score == 0.0:
        best = grades[0]
    passed_elsewhere = _also_right(check, best, found)
    where = TIER_NAMES[best.found.tier] if best.found.tier > BODY else (
        f"the last {describe(str(best.reading.quantity.dimensionality))} stated")
    ref = best.reading.quantity
    first = best.found.readings[0]
    converted = ("" if first.unit.quantity.units == ref.units and first.value == best.value
                 else f" = {best.value:.4g} {ref.units:~P}".rstrip())
    note = f"; {best.note}" if best.note else ""
    reason = f"took {best.found.text} ({where}{note}){converted}: {best.how}"
    if best.reading.label != "answer" and best.score > 0:
        reason += f" (accepted reading: {best.reading.label})"
    if passed_elsewhere is not None and best.status != CheckStatus.passed:
        reason += (f"; {passed_elsewhere.text} also appears but is not the final value, "
                   "and the final value decides")
    return make(
        status=best.status,
        score=best.score,
        found=best.found.text,
        matched=best.reading.label if best.score > 0 else None,
        reason=reason,
    )


def _candidates(found: list[Found], ref: pint.Quantity) -> list[tuple[Found, float, str]]:
    """(candidate, its value in the reference's units, a note), best candidate last."""
    dim = str(ref.dimensionality)
    units = str(ref.units)
    out: list[tuple[Found, float, str]] = []
    for f in found:
        for i, r in enumerate(f.readings):
            if r.dimension == dim:
                note = "" if i == 0 else f"read {f.text!r} as {with_article(describe(dim))}"
                out.append((f, r.value * r.unit.factor(units), note))
                break
            if dim == "dimensionless" and r.dimension in _COUNTS - {"[flop]"}:
                # "25 GPUs" for a plain 25: the count in its own unit ("[gpu]" -> "gpu")
                out.append((f, r.value * r.unit.factor(r.dimension.strip("[]")), ""))
                break
    if not out and dim in _COUNTS:  # "we need 25" for 25 GPU; never a percentage
        out = [(f, f.readings[0].value, f"no unit given; read as {ref.units:~P}")
               for f in found if f.readings[0].unit.expr == "dimensionless"]
    out.sort(key=lambda c: (c[0].tier, not c[0].demoted, c[0].order))
    return out


def _grade_reading(check: NumericCheck, reading: _Reading, found: list[Found]) -> _Grade | None:
    candidates = _candidates(found, reading.quantity)
    if not candidates:
        return None
    f, value, note = candidates[-1]
    status, score, how = _compare(check, value, reading)
    return _Grade(reading, f, value, status, score, how, note)


def _also_right(check: NumericCheck, best: _Grade, found: list[Found]) -> Found | None:
    for f, value, _ in _candidates(found, best.reading.quantity):
        if f is not best.found and _compare(check, value, best.reading)[0] == CheckStatus.passed:
            return f
    return None


def _compare(check: NumericCheck, got: float,
             reading: _Reading) -> tuple[CheckStatus, float, str]:
    want = reading.quantity.magnitude
    if want == 0 or got == 0:
        if got == want:
            return CheckStatus.passed, 1.0, f"equal to {reading.expected}"
        return CheckStatus.failed, 0.0, f"not {reading.expected}"
    if (got < 0) != (want < 0):
        return CheckStatus.failed, 0.0, f"the wrong sign for {reading.expected}"
    ratio = got / want
    factor = ratio if ratio >= 1 else 1 / ratio
    off = (f"{factor:.3g}x too {'large' if ratio > 1 else 'small'}" if factor >= 1.5
           else f"off by {abs(ratio - 1):.1%}")
    if check.orders is not None:
        distance = abs(math.log10(ratio))
        band = f"{check.orders:g} order{'s' if check.orders != 1 else ''} of magnitude"
        if distance <= check.orders:
            return CheckStatus.passed, 1.0, f"within {band} of {reading.expected}"
        if distance <= check.orders + 1:
            return (CheckStatus.partial, 0.5,
                    f"{off} vs {reading.expected}: outside {band} but within 10x of that, "
                    "so half credit")
        return CheckStatus.failed, 0.0, f"{off} vs {reading.expected}"
    tol = check.rel_tol if check.rel_tol is not None else DEFAULT_REL_TOL
    if abs(got - want) <= tol * abs(want):
        return CheckStatus.passed, 1.0, f"within {_percent(tol)} of {reading.expected}"
    return CheckStatus.failed, 0.0, f"{off} vs {reading.expected}"


def _unaddressed_reason(ref: pint.Quantity, found: list[Found]) -> str:
    wanted = describe(str(ref.dimensionality))
    if not found:
        return f"the answer states no number at all ({with_article(wanted)} was expected)"
    bare = _unique([f.text for f in found if f.bare])
    other = _unique([f"{f.text} ({describe(f.readings[0].dimension)})"
                     for f in found if not f.bare])
    parts = []
    if bare:
        parts.append(f"{', '.join(bare[-2:])} with no unit ({with_article(wanted)} needs one)")
    if other:
        parts.append(", ".join(other[-2:]))
    return f"the answer states no {wanted}; it gives " + "; ".join(parts)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"
