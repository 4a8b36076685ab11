"""psetbench's unit registry and unit reader.

pint does the arithmetic; this module decides what a unit *word* means, because homework
writes units in ways plain pint reads wrongly: bytes are dimensionless there, "Tb" is a
terabarn, "KB" and FLOP are undefined, "GPU-hours" is a subtraction and "$" is an error.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import pint

from psetbench.checks._numbers import read_number
from psetbench.checks._text import normalize


class UnitError(ValueError):
    """A unit or quantity psetbench cannot read; the message names the text and a fix."""


UNIT_HINT = (
    "write a unit such as 'TB', 'GiB', 'Tb' (terabit), 'TFLOP/s', 'FLOP', 'USD/hour', "
    "'GPU*hour', 'token' or 'parameter'"
)

# pint's default lines that psetbench replaces (each must occur exactly once).
_REPLACEMENTS = [
    (re.compile(r"^bit = \[\]\s*$", re.M), "bit = [information] = b"),
    (re.compile(r"^(barn = [^=\n]+?) = b\s*$", re.M), r"\1"),
]


@functools.cache
def unit_registry() -> pint.UnitRegistry:
    """psetbench's registry: pint's defaults plus `units.txt`. Built once per process."""
    pint_files = resources.files("pint")
    text = (pint_files / "default_en.txt").read_text(encoding="utf-8")
    constants = (pint_files / "constants_en.txt").read_text(encoding="utf-8")
    text = text.replace("@import constants_en.txt", constants)
    for pattern, replacement in _REPLACEMENTS:
        text, count = pattern.subn(replacement, text)
        if count != 1:
            raise RuntimeError(
                f"pint {pint.__version__} changed its default units ({pattern.pattern!r} not "
                "found); psetbench cannot set up its units with this pint version"
            )
    ours = (resources.files(__package__) / "units.txt").read_text(encoding="utf-8")
    registry: pint.UnitRegistry = pint.UnitRegistry(filename=None, cache_folder=None)
    registry.load_definitions((text + "\n" + ours).splitlines())
    return registry


@dataclass(frozen=True)
class Term:
    """One unit word and its possible readings as pint expressions."""

    text: str
    readings: tuple[str, ...]
    flop: str | None = None  # "count", "rate" or "either" for FLOP words
    time: bool = False


_PREFIX_LETTER = {"k": "kilo", "m": "mega", "g": "giga", "t": "tera", "p": "peta", "e": "exa",
                  "z": "zetta", "y": "yotta"}
_BINARY_LETTER = {"k": "kibi", "m": "mebi", "g": "gibi", "t": "tebi", "p": "pebi", "e": "exbi"}
# Data symbols: the prefix letter's case is forgiven (data is never "milli"), the B/b is not:
# uppercase B is a byte, lowercase b a bit, so "Tb" is never "TB".
_DATA_SYMBOL = re.compile(r"(?P<p>[kKmMgGtTpPeEzZyY](?P<i>i)?)?(?P<u>B|b|bits?|bytes?)")
_DATA_WORD = re.compile(
    r"(?P<p>kilo|mega|giga|tera|peta|exa|zetta|yotta|kibi|mebi|gibi|tebi|pebi|exbi)?"
    r"(?P<u>bit|byte)s?", re.I)
_FLOP_WORD = re.compile(
    r"(?P<p>kilo|mega|giga|tera|peta|exa|zetta|yotta|[kKmMgGtTpPeEzZyY])?-?(?P<s>flop)(?P<pl>s?)",
    re.I)
_FLOP_PREFIX = {"kilo": "kilo", "mega": "mega", "giga": "giga", "tera": "tera", "peta": "peta",
                "exa": "exa", "zetta": "zetta", "yotta": "yotta"}

# Words pint knows as units that, right after a number, are far likelier English or a
# variable ("5 in total", "2 at a time", "4 d^2"); a unit field may still use them.
_NOT_UNITS = frozenset(
    "a an at in are as us me he it point points count cup pint bar gross pi mil pt pc "
    "C F A G P M T d l k c e E R".split())


# pint reads any word that starts with a prefix symbol as prefix + unit: "nats" = nano-"at"
# (technical atmospheres), "PF" = petafarad, "mat" = milli-"at". An unknown word must never be
# split that way, so a prefix is accepted only on units that people write with prefixes.
_PREFIXABLE = frozenset(
    "meter gram second hertz watt watt_hour joule electron_volt volt ampere pascal newton liter "
    "mole kelvin calorie metric_ton ohm siemens byte bit FLOP".split())
_SMALL_PREFIXES = frozenset("pico nano micro milli".split())  # pF, nF, µF, mH; never "PF"
_FLOP_LETTER = re.compile(r"([kKMGTPEZY])F")


def _whole_unit(word: str) -> bool:
    """True when `word` is a unit's own name or symbol, or a prefix on a unit that takes one."""
    for prefix, unit, _ in unit_registry().parse_unit_name(word):
        if not prefix or unit in _PREFIXABLE:
            return True
        if unit in ("farad", "henry") and prefix in _SMALL_PREFIXES:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def term(word: str, strict: bool = True) -> Term | None:
    """What one unit word means, or None if it is not a unit (`strict`: refuse English words)."""
    if word == "$":
        return Term(word, ("USD",))
    if word == "%":
        return Term(word, ("percent",))
    if word == "pct":
        return Term(word, ("percent",))
    if word.lower() == "pfs":  # petaflop/s, as in "pfs-days"
        return Term(word, ("petaFLOP",), flop="rate")
    if (m := _DATA_SYMBOL.fullmatch(word)) is not None:
        unit = "byte" if m["u"].startswith(("B", "byte")) else "bit"
        prefix = m["p"] or ""
        table = _BINARY_LETTER if m["i"] else _PREFIX_LETTER
        name = table.get(prefix[:1].lower(), "") if prefix else ""
        if prefix and not name:
            return None
        return Term(word, (name + unit,))
    if (m := _DATA_WORD.fullmatch(word)) is not None:
        return Term(word, ((m["p"] or "").lower() + m["u"].lower(),))
    if (m := _FLOP_WORD.fullmatch(word)) is not None:
        prefix = m["p"] or ""
        name = _FLOP_PREFIX.get(prefix.lower()) or _PREFIX_LETTER.get(prefix.lower(), "")
        if prefix and not name:
            return None
        if not m["pl"]:
            kind = "count"
        elif m["pl"] == "S" and m["s"].isupper():
            kind = "rate"  # FLOPS
        else:
            kind = "either"  # FLOPs, flops: a count, or loosely a rate
        return Term(word, (name + "FLOP",), flop=kind)
    if (m := _FLOP_LETTER.fullmatch(word)) is not None:  # "PF-days", "3 TF"
        return Term(word, (_PREFIX_LETTER[m[1].lower()] + "FLOP",), flop="either")
    if strict and word in _NOT_UNITS:
        return None
    registry = unit_registry()
    try:
        parsed = registry.parse_units(word)
    except Exception:  # pint raises several error types for words it cannot read
        return None
    if not _whole_unit(word):
        return None
    return Term(word, (word,),
                time=parsed.dimensionality == registry.get_dimensionality("[time]"))


