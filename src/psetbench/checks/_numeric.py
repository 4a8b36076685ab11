"""The numeric check: the value that answers the check's ask, against the reference."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pint

from psetbench.checks._answer import TIER_LABELS, stated_quantities
from psetbench.checks._dimensions import describe, with_article
from psetbench.checks._quantities import Found, reference_quantity, reference_text
from psetbench.checks._resolve import COUNTS, Candidate, Pick, candidates, make_ask, resolve
from psetbench.checks._text import BODY
from psetbench.checks._units import UnitError
from psetbench.types import CheckResult, CheckStatus

if TYPE_CHECKING:  # the kind's settings live in kinds/ (which imports this module)
    from psetbench.checks.kinds.numeric import NumericCheck

DEFAULT_REL_TOL = 0.02
METHOD = "numeric/pint"
_SENTENCE_CHARS = 160


@dataclass(frozen=True)
class _Reading:
    label: str  # "answer" or an alternative's note
    quantity: pint.Quantity
    expected: str


@dataclass(frozen=True)
class _Grade:
    reading: _Reading
    value: float  # the found value, in the reading's units
    status: CheckStatus
    score: float
    how: str  # "within 2% of 2 TB"


def check_numeric(check: NumericCheck, answer: str, prompt: str = "") -> CheckResult:
    """Grade the value that answers the check; see docs/checks.md."""
    return grade_numeric([check], answer, prompt)[0]


def grade_numeric(checks: Sequence[NumericCheck], answer: str,
                  prompt: str = "") -> list[CheckResult]:
    """All numeric checks of one part, resolved together: each takes the value of its own ask."""
    readings: dict[int, list[_Reading]] = {}
    errors: dict[int, str] = {}
    for i, check in enumerate(checks):
        try:
            readings[i] = _readings(check)
        except UnitError as exc:
            errors[i] = str(exc)
    found = stated_quantities(answer)
    asks = [make_ask(i, checks[i].label, _asked(r, found), prompt) for i, r in readings.items()]
    picks = resolve(asks, answer, prompt)
    spare = _spare(found, picks, prompt)
    out = []
    for i, check in enumerate(checks):
        expected = reference_text(check.answer, check.unit)
        make = functools.partial(CheckResult, kind="numeric", label=check.label,
                                 weight=check.weight, method=METHOD, expected=expected)
        if i in errors:
            out.append(make(status=CheckStatus.ungraded, score=0.0,
                            reason=f"the check's reference cannot be read: {errors[i]}"))
        elif picks[i].candidate is None:
            out.append(make(status=CheckStatus.unaddressed, score=0.0,
                            reason=_unaddressed_reason(check, readings[i][0].quantity,
                                                       picks[i], answer, spare)))
        else:
            out.append(_graded(make, check, readings[i], picks[i]))
    return out


def _asked(readings: list[_Reading], found: list[Found]) -> pint.Quantity:
    """The reading to look for: the answer's, or else an alternative's the reply can match."""
    for reading in readings:
        if candidates(found, reading.quantity):
            return reading.quantity
    return readings[0].quantity


def _readings(check: NumericCheck) -> list[_Reading]:
    expected = reference_text(check.answer, check.unit)
    out = [_Reading("answer", reference_quantity(check.answer, check.unit), expected)]
    out += [_Reading(alt.note, reference_quantity(alt.answer, alt.unit),
                     reference_text(alt.answer, alt.unit)) for alt in check.alternatives]
    return out


def _graded(make: functools.partial[CheckResult], check: NumericCheck,
            readings: list[_Reading], pick: Pick) -> CheckResult:
    chosen = pick.candidate
    assert chosen is not None
    grades = [g for r in readings if (g := _grade_reading(check, r, chosen)) is not None]
    best = max(grades, key=lambda g: (g.score, -readings.index(g.reading)))
    if best.score == 0.0:
        best = grades[0]
    f = chosen.found
    ref = best.reading.quantity
    first = f.readings[0]
    converted = ("" if first.unit.quantity.units == ref.units and first.value == best.value
                 else f" = {best.value:.4g} {ref.units:~P}".rstrip())
    where = TIER_LABELS[f.tier] if f.tier > BODY else "text"
    note = f"; {chosen.note}" if chosen.note else ""
    reason = (f"took {f.text} ({where}{note}){converted} in “{_excerpt(f.sentence, f.text)}”: "
              f"{best.how}")
    if best.reading.label != "answer" and best.score > 0:
        reason += f" (accepted reading: {best.reading.label})"
    elsewhere = _also_right(check, best, pick)
    if elsewhere is not None and best.status != CheckStatus.passed:
        reason += (f"; {elsewhere} also appears but is not the value that answers this ask, "
                   "and the answer's own statement decides")
    return make(status=best.status, score=best.score, found=f.text,
                matched=best.reading.label if best.score > 0 else None, reason=reason)


def _grade_reading(check: NumericCheck, reading: _Reading, chosen: Candidate) -> _Grade | None:
    """The chosen value against one reading of the reference (its dimension may differ)."""
    own = candidates([chosen.found], reading.quantity)
    if not own:
        return None
    status, score, how = _compare(check, own[0].value, reading)
    if status == CheckStatus.passed and _too_wide(check, chosen.found.spread):
        status, score = ((CheckStatus.partial, 0.5) if check.orders is not None
                         else (CheckStatus.failed, 0.0))
        how += (f", but the range {chosen.found.text} spans {chosen.found.spread:.3g}x, "
                "wider than the tolerance")
    return _Grade(reading, own[0].value, status, score, how)


def _too_wide(check: NumericCheck, spread: float) -> bool:
    """A range passes at its midpoint only when it is no wider than the tolerance band."""
    if spread <= 1.0:
        return False
    if check.orders is not None:
        return math.log10(spread) > 2 * check.orders
    tol = check.rel_tol if check.rel_tol is not None else DEFAULT_REL_TOL
    return (spread - 1) / math.sqrt(spread) > 2 * tol


def _also_right(check: NumericCheck, best: _Grade, pick: Pick) -> str | None:
    chosen = pick.candidate
    for c in pick.all_candidates:
        if chosen is not None and c.found is not chosen.found \
                and _compare(check, c.value, best.reading)[0] == CheckStatus.passed:
            return c.found.text
    return None


def _excerpt(sentence: str, value: str) -> str:
    if len(sentence) <= _SENTENCE_CHARS:
        return sentence
    at = max(sentence.find(value), 0)
    start = max(0, min(at - _SENTENCE_CHARS // 2, len(sentence) - _SENTENCE_CHARS))
    return ("…" if start else "") + sentence[start:start + _SENTENCE_CHARS].strip() + "…"


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


def _spare(found: list[Found], picks: dict[int, Pick], prompt: str) -> list[Found]:
    """Values with a unit that answer no ask and restate nothing the question gives: what an
    unanswered ask's reason may name ("it gives 25 s (a time)")."""
    used = {id(p.candidate.found) for p in picks.values() if p.candidate is not None}
    givens = [g.readings[0].quantity() for g in stated_quantities(prompt) if not g.bare] \
        if prompt else []
    return [f for f in found if not f.bare and id(f) not in used
            and not any(_equal(f.readings[0].quantity(), g) for g in givens)]


