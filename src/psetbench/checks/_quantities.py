"""Quantities: a reference's expected value, and every number-with-unit an answer states."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pint

from psetbench.checks._numbers import Number, find_numbers, read_number
from psetbench.checks._text import normalize
from psetbench.checks._units import (
    DIVIDE,
    Term,
    UnitError,
    UnitReading,
    parse_unit,
    scan_unit,
    term,
    unit_reading,
    unit_registry,
)

QUANTITY_HINT = "write a number and a unit, e.g. '2 TB', '1.98 PFLOP/s' or '$1.50/hour'"


@functools.lru_cache(maxsize=1024)
def parse_quantity(text: str) -> pint.Quantity:
    """'2 TB', '1.98 PFLOP/s', '$1.50/hour', '1000 GPU-hours', '200 billion tokens', '1e30 FLOP'.

    Raises UnitError (a ValueError) naming the text and a fix when it cannot be read.
    """
    norm = normalize(text).strip().rstrip(".").strip()
    pos, lead = 0, None
    if norm.startswith("$"):
        lead = term("$")
        pos = len(norm) - len(norm[1:].lstrip())
    number = read_number(norm, pos)
    if number is None:
        raise UnitError(f"cannot read {text!r} as a quantity: no number at its start; "
                        f"{QUANTITY_HINT}")
    rest = norm[number.end:]
    if not rest.strip() and lead is None:
        return unit_registry().Quantity(number.value)
    found = scan_unit(norm, number.end, lead=lead, strict=False)
    if found is None or norm[found[0]:].strip():
        left = (rest if found is None else norm[found[0]:]).strip()
        raise UnitError(f"cannot read {text!r} as a quantity: {left!r} is not a unit "
                        f"psetbench knows; {QUANTITY_HINT}")
    return number.value * found[1][0].quantity


@functools.lru_cache(maxsize=1024)
def reference_quantity(answer: float | str, unit: str | None) -> pint.Quantity:
    """A numeric check's expected value from its `answer` and optional `unit` fields."""
    if isinstance(answer, str):
        quantity = parse_quantity(answer)
        if unit is None:
            return quantity
        if not quantity.dimensionless:
            raise UnitError(f"answer {answer!r} already has a unit; drop unit {unit!r} "
                            "or give a bare number")
        return quantity.to("dimensionless").magnitude * parse_unit(unit)[0].quantity
    if unit is None:
        return unit_registry().Quantity(float(answer))
    return float(answer) * parse_unit(unit)[0].quantity


def reference_text(answer: float | str, unit: str | None) -> str:
    """The reference as a person would write it."""
    value = answer if isinstance(answer, str) else f"{answer:g}"
    return f"{value} {unit}" if unit else value


@dataclass(frozen=True)
class Reading:
    """One way to read a stated quantity: a value of a unit."""

    value: float
    unit: UnitReading

    @property
    def dimension(self) -> str:
        return self.unit.dimension

    def quantity(self) -> pint.Quantity:
        return self.value * self.unit.quantity


@dataclass(frozen=True)
class Found:
    """One quantity stated in an answer, with every way to read it and where it stands."""

    text: str
    readings: tuple[Reading, ...]
    bare: bool  # no unit at all
    tier: int
    order: tuple[int, int, int]
    demoted: bool  # only compared against: "than 80 GB", "an 80 GB GPU"
    sentence: str = ""  # the sentence it stands in, for the reason
    near: frozenset[str] = frozenset()  # words of its own clause: what it is the value of
    far: frozenset[str] = frozenset()  # words of its sentence and heading
    aside: bool = False  # in parentheses, after "i.e."/"e.g.", or on a sanity-check line
    counted: str = ""  # a bare number's noun: "96 layers" counts layers
    operand: bool = False  # a bare number inside arithmetic or a tuple: "2 × 12288 × 96"
    intermediate: bool = False  # the left side of "=", "⇒" or "≈": a step, not the result
    concluding: bool = False  # its clause concludes: "so the answer is", "in total", "Total:"
    spread: float = 1.0  # a range's high end over its low end ("1–3 × 10^24": 3); else 1


@dataclass(frozen=True)
class Stated:
    """A quantity as scanned from one normalized line, before its context is known."""

    start: int
    end: int
    readings: tuple[Reading, ...]
    bare: bool
    demoted: bool
    counted: str = ""
    per: str = ""  # the "per token" dropped from "41.7 s per token" for its per-unit reading
    operand: bool = False
    spread: float = 1.0


_DEMOTING = frozenset(
    "a an each per every one single than exceeds exceed exceeding vs versus only".split())
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^A-Za-z0-9]{0,2}$")
_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")
_ACCELERATOR = r"(?:[AHVBLPT]|GB|MI)\d{1,3}[A-Za-z]{0,2}?"  # A100, H100, V100, B200, MI300X
_MODEL_NAME = re.compile(  # "8 H100 GPUs"
    rf"[ \t]?{_ACCELERATOR}(?=[ \t]+(?:GPU|gpu|TPU|accelerator)s?\b)")
