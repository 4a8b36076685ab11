"""Quantities: a reference's expected value, and every number-with-unit an answer states."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pint

from psetbench.checks._numbers import find_numbers, read_number
from psetbench.checks._text import BODY, normalize, pieces
from psetbench.checks._units import (
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
    """One quantity stated in an answer, with every way to read it."""

    text: str
    readings: tuple[Reading, ...]
    bare: bool  # no unit at all
    tier: int
    order: tuple[int, int, int]
    demoted: bool  # only compared against: "than 80 GB", "an 80 GB GPU"


_DEMOTING = frozenset(
    "a an each per every one single than exceeds exceed exceeding vs versus only".split())
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^A-Za-z0-9]{0,2}$")
_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")
_MODEL_NAME = re.compile(  # "8 H100 GPUs"
    r"[ \t]?[A-Z]{1,2}\d{2,4}[A-Za-z]*(?=[ \t]+(?:GPU|gpu|TPU|accelerator)s?\b)")


def find_quantities(answer: str) -> list[Found]:
    """Every number in the answer, read with its unit when it has one."""
    found: list[Found] = []
    for piece in pieces(answer):
        found.extend(scan_text(piece.text, piece.tier, piece.order))
    return found


def scan_text(text: str, tier: int = BODY, order: tuple[int, int] = (0, 0)) -> list[Found]:
    """The quantities in one normalized stretch of text."""
    out: list[Found] = []
    dollar = term("$")
    plain = unit_reading("dimensionless")
    byte = unit_reading("byte")
    assert plain is not None and byte is not None
    for number in find_numbers(text):
        start = number.start
        lead = None
        before = text[:start].rstrip(" ")
        if before.endswith("$"):
            lead, start = dollar, len(before) - 1
        pos = number.end
        if lead is None and (model := _MODEL_NAME.match(text, pos)) is not None:
            pos = model.end()  # "8 H100 GPUs"
        scanned = scan_unit(text, pos, lead=lead)
        end = number.end
        if scanned is not None:
            end = scanned[0]
            readings = tuple(Reading(number.value, unit) for unit in scanned[1])
        elif number.billion_or_byte:  # "70B": 70 billion, or 70 bytes
            readings = (Reading(number.value, plain), Reading(number.value / 1e9, byte))
        else:
            readings = (Reading(number.value, plain),)
        out.append(Found(
            text=text[start:end].strip(),
            readings=readings,
            bare=scanned is None and not number.billion_or_byte,
            tier=tier,
            order=(order[0], order[1], start),
            demoted=_demoted(text, start, end),
        ))
    return out


def _demoted(text: str, start: int, end: int) -> bool:
    before = _WORD_BEFORE.search(text, 0, start)
    after = _WORD_AFTER.match(text, end)
    return bool(
        (before is not None and before.group(1).lower() in _DEMOTING)
        or (after is not None and after.group(1).lower() == "each")
    )


__all__ = ["Found", "Reading", "find_quantities", "parse_quantity", "reference_quantity"]
