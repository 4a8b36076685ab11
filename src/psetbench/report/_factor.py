"""How far a wrong number was off: the factor found / expected, from a check's strings.

The checks' own quantity parser (`psetbench.checks.parse_quantity`, pint with psetbench's
units) is used when it is there; otherwise a small reader handles "2 TB", "2,000 GB", "1.5e3",
"3 x 10^4 s" and "2 billion", with SI prefixes on a shared unit. A factor that cannot be read
is None, never a guess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_NUMBER = re.compile(
    r"^\s*\$?\s*(?P<num>[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"(?:\s*(?:x|×|\*|\\times)\s*10\s*\^\s*\{?(?P<exp>[-+−]?\d+)\}?)?"
    r"\s*(?P<word>thousand|million|billion|trillion)?\s*(?P<unit>.*?)\s*$",
    re.IGNORECASE,
)
_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_PREFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
           "m": 1e-3, "µ": 1e-6, "u": 1e-6, "n": 1e-9}


@dataclass(frozen=True)
class Factor:
    value: float  # found / expected; negative when the sign is wrong

    @property
    def power_of_ten(self) -> int | None:
        """n when the answer is off by 10^n (n != 0), else None."""
        if self.value == 0:
            return None
        exp = math.log10(abs(self.value))
        n = round(exp)
        return n if n != 0 and abs(exp - n) < 0.02 else None

    @property
    def short(self) -> str:
        """The multiplier alone: ×1,000, ×0.5, ×-2."""
        n = self.power_of_ten
        size = abs(self.value)
        sign = "-" if self.value < 0 else ""
        if n is None:
            return f"×{sign}{_sig3(size)}"
        return f"×{sign}{10 ** n:,}" if 0 < n <= 6 else (
            f"×{sign}{10.0 ** n:g}" if -3 <= n < 0 else f"×{sign}10^{n}")

    @property
    def text(self) -> str:
        """The multiplier with what it means: "×1,000, a power of ten"."""
        if math.isclose(abs(self.value), 1.0, rel_tol=1e-6):
            return "sign flipped" if self.value < 0 else "×1"
        sign = ", sign flipped" if self.value < 0 else ""
        ten = ", a power of ten" if self.power_of_ten is not None else ""
        return f"{self.short}{ten}{sign}"


def _sig3(x: float) -> str:
    """Three significant digits without exponent notation for everyday sizes."""
    if x == 0 or not 1e-4 <= x < 1e9:
        return f"{x:.3g}"
    return f"{float(f'{x:.3g}'):,.10g}"


def _simple(text: str) -> tuple[float, str] | None:
    m = _NUMBER.match(text.replace("\u2009", "").replace("\u202f", ""))
    if not m:
        return None
    value = float(m.group("num").replace(",", "").replace("−", "-"))
    if m.group("exp"):
        value *= 10.0 ** int(m.group("exp").replace("−", "-"))
    if m.group("word"):
        value *= _WORDS[m.group("word").lower()]
    return value, m.group("unit").strip().rstrip(".")


def _same_base(unit_a: str, unit_b: str) -> float | None:
    """Scale from unit_b to unit_a when they differ only by an SI prefix, else None."""
    if unit_a == unit_b or not unit_a or not unit_b:  # a bare number takes the other's unit
        return 1.0
    for a, b in ((unit_a, unit_b), (unit_b, unit_a)):
        if len(a) == len(b) + 1 and a[1:] == b and a[0] in _PREFIX and b:
            scale = _PREFIX[a[0]]
            return 1.0 / scale if a == unit_a else scale
    if len(unit_a) == len(unit_b) and unit_a[1:] == unit_b[1:] and unit_a[1:] \
            and unit_a[0] in _PREFIX and unit_b[0] in _PREFIX:
        return _PREFIX[unit_b[0]] / _PREFIX[unit_a[0]]
    return None


def _checks_parser() -> Any:
    try:
        from psetbench.checks import parse_quantity
    except ImportError:
        return None
    return parse_quantity


def _pint_factor(parse: Any, expected: str, found: str) -> Factor | None:
    try:
        want = parse(expected)
        got = parse(found)
        if hasattr(want, "to") and hasattr(got, "to"):
            ratio = float(got.to(want.units).magnitude) / float(want.magnitude)
        else:
            ratio = float(got) / float(want)
    except Exception:  # any parse or conversion failure means "unknown"
        return None
    return Factor(ratio) if math.isfinite(ratio) else None


@lru_cache(maxsize=4096)
def off_by(expected: str, found: str | None) -> Factor | None:
    """found / expected when both parse as numbers of compatible units, else None.

    Numbers in the same unit (or one differing by an SI prefix) are read directly, which is
    exact and fast; anything else goes to the checks' pint-based parser.
    """
    if not found:
        return None
    want, got = _simple(expected), _simple(found)
    if want is not None and got is not None and want[0] != 0:
        scale = _same_base(want[1], got[1])
        if scale is not None:
            return Factor(got[0] * scale / want[0])
    parse = _checks_parser()
    return _pint_factor(parse, expected, found) if parse is not None else None