def _equal(a: pint.Quantity, b: pint.Quantity) -> bool:
    return a.dimensionality == b.dimensionality and math.isclose(
        float(a.to_base_units().magnitude), float(b.to_base_units().magnitude), rel_tol=1e-6)


def _unaddressed_reason(check: NumericCheck, ref: pint.Quantity, pick: Pick,
                        answer: str, spare: list[Found]) -> str:
    wanted = describe(str(ref.dimensionality))
    ask = f" for “{check.label}”" if check.label else ""
    found = stated_quantities(answer)
    if not found and not any(ch.isdigit() for ch in answer):
        return (f"not answered: the answer states no number at all "
                f"({with_article(wanted)} was expected{ask})")
    parts = list(pick.others)
    if not ref.dimensionless and str(ref.dimensionality) not in COUNTS:
        bare = _unique([f.text for f in found if f.bare and not f.counted])
        if bare:
            parts.append(f"{', '.join(bare[-2:])} with no unit ({with_article(wanted)} "
                         "needs one)")
    dim = str(ref.dimensionality)
    other = _unique([f"{f.text} ({describe(f.readings[0].dimension)})" for f in spare
                     if all(r.dimension != dim for r in f.readings)])
    if other:
        parts.append(f"it gives {', '.join(other[-2:])}")
    head = (f"not answered: no {wanted} in the answer reads as the value{ask or ' asked'}"
            if pick.all_candidates else f"not answered: the answer states no {wanted}{ask}")
    return head + (
        "; " + "; ".join(parts) if parts else "")


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"