_WORD = re.compile(r"[$%¢]|[A-Za-zµμΩ°][A-Za-zµμ_]*")
_EXPONENT = re.compile(r"\^\s*\(?([-+]?\d+)\)?|\*\*\s*\(?([-+]?\d+)\)?")
_HYPHEN = re.compile(r"-(?=[A-Za-zµμ$])")
_DIVIDE = re.compile(r"[ \t]*/[ \t]*|[ \t]+per[ \t]+|[ \t]+an?[ \t]+(?=(?:hour|day|year|month)\b)")
DIVIDE = _DIVIDE
_MULTIPLY = re.compile(r"[ \t]*[*·][ \t]*")
_SPACE = re.compile(r"[ \t]+")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_WORD = re.compile(r"(thousand|million|billion|trillion)[ \t]+", re.I)
_GAP = re.compile(r"[ \t]?-?")  # between a number and its unit: "2 TB", "2TB", "5-day"


@dataclass
class _Group:
    sign: int  # +1 multiplies, -1 divides
    terms: list[tuple[Term, int]]  # (term, power)
    factor: float = 1.0
    tight: bool = False  # "/s" binds only itself: "petaflop/s-day" is (petaflop/s)*day

    def frozen(self) -> _Frozen:
        return _Frozen(self.sign, tuple(self.terms), self.factor, self.tight)


