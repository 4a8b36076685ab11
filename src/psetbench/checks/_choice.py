"""The choice check: True/False, Yes/No, a lettered option or one of a few named options."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from psetbench.checks._text import BODY, CONCLUSION, TIER_NAMES, pieces
from psetbench.types import CheckResult, CheckStatus

if TYPE_CHECKING:  # the kind's settings live in kinds/ (which imports this module)
    from psetbench.checks.kinds.choice import ChoiceCheck

METHOD = "choice"
OPENING = 2.5  # between ANSWER and CONCLUSION: the answer's very first word is the choice
_TIER_NAMES: dict[float, str] = {**{float(k): v for k, v in TIER_NAMES.items()},
                                 OPENING: "opening word"}

_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}
_BOOLEAN_WORDS = re.compile(
    r"\b(?P<neg>not|isn't|is\s+not|isn’t|never)?\s*\b(?P<w>true|false|untrue)\b", re.I)
_YES_NO = re.compile(r"(?:^|(?<=[.!?;:]\s)|(?<=\n))\W{0,3}(?P<w>yes|no)\b(?=\s*[,.!:;—–-]|\s*$)",
                     re.I)
_ANSWER_IS = re.compile(r"\banswer(?:\s+is)?\s*[:=]?\s*(?P<w>yes|no)\b", re.I)
_OPENING = re.compile(r"^\W{0,4}(?P<w>true|false|yes|no)\b(?=\s*[,.!:;—–-]|\s*$)", re.I)
_CORRECTNESS = re.compile(
    r"\b(?:(?P<neg>not|isn't|is\s+not)\s+)?(?P<w>correct|incorrect)\b", re.I)
_LETTER_PATTERNS = [
    re.compile(r"\((?P<w>[A-J])\)"),
    re.compile(r"(?:^|(?<=\s))(?P<w>[A-J])\)"),
    re.compile(r"\b(?i:answer|option|choice)\s*(?i:is\s*)?[:=]?\s*\(?(?P<w>[A-J])\b(?![a-z'])"),
    re.compile(r"^\W{0,4}(?P<w>[A-J])(?:[.):]|\s*$)"),
]


@dataclass(frozen=True)
class _Stated:
    option: str  # canonical, lower case
    text: str
    tier: float
    order: tuple[int, int, int]


def _canonical(option: str) -> str:
    word = option.strip().strip("()").lower()
    if word in _TRUE:
        return "true"
    if word in _FALSE:
        return "false"
    return word


def _kind(check: ChoiceCheck) -> str:
    options = [_canonical(o) for o in (check.options or [check.answer])]
    if all(o in ("true", "false") for o in options):
        return "boolean"
    if all(re.fullmatch(r"[a-j]", o) for o in options):
        return "letter"
    return "word"


def _statements(check: ChoiceCheck, answer: str) -> list[_Stated]:
    kind = _kind(check)
    found: list[_Stated] = []
    first_line = True
    for piece in pieces(answer):
        text = piece.text
        if kind == "boolean":
            hits = _boolean_hits(text)
            if piece.tier == BODY and first_line and (m := _OPENING.match(text)):
                found.append(_Stated(_canonical(m["w"]), m["w"], OPENING,
                                     (piece.order[0], piece.order[1], m.start("w"))))
        elif kind == "letter":
            hits = [(m.start("w"), m["w"].lower(), m["w"]) for p in _LETTER_PATTERNS
                    for m in p.finditer(text)]
            allowed = {_canonical(o) for o in check.options} if check.options else None
            hits = [h for h in hits if allowed is None or h[1] in allowed]
        else:
            hits = []
            for option in check.options or [check.answer]:
                pattern = re.compile(rf"\b{re.escape(option.strip())}\b", re.I)
                hits += [(m.start(), _canonical(option), m.group(0))
                         for m in pattern.finditer(text)]
        if piece.tier == BODY:
            first_line = False
        for start, option, said in hits:
            found.append(_Stated(option, said, piece.tier,
                                 (piece.order[0], piece.order[1], start)))
    return found


def _boolean_hits(text: str) -> list[tuple[int, str, str]]:
    hits = []
    for m in _BOOLEAN_WORDS.finditer(text):
        value = m["w"].lower() == "true"
        if m["neg"]:  # conservative: only a negation right before the word
            value = not value  # "not true" -> False
        hits.append((m.start(), "true" if value else "false", m.group(0).strip()))
    for pattern in (_YES_NO, _ANSWER_IS):
        for m in pattern.finditer(text):
            hits.append((m.start("w"), _canonical(m["w"]), m["w"]))
    if not hits:  # "The statement is incorrect."
        for m in _CORRECTNESS.finditer(text):
            value = m["w"].lower() == "correct"
            if m["neg"]:
                value = not value
            hits.append((m.start(), "true" if value else "false", m.group(0)))
    return hits


def check_choice(check: ChoiceCheck, answer: str) -> CheckResult:
    """The answer's stated choice, preferring boxed, bold and "Answer:" statements."""
    make = functools.partial(CheckResult, kind="choice", label=check.label,
                             weight=check.weight, method=METHOD, expected=check.answer)
    stated = _statements(check, answer)
    if not stated:
        return make(status=CheckStatus.unaddressed, score=0.0,
                           reason="the answer states no choice (" + _what(check) + ")")
    best = max(stated, key=lambda s: (s.tier, s.order))
    want = _canonical(check.answer)
    where = _TIER_NAMES.get(best.tier, "text")
    conflicting = {s.option for s in stated if s.tier == best.tier} - {best.option}
    note = (f"; the same {where} also says {', '.join(sorted(conflicting))}, the last one counts"
            if conflicting and best.tier >= CONCLUSION else "")
    if best.option == want:
        return make(status=CheckStatus.passed, score=1.0, found=best.text,
                           matched="answer",
                           reason=f"states {best.text!r} ({where}), the expected choice{note}")
    return make(status=CheckStatus.failed, score=0.0, found=best.text,
                       reason=f"states {best.text!r} ({where}); expected {check.answer!r}{note}")


def _what(check: ChoiceCheck) -> str:
    kind = _kind(check)
    if kind == "boolean":
        return "no true/false or yes/no"
    if kind == "letter":
        return "no option letter"
    return "none of " + ", ".join(repr(o) for o in (check.options or [check.answer]))


__all__ = ["check_choice"]