_ACCELERATOR_COUNT = re.compile(rf"[ \t]?{_ACCELERATOR}s?(?![A-Za-z0-9])")  # "2,500 H100s"
# A size that describes a thing rather than answering: "two 80 GB GPUs", "an 80 GB A100".
_SPEC = re.compile(
    rf"[ \t]*-?(?:GPU|TPU|card|accelerator|device|node|server|machine|drive|disk|SSD|chip"
    rf"|stick|DIMM|{_ACCELERATOR})s?\b")
_NOUN_AFTER = re.compile(r"[ \t]+([A-Za-z][A-Za-z-]+)")
_FUNCTION_WORDS = frozenset(
    "a an and are as at be by for from in into is it of on or so that the then this to was "
    "were which with we you per each total overall in all".split())
_DEFINITION = re.compile(r"[ \t]*(?:=|≈|equals\b)")  # "1 petaFLOP/s-day = ...": a definition
_OPERATOR_AFTER = re.compile(r"\s*[×x*/+·^-]\s*(?:[\d(]|\.\d)")
_OPERATOR_BEFORE = re.compile(r"[×*/+·^-]\s*$")
_ADJECTIVE = re.compile(r"[ \t]+[a-z]{3,}(?=[ \t]+[A-Za-z])")
_UNIT_LABEL = re.compile(
    r"(?:^[\s*+>#-]*|[,;]\s*|\s-\s)(?P<label>[A-Za-z$][A-Za-z$()\- /]{0,30}?)"
    r"(?:\s*(?:≈|=|:|~))+\s*$")
_ORDINAL_LABEL = re.compile(
    r"\b(?:step|part|question|problem|case|option|phase|stage|section|eq|equation|fig|figure|"
    r"table|item|round|example|method|approach|scenario|no)\.?[ \t]*#?$", re.I)
_TUPLE_OPEN = re.compile(r"[\[(][\s\d.,+-]*$")
_TUPLE_CLOSE = re.compile(r"[\s\d.,+-]*[\])]")
_FOLLOWING_TIME = re.compile(r"[ \t]*(?:and[ \t]+)?")
_LEAD_USD = re.compile(r"(?:USD|\$)[ \t]*$")
_COUNT_DIMENSIONS = frozenset({"[token]", "[gpu]", "[parameter]", "[flop]"})


def find_quantities(answer: str) -> list[Found]:
    """Every number in the answer, read with its unit when it has one (see `_answer`)."""
    from psetbench.checks._answer import stated_quantities  # _answer builds on this module

    return stated_quantities(answer)


def scan_text(text: str) -> list[Stated]:
    """The quantities in one normalized line."""
    out: list[Stated] = []
    for number in find_numbers(text, ranges=True):
        if out and number.start < out[-1].end:
            continue  # the "30 min" of "1 h 30 min", the "1M tokens" of "$3 per 1M tokens"
        stated = _scan_one(text, number)
        if stated is not None:
            out.append(stated)
    return out


def _scan_one(text: str, number: Number) -> Stated | None:
    start, lead = number.start, None
    if (m := _LEAD_USD.search(text, _behind(start), start)) is not None:  # "$4.6M", "USD 4.6M"
        lead, start = term("$"), m.start()
    pos = number.end
    scanned = _unit_after(text, pos, lead)
    if number.low is not None and not number.scaled and scanned is None:
        first = read_number(text, number.start)  # "positions 16-20": not a range of values
        if first is None:
            return None
        number, pos = first, first.end
        scanned = _unit_after(text, pos, lead)
    if scanned is None:
        return _unitless(text, number, start)
    end, units = scanned
    if _SPEC.match(text, end) or (number.value == 1 and _DEFINITION.match(text, end)):
        return None
    readings = tuple(Reading(number.value, unit) for unit in units)
    readings, end = _following_times(text, readings, end)
    head, per = _per_unit(text, pos, end, lead, readings)
    spread = number.high / number.low if number.low and number.high else 1.0
    return Stated(start, end, readings + head, bare=False,
                  demoted=_demoted(text, start, end), per=per, spread=spread)


def _unit_after(text: str, pos: int,
                lead: Term | None) -> tuple[int, tuple[UnitReading, ...]] | None:
    if lead is None and (model := _MODEL_NAME.match(text, pos)) is not None:
        pos = model.end()  # "8 H100 GPUs"
    elif lead is None and (model := _ACCELERATOR_COUNT.match(text, pos)) is not None:
        gpu = unit_reading("GPU")
        assert gpu is not None
        return model.end(), (gpu,)
    found = scan_unit(text, pos, lead=lead)
    if found is None and lead is None and (word := _ADJECTIVE.match(text, pos)) is not None:
        after = scan_unit(text, word.end(), lead=None)  # "32,000 trainable params"
        if after is not None and all(u.dimension in _COUNT_DIMENSIONS for u in after[1]):
            return after
    return found