class _Frozen(NamedTuple):
    sign: int
    terms: tuple[tuple[Term, int], ...]
    factor: float
    tight: bool


@dataclass(frozen=True)
class UnitReading:
    """One reading of a unit expression: 1 of the unit (times any factor) and its dimension."""

    expr: str  # the pint expression, e.g. "(petaFLOP / second) * (day)"
    quantity: pint.Quantity
    dimension: str  # e.g. "[information]", "[flop] / [time]", "dimensionless"

    def factor(self, units: str) -> float:
        """How many `units` one of this unit is (units of the same dimension)."""
        return _factor(self.expr, units)


def _read_term(text: str, pos: int, strict: bool) -> tuple[Term, int, int] | None:
    m = _WORD.match(text, pos)
    if m is None or (m.end() < len(text) and text[m.end()].isdigit() and m[0][0].isalpha()):
        return None  # "H100" is a name, not henry
    found = term(m.group(0), strict)
    if found is None:
        return None
    power, end = 1, m.end()
    if (e := _EXPONENT.match(text, end)) is not None:
        power, end = int(e[1] or e[2]), e.end()
    return found, power, end


def scan_unit(text: str, pos: int, *, lead: Term | None = None,
              strict: bool = True) -> tuple[int, tuple[UnitReading, ...]] | None:
    """The unit expression starting at `pos`: (end, readings), or None if there is none.

    `lead` starts the unit with an already-read term (the "$" of "$1.50/hour").
    """
    if lead is not None:
        groups, end = [_Group(1, [(lead, 1)])], pos
    else:
        gap = _GAP.match(text, pos)
        start = gap.end() if gap is not None else pos
        first = _read_term(text, start, strict)
        if first is None:
            return None
        groups, end = [_Group(1, [(first[0], first[1])])], first[2]
    while True:
        if (m := _HYPHEN.match(text, end)) and (t := _read_term(text, m.end(), False)):
            _join(groups, t, end_group=groups[-1].tight)
            end = t[2]
            continue
        if (m := _DIVIDE.match(text, end)) is not None:
            j, factor = m.end(), 1.0
            number = read_number(text, j)
            if number is not None and m.group(0).strip() == "/" and not _power_of_ten(number.value):
                break  # "200 TB / 80 GB" divides two quantities; "$3 / 1M tokens" is a price
            if number is not None:  # "per 1M tokens"
                factor, j = number.value, number.end
                if (space := _SPACE.match(text, j)) is not None:
                    j = space.end()
            elif (word := _SCALE_WORD.match(text, j)) is not None:  # "per million tokens"
                factor, j = _SCALES[word[1].lower()], word.end()
            if (t := _read_term(text, j, False)) is not None:
                tight = m.group(0).strip() == "/" and t[0].text in ("s", "sec")
                groups.append(_Group(-1, [(t[0], t[1])], factor, tight))
                end = t[2]
                continue
            break
        if (m := _MULTIPLY.match(text, end)) and (t := _read_term(text, m.end(), False)):
            groups.append(_Group(1, [(t[0], t[1])]))
            end = t[2]
            continue
        if ((m := _SPACE.match(text, end)) and (t := _read_term(text, m.end(), True))
                and t[0].time):
            _join(groups, t, end_group=groups[-1].tight)
            end = t[2]
            continue
        break
    readings = _readings(tuple(g.frozen() for g in groups))
    return (end, readings) if readings else None


def _power_of_ten(value: float) -> bool:
    return value > 0 and math.isclose(math.log10(value), round(math.log10(value)), abs_tol=1e-9)


def _join(groups: list[_Group], t: tuple[Term, int, int], end_group: bool) -> None:
    if end_group:
        groups.append(_Group(1, [(t[0], t[1])]))
    else:
        groups[-1].terms.append((t[0], t[1]))


