"""Part labels and points as homework writes them: (a), a), (ii), 3., [3 pts], (5 points).

Hand-written because the rules are the homework's conventions, not a general grammar: a
label is a letter, a roman numeral or a number, and which of the ambiguous ones ((i), (v),
(x)) it is depends on the label before it.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["letter", "roman", "number"]

_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_VALUES = {"i": 1, "v": 5, "x": 10}

_UNITS = r"(?:pts?|points?|marks?|p)\.?"
POINTS = re.compile(r"[\[(]\s*(\d+(?:\.\d+)?)\s*" + _UNITS + r"\s*[\])]", re.IGNORECASE)
BARE_POINTS = re.compile(r"^\s*\[\s*(\d+(?:\.\d+)?)\s*\]")
#: an argument that is only points: exam class's `[3]`, `\item[2 pts]`
ARGUMENT_POINTS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:" + _UNITS + r")?\s*$", re.IGNORECASE)
_MATH = re.compile(r"\$\$.*?\$\$|\$(?:\\.|[^$\\])*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)


def roman_value(label: str) -> int | None:
    """'iv' -> 4; None for anything that is not a lowercase roman numeral up to 39."""
    if not label or not _ROMAN.match(label):
        return None
    total = 0
    for i, ch in enumerate(label):
        value = _VALUES[ch]
        nxt = _VALUES[label[i + 1]] if i + 1 < len(label) else 0
        total += -value if value < nxt else value
    return total


def to_roman(value: int) -> str:
    out = ""
    for number, text in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= number:
            out, value = out + text, value - number
    return out


def kinds(label: str) -> list[Kind]:
    """The kinds a label can be, likelier first: 'i' is roman or a letter, 'b' a letter."""
    if label.isdigit():
        return ["number"]
    found: list[Kind] = []
    if roman_value(label) is not None and (len(label) > 1 or label in "ivx"):
        found.append("roman")
    if len(label) == 1 and label.isalpha():
        found.append("letter")
    return found


def successor(label: str, kind: Kind) -> str:
    """The label after this one in its kind: 'h' -> 'i' (letter), 'iii' -> 'iv' (roman)."""
    if kind == "number":
        return str(int(label) + 1)
    if kind == "roman":
        return to_roman((roman_value(label) or 0) + 1)
    return chr(ord(label) + 1) if label < "z" else "aa"


def first(kind: Kind) -> str:
    return {"number": "1", "roman": "i", "letter": "a"}[kind]


def label_for(index: int, depth: int) -> str:
    """The label exam class prints for the index-th part at a depth: a, i, a (from 0)."""
    if depth % 2 == 0:
        return to_roman(index + 1)
    return chr(ord("a") + index) if index < 26 else f"a{index}"


def take_points(text: str, *, bare: bool = False) -> tuple[float | None, str]:
    """The points a text states ('[3 pts]', '(5 points)', and with `bare` a leading '[3]'),
    anywhere outside its math (`$f(3p)$` is math), and the text without them; the text's
    other lines and spaces are kept."""
    math = [m.span() for m in _MATH.finditer(text)]
    match = next((m for m in POINTS.finditer(text)
                  if not any(a <= m.start() < b for a, b in math)), None)
    if match is None and bare:
        match = BARE_POINTS.search(text)
    if match is None:
        return None, text
    before, after = text[:match.start()].rstrip(" \t"), text[match.end():].lstrip(" \t")
    space = " " if before and after and not before.endswith("\n") \
        and not after.startswith("\n") else ""
    return float(match.group(1)), (before + space + after).strip()


def argument_points(text: str | None) -> float | None:
    """The points an optional argument states: '3', '2 pts'; None for anything else."""
    match = ARGUMENT_POINTS.match(text) if text is not None else None
    return float(match.group(1)) if match else None


def as_number(value: float | None) -> float | int | None:
    """3.0 -> 3, for YAML that reads like a TA wrote it."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


_OPEN = r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*"
_LINE_LABEL = re.compile(
    _OPEN + r"(?:(?:Part|Teil)\s+)?(?:\((?P<p>[a-z]{1,5}|\d{1,2})\)|(?P<b>[a-z]{1,5}|\d{1,2})[).])"
    r"(?=\s|\*\*|__|$)\s*(?:\*\*|__)?")
_PART_WORD = re.compile(_OPEN + r"Part\s+(?P<w>[a-z]|\d{1,2})\b\s*[:.)]?\s*(?:\*\*|__)?",
                        re.IGNORECASE)


def line_label(line: str) -> tuple[str, str] | None:
    """('a', rest) for '(a) Compute...', 'a) ...', '**(ii)** ...', '3. ...', 'Part b: ...'."""
    match = _LINE_LABEL.match(line) or _PART_WORD.match(line)
    if match is None:
        return None
    label = next(g for g in match.groupdict().values() if g)
    label = label.lower() if match.re is _PART_WORD else label
    if not kinds(label):
        return None
    rest = line[match.end():].strip()
    if rest.startswith(("**", "__")):
        rest = rest[2:].strip()
    return label, rest