def _labelled_unit(text: str, start: int) -> tuple[UnitReading, ...]:
    """'GPU-hours ≈ 2.15e13', 'Years: 24,500', 'Memory (GB): 140': the label names the unit."""
    m = _UNIT_LABEL.search(text, _behind(start), start)
    if m is None:
        return ()
    label = m["label"].strip()
    inner = re.search(r"\(([^()]+)\)\s*$", label)
    unit = inner[1] if inner is not None else label
    if inner is None and len(unit) < 3:
        return ()  # "N = 10^14" is a symbol, not newtons
    for text_unit in (unit, unit.lower()):  # "Years ≈ 2.46e4"
        found = scan_unit(text_unit, 0, strict=True)
        if found is not None and found[0] == len(unit):
            return found[1]
    return ()


def _unitless(text: str, number: Number, start: int) -> Stated | None:
    if _ORDINAL_LABEL.search(text, _behind(start), start):
        return None  # "Step 2", "Part 3": a label, not a quantity
    plain = unit_reading("dimensionless")
    assert plain is not None
    noun = _NOUN_AFTER.match(text, number.end)
    counted = noun[1] if noun is not None and noun[1].lower() not in _FUNCTION_WORDS else ""
    operand = bool(_OPERATOR_AFTER.match(text, number.end)
                   or _OPERATOR_BEFORE.search(text, _behind(start), start)
                   or _in_tuple(text, start, number.end))
    if number.billion_or_byte and not counted and not operand:  # "70B": 70e9, or 70 bytes
        byte = unit_reading("byte")
        assert byte is not None
        readings = (Reading(number.value, plain), Reading(number.value / 1e9, byte))
        return Stated(start, number.end, readings, bare=False,
                      demoted=_demoted(text, start, number.end))
    if not counted and (labelled := _labelled_unit(text, start)):
        return Stated(start, number.end, tuple(Reading(number.value, u) for u in labelled),
                      bare=False, demoted=_demoted(text, start, number.end))
    return Stated(start, number.end, (Reading(number.value, plain),),
                  bare=not number.billion_or_byte, demoted=_demoted(text, start, number.end),
                  counted=counted, operand=operand)


def _following_times(text: str, readings: tuple[Reading, ...],
                     end: int) -> tuple[tuple[Reading, ...], int]:
    """'1 h 30 min', '2 days 4 hours': one time, in the first unit."""
    if len(readings) != 1 or readings[0].dimension != "[time]":
        return readings, end
    total, last = readings[0].quantity(), readings[0].unit.quantity
    while (gap := _FOLLOWING_TIME.match(text, end)) is not None:
        number = read_number(text, gap.end())
        more = scan_unit(text, number.end) if number is not None else None
        if number is None or more is None or number.value < 0 \
                or more[1][0].dimension != "[time]" or not more[1][0].quantity < last:
            break
        last = more[1][0].quantity
        total = total + number.value * last
        end = more[0]
    first = readings[0]
    return (Reading(float(total.to(first.unit.quantity.units).magnitude)
                    / float(first.unit.quantity.magnitude), first.unit),), end


def _per_unit(text: str, pos: int, end: int, lead: Term | None,
              readings: tuple[Reading, ...]) -> tuple[tuple[Reading, ...], str]:
    """'41.7 s per token' also reads as 41.7 s (per token): a per-count phrasing of the ask."""
    divide = DIVIDE.search(text, pos, end)
    if divide is None or read_number(text, divide.end()) is not None:
        return (), ""  # "$3 per 1M tokens" is a price, never a total
    head = scan_unit(text[:divide.start()], pos, lead=lead)
    if head is None or head[0] != divide.start():
        return (), ""
    out = []
    for unit in head[1]:
        for full in readings:
            ratio = (unit.quantity / full.unit.quantity).dimensionality
            if ratio and set(ratio) <= _COUNT_DIMENSIONS:
                out.append(Reading(full.value, unit))
                break
    return tuple(out), text[divide.start():end].strip()


def _in_tuple(text: str, start: int, end: int) -> bool:
    """An element of '(1, 0, 0)' or an end of '[0, 1)': part of a tuple, not a value."""
    opened = _TUPLE_OPEN.search(text, _behind(start), start)
    closed = _TUPLE_CLOSE.match(text, end)
    return opened is not None and closed is not None and "," in opened[0] + closed[0]


def _behind(start: int) -> int:
    """Where a look back from `start` begins: the patterns anchored at `start` read a few words,
    and searching from 0 for each value of a long line would take quadratic time."""
    return max(0, start - 256)


def _demoted(text: str, start: int, end: int) -> bool:
    before = _WORD_BEFORE.search(text, _behind(start), start)
    after = _WORD_AFTER.match(text, end)
    return bool(
        (before is not None and before.group(1).lower() in _DEMOTING)
        or (after is not None and after.group(1).lower() == "each")
    )


__all__ = ["Found", "Reading", "Stated", "find_quantities", "parse_quantity",
           "reference_quantity", "scan_text"]
