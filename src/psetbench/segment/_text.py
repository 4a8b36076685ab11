"""Word-level comparisons: does a heading restate a prompt, does a heading name a question."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"[a-z0-9]+")
# words every prompt shares say nothing about which part a heading restates
_STOP = frozenset(
    "a an the of to in on for and or is are be by with what how why which that this it its do "
    "does as at from we you your our give find show explain compute calculate state describe "
    "derive estimate determine write use using part question answer solution".split()
)


def words(text: str) -> list[str]:
    """Content words, lower-cased, with a plural -s dropped."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        out.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return out


def tokens(text: str) -> set[str]:
    """Every word and number, stop words included: for "does this copy only repeat that one"."""
    return set(_WORD.findall(text.lower()))


def ratio(a: list[str], b: list[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def names_title(text: str, title: str) -> bool:
    """A heading names a question when it holds the title's words and little else."""
    line, wanted = words(text), words(title)
    if not line or not wanted or len(line) > len(wanted) + 4:
        return False
    return set(wanted) <= set(line) or ratio(line, wanted) >= 0.8