def _term_options(groups: tuple[_Frozen, ...], gi: int, ti: int) -> tuple[str, ...]:
    """A FLOP word's readings: before a time it is a rate ("petaFLOP-day"), before "/s" a
    count ("FLOPs/s"); "FLOPs" alone may be either, and the reference decides."""
    word = groups[gi].terms[ti][0]
    if word.flop is None:
        return word.readings
    rate = tuple(f"({r} / second)" for r in word.readings)
    if word.flop == "rate" or _before_time(groups, gi, ti):
        return rate
    if word.flop == "count":
        return word.readings
    following = groups[gi + 1] if gi + 1 < len(groups) else None
    if (ti == len(groups[gi].terms) - 1 and following is not None and following.sign < 0
            and following.terms[0][0].time):
        return word.readings
    return word.readings + rate


def _before_time(groups: tuple[_Frozen, ...], gi: int, ti: int) -> bool:
    terms = groups[gi].terms
    if ti + 1 < len(terms):
        return terms[ti + 1][0].time
    following = groups[gi + 1] if gi + 1 < len(groups) else None
    return following is not None and following.sign > 0 and following.terms[0][0].time


@functools.lru_cache(maxsize=4096)
def _readings(groups: tuple[_Frozen, ...]) -> tuple[UnitReading, ...]:
    options = [
        [_term_options(groups, gi, ti) for ti in range(len(group.terms))]
        for gi, group in enumerate(groups)
    ]
    slots = [(gi, ti) for gi, group in enumerate(groups) for ti in range(len(group.terms))]
    choices = itertools.product(*(options[gi][ti] for gi, ti in slots))
    out: list[UnitReading] = []
    for choice in itertools.islice(choices, 8):
        picked = dict(zip(slots, choice, strict=True))
        parts = []
        for gi, group in enumerate(groups):
            inner = " * ".join(
                picked[(gi, ti)] + (f" ** {power}" if power != 1 else "")
                for ti, (_, power) in enumerate(group.terms)
            )
            if group.factor != 1.0:
                inner = f"{group.factor!r} * {inner}"
            op = "" if gi == 0 else (" / " if group.sign < 0 else " * ")
            parts.append(f"{op}({inner})")
        reading = unit_reading("".join(parts))
        if reading is not None and all(r.dimension != reading.dimension for r in out):
            out.append(reading)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def unit_reading(expr: str) -> UnitReading | None:
    """A pint expression ('GB', '(petaFLOP / second) * (day)') as a reading, or None."""
    try:
        quantity = unit_registry().parse_expression(expr)
    except Exception:  # pint raises several error types for what it cannot read
        return None
    if not isinstance(quantity, pint.Quantity):
        return None
    try:
        2.0 * quantity  # offset units (degC) cannot be scaled; homework units can
    except Exception:  # pint's OffsetUnitCalculusError and kin
        return None
    return UnitReading(expr, quantity, str(quantity.dimensionality))


@functools.lru_cache(maxsize=4096)
def _factor(expr: str, units: str) -> float:
    registry = unit_registry()
    return float(registry.parse_expression(expr).to(units).magnitude)


def _first_unknown(text: str) -> str:
    for m in _WORD.finditer(text):
        if m.group(0) != "per" and term(m.group(0), False) is None:
            return m.group(0)
    return text


@functools.lru_cache(maxsize=1024)
def parse_unit(unit: str) -> tuple[UnitReading, ...]:
    """Every reading of a unit field ('TB', 'FLOP/s', 'USD/hour', 'GPU*hour'); UnitError if none."""
    text = normalize(unit).strip()
    if not text:
        raise UnitError(f"unit {unit!r} is empty; {UNIT_HINT}")
    lead = term("$") if text.startswith("$") else None
    found = scan_unit(text, 1 if lead else 0, lead=lead, strict=False)
    if found is None or text[found[0]:].strip():
        rest = text if found is None else text[found[0]:]
        raise UnitError(f"unknown unit {_first_unknown(rest)!r} in {unit!r}; {UNIT_HINT}")
    return found[1]


def check_unit(unit: str) -> str | None:
    """None if psetbench can read the unit, else a one-line message with a hint."""
    try:
        parse_unit(unit)
    except UnitError as exc:
        return str(exc)
    return None
