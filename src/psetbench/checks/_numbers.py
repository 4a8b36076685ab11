"""Numbers as homework writes them: 2,000 / 1.7e15 / 1.7 × 10^15 / 10^24 / 200 billion / 70B.

The text is expected to be normalized first (see `_text.normalize`): LaTeX turned into
plain symbols, `^{15}` into `^15`, unicode minus into '-'.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_WORDS = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "quadrillion": 1e15,
}
_SUFFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12}

# Words a spaced "70 B" / "1.5 T" multiplier may stand before (otherwise "70 B" is 70 bytes).
_COUNT_WORDS = r"(?:tokens?|params?|parameters?|GPUs?|FLOPs?|FLOP|flops?|examples?|samples?)\b"

NUMBER = re.compile(
    rf"""
    (?P<sign>[-+])?
    (?:
        (?P<num>\d+)/(?P<den>[1-9]\d*)(?![\d.,])                # 3/4
      | (?P<mant>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
        (?:[eE](?P<exp>[-+]?\d+))?                             # 1.7e15
        (?:\s*\^\s*(?P<pow>[-+]?\d+))?                         # 10^24, 2^40
        (?:\s*(?:×|x|\*|·)\s*10\s*(?:\^|\*\*)\s*(?P<e10>[-+]?\d+))?   # 1.7 × 10^15
    )
    (?:
        \s*(?P<word>thousand|million|billion|trillion|quadrillion)\b
      | (?P<suffix>bn|[kKMBT])(?![A-Za-z0-9])
      | \s+(?P<spaced>[kKMBT])\s+(?={_COUNT_WORDS})
    )?
    """,
    re.VERBOSE,
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b")


@dataclass(frozen=True)
class Number:
    """One number found in text."""

    start: int
    end: int
    value: float
    text: str
    billion_or_byte: bool = False  # "70B" with no unit after it: 70e9, or 70 bytes


def _value(m: re.Match[str]) -> float | None:
    try:
        if m["num"] is not None:
            value = int(m["num"]) / int(m["den"])
        else:
            value = float(m["mant"].replace(",", ""))
            if m["exp"] is not None:
                value *= 10.0 ** int(m["exp"])
            if m["pow"] is not None:
                value = float(value ** int(m["pow"]))
            if m["e10"] is not None:
                value *= 10.0 ** int(m["e10"])
    except (OverflowError, ZeroDivisionError):
        return None
    if m["word"] is not None:
        value *= _WORDS[m["word"]]
    elif m["suffix"] is not None:
        value *= _SUFFIXES[m["suffix"]]
    elif m["spaced"] is not None:
        value *= _SUFFIXES[m["spaced"]]
    if m["sign"] == "-":
        value = -value
    return value


def _stands_alone(text: str, start: int) -> bool:
    """A number must not continue an identifier ("H100", "GPT-4", "fp16", "0.3.285")."""
    if start == 0:
        return True
    prev = text[start - 1]
    if prev.isalnum() or prev in "_.^":
        return False
    if prev == "-" and start >= 2 and (text[start - 2].isalnum() or text[start - 2] in "_."):
        return False  # a hyphenated name or a range such as 10-20
    return True


def read_number(text: str, pos: int) -> Number | None:
    """The number starting exactly at `pos`, if any."""
    m = NUMBER.match(text, pos)
    if m is None or not _stands_alone(text, m.start()) or _ORDINAL.match(text, m.end()):
        return None
    value = _value(m)
    if value is None or not math.isfinite(value):
        return None
    return Number(m.start(), m.end(), value, m.group(0).strip(), m["suffix"] == "B")


def find_numbers(text: str) -> list[Number]:
    """Every stand-alone number in `text`, left to right."""
    found: list[Number] = []
    pos = 0
    while True:
        m = NUMBER.search(text, pos)
        if m is None:
            return found
        number = read_number(text, m.start())
        if number is None:
            pos = m.start() + 1
            continue
        found.append(number)
        pos = number.end
