"""Numbers as homework writes them: 2,000 / 2 500 / 1.7e15 / 1.7 × 10^15 / 6 * 10**9 / 10^24 /
200 billion / 70B / 6 bn / 2,5 (a decimal comma) / 1–3 × 10^24 (a range).

The text is expected to be normalized first (see `_text.normalize`): LaTeX turned into
plain symbols, `^{15}` into `^15`, unicode minus into '-'. A regular expression, not a library:
the number parsers we know (babel, price-parser, quantulum3) each read only some of these forms,
none reads a range with a shared exponent, and several read "H100" or "fp16" as numbers.
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


def _pattern(decimal_comma: bool) -> re.Pattern[str]:
    comma = r"\d+,\d{1,2}(?![\d,])|0,\d+(?![\d,])|" if decimal_comma else ""
    return re.compile(
        rf"""
        (?P<sign>[-+])?
        (?:
            (?P<num>\d+(?:\.\d+)?)/(?P<den>\d+(?:\.\d+)?)(?![\d.,])   # 3/4, 0.013/6
          | (?P<mant>[1-9]\d{{0,2}}(?:,\d{{3}})+(?!\d)(?:\.\d+)?      # 2,000
              |\d{{1,3}}(?:['\u2009\u202f\u00a0]\d{{3}})+(?:\.\d+)?(?!\d)   # 2'500
              |\d{{1,3}}(?:[ ]\d{{3}})+(?![\d.,])                      # 2 500
              |{comma}\d+(?:\.\d+)?|\.\d+)                         # 2,5 / 2.5
            (?:[eE](?P<exp>[-+]?\d+))?                             # 1.7e15
            (?:\s*(?:\^|\*\*)\s*(?P<pow>[-+]?\d+))?                # 10^24, 2**40
            (?:\s*(?:×|x|\*|·)\s*10\s*(?:\^|\*\*)\s*(?P<e10>[-+]?\d+))?   # 1.7 × 10^15
        )
        (?:
            \s*(?P<word>thousand|million|billion|trillion|quadrillion)\b
          | (?P<suffix>bn|[kKMBT])(?![A-Za-z0-9])
          | [ \t]+(?P<bn>bn)\b
          | \s+(?P<spaced>[kKMBT])\s+(?={_COUNT_WORDS})
        )?
        """,
        re.VERBOSE,
    )


NUMBER = _pattern(decimal_comma=True)
_NO_DECIMAL_COMMA = _pattern(decimal_comma=False)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b")
# Between the two ends of a range: a dash with no space around it ("1-3", "1–3"), or "to".
_RANGE = re.compile(r"-|[ \t]+to[ \t]+")


@dataclass(frozen=True)
class Number:
    """One number found in text; a range ("1–3 × 10^24") carries both ends in `low`/`high`."""

    start: int
    end: int
    value: float
    text: str
    billion_or_byte: bool = False  # "70B" with no unit after it: 70e9, or 70 bytes
    low: float | None = None
    high: float | None = None
    scaled: bool = False  # ends in an exponent, "× 10^k", a suffix or a scale word


def _mantissa(m: re.Match[str]) -> float:
    if m["num"] is not None:
        return float(m["num"]) / float(m["den"])
    text = m["mant"]
    if re.fullmatch(r"\d+,\d+", text) and not re.fullmatch(r"\d{1,3},\d{3}", text):
        return float(text.replace(",", "."))  # a decimal comma
    return float(re.sub(r"[,'\u2009\u202f\u00a0 ]", "", text))


def _value(m: re.Match[str]) -> float | None:
    try:
        value = _mantissa(m)
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
    elif m["bn"] is not None:
        value *= _SUFFIXES["bn"]
    elif m["spaced"] is not None:
        value *= _SUFFIXES[m["spaced"]]
    if m["sign"] == "-":
        value = -value
    return value


def _scaled(m: re.Match[str]) -> bool:
    return any(m[g] is not None for g in ("exp", "pow", "e10", "word", "suffix", "bn", "spaced"))


def _stands_alone(text: str, start: int) -> bool:
    """A number must not continue an identifier ("H100", "GPT-4", "fp16", "0.3.285")."""
    if start == 0:
        return True
    prev = text[start - 1]
    if prev.isalnum() or prev in "_.^'":
        return False
    if prev == "-" and start >= 2 and (text[start - 2].isalnum() or text[start - 2] in "_."):
        return False  # a hyphenated name or a range such as 10-20
    return True


def _match(text: str, pos: int) -> re.Match[str] | None:
    m = NUMBER.match(text, pos)
    if m is not None and m["mant"] is not None and "," in m["mant"] and pos > 0 \
            and text[pos - 1] in "([{,;":
        m = _NO_DECIMAL_COMMA.match(text, pos)  # "(0,1)" is a pair, not 0.1
    return m


def read_number(text: str, pos: int, *, alone: bool = True) -> Number | None:
    """The number starting exactly at `pos`, if any (`alone`: not continuing a word)."""
    m = _match(text, pos)
    if m is None or (alone and not _stands_alone(text, m.start())) \
            or _ORDINAL.match(text, m.end()):
        return None
    value = _value(m)
    if value is None or not math.isfinite(value):
        return None
    return Number(m.start(), m.end(), value, m.group(0).strip(), m["suffix"] == "B",
                  scaled=_scaled(m))


def _range(text: str, first: Number) -> Number | None:
    """'1–3 × 10^24': the second end, with the first end scaled like it when it is bare."""
    dash = _RANGE.match(text, first.end)
    if dash is None or first.scaled or first.value <= 0:
        return None
    second = read_number(text, dash.end(), alone=False)
    if second is None or second.text.startswith(("-", "+")):
        return None
    m = _match(text, second.start)
    assert m is not None
    low = first.value * (second.value / _mantissa(m) if second.scaled else 1.0)
    if not low < second.value:
        return None
    return Number(first.start, second.end, math.sqrt(low * second.value),
                  text[first.start:second.end].strip(), second.billion_or_byte,
                  low=low, high=second.value, scaled=second.scaled)


def find_numbers(text: str, *, ranges: bool = False) -> list[Number]:
    """Every stand-alone number in `text`, left to right (`ranges`: join 'A–B' into one)."""
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
        if ranges and (joined := _range(text, number)) is not None:
            number = joined
        found.append(number)
        pos = number.end
