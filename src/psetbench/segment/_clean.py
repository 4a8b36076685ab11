"""Remove chat-window debris and copy-paste duplicates from a reply, keeping what was removed.

Replies pasted from a chat page carry the page's buttons and status lines ("Thought for 38s",
"Copy code", "Share", ...) and often a block pasted twice. Only whole lines are removed, never
a line inside a fenced code block or a display-math block, so LaTeX and code stay intact.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

_STATUS = re.compile(
    r"(?:thought|reasoned|worked|thinking)\s+for\s+"
    r"(?:(?:\d+\s*(?:h|hr|hours?|m|min|minutes?|s|sec|seconds?)\s*)+"
    r"|a\s+(?:few|couple\s+of)\s+(?:seconds?|minutes?)|a\s+(?:second|minute|moment))"
    r"\s*[>›»〉]?",
    re.I,
)
_BUTTONS = re.compile(
    r"copy(?:\s*code)?|copy\s*edit|edit|share|retry|regenerate|sources|chatgpt said:?|"
    r"claude said:?|assistant said:?|ask chatgpt|show (?:more|less)|[<‹]\s*\d+\s*/\s*\d+\s*[>›]",
    re.I,
)
# a line made only of icons: arrows, share and copy glyphs, ellipses, thumbs
_ICONS = re.compile(r"[\s↗↖↘↙⤴⤵↑↓→←↻↺⟳⟲⧉…⋯·•🔗📋👍👎🔄✎✏️]+")
# "pythonCopy code" / "bashCopyEdit": a code header glued to the copy button
# any of the three, in one pass per line (a runaway reply has millions of lines)
_DEBRIS = re.compile(f"(?:{_STATUS.pattern})|(?:{_BUTTONS.pattern})|(?:{_ICONS.pattern})", re.I)
_LANG_BUTTON = re.compile(r"(?P<lang>[a-z][\w+#.-]{0,19}?)(?P<button>Copy(?:\s*code|Edit)?)")
_USER_TURN = re.compile(r"you said:?", re.I)
_ASSISTANT_TURN = re.compile(r"(?:chatgpt|claude|assistant) said:?", re.I)
_FENCE_OPEN = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_BLANK_RUNS = re.compile(r"\n{3,}")

#: a repeated block shorter than this (non-space characters) is kept: "True" answered twice
#: in a row is an answer, a paragraph repeated in a row is a copy artefact
MIN_DUPLICATE_CHARS = 30
#: comparisons allowed per line, and in all, when looking for blocks pasted twice
_WORK_PER_LINE = 16
_WORK_BASE = 1_000_000
#: "(a) X" then "X": the label before the first copy is at most this long
MAX_LABEL_CHARS = 16


@dataclass(slots=True)  # millions of lines in a runaway reply: keep each small
class _Unit:
    """One line, or one fenced-code / display-math block that is never split."""

    lines: list[str]
    atomic: bool = False
    removed: bool = False
    key: str = ""  # the text with whitespace runs collapsed, for comparing copies

    def __post_init__(self) -> None:
        self.key = " ".join(self.text.split())

    @property
    def text(self) -> str:
        return self.lines[0] if len(self.lines) == 1 else "\n".join(self.lines)


def _block_end(lines: list[str], i: int) -> int:
    """Index after the atomic block starting at line i, or i when none starts there."""
    line = lines[i]
    first = line.lstrip()[:1]
    if not first or first not in "`~$\\":  # most lines: no block can start here
        return i
    fence = _FENCE_OPEN.match(line)
    if fence:
        mark = fence.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j].strip().startswith(mark[:3]) and lines[j].strip().strip(mark[0]) == "":
                return j + 1
        return len(lines)
    stripped = line.strip()
    for opener, closer in (("$$", "$$"), ("\\[", "\\]")):
        if stripped.startswith(opener) and closer not in stripped[len(opener):]:
            for j in range(i + 1, len(lines)):
                if closer in lines[j]:
                    return j + 1
            return i  # unclosed: not a block
    return i


def _units(text: str) -> list[_Unit]:
    lines = text.split("\n")
    units: list[_Unit] = []
    i = 0
    while i < len(lines):
        end = _block_end(lines, i)
        if end > i:
            units.append(_Unit(lines[i:end], atomic=True))
            i = end
        else:
            units.append(_Unit([lines[i]]))
            i += 1
    return units


def _strip_debris(units: list[_Unit], removed: list[str]) -> None:
    for unit in units:
        if unit.atomic:
            continue
        line = unit.lines[0].strip()
        if not line:
            continue
        if _DEBRIS.fullmatch(line):
            unit.removed = True
            removed.append(line)
            continue
        glued = _LANG_BUTTON.fullmatch(line)
        if glued:
            unit.lines, unit.key = [glued.group("lang")], glued.group("lang")
            removed.append(glued.group("button"))


def _strip_user_turn(units: list[_Unit], removed: list[str]) -> None:
    """A pasted "You said: ... ChatGPT said:" pair: the user's message is not the answer."""
    live = [i for i, u in enumerate(units) if not u.atomic and u.lines[0].strip()]
    users = [i for i in live if _USER_TURN.fullmatch(units[i].lines[0].strip())]
    if not users:
        return
    start = users[0]
    answers = [i for i in live
               if i > start and _ASSISTANT_TURN.fullmatch(units[i].lines[0].strip())]
    end = answers[-1] if answers else None
    if end is None:
        return
    kept = [u.text for u in units[start:end] if not u.removed]
    removed.append("\n".join(kept).strip())
    for unit in units[start:end]:
        unit.removed = True


def _strip_repeats(units: list[_Unit], removed: list[str]) -> None:
    """Collapse a run of blocks that repeats immediately (A B A B -> A B); blank lines between
    blocks are ignored, so a whole answer pasted twice is caught with or without a gap."""
    seq = [i for i, u in enumerate(units) if not u.removed and u.key]
    keys = [units[i].key for i in seq]
    where = _positions(keys)
    # A work budget linear in the reply's size keeps a reply of millions of short, repeating
    # lines from taking quadratic time; an ordinary reply never spends a tenth of it.
    budget = _WORK_PER_LINE * len(seq) + _WORK_BASE
    i = 0
    while i < len(seq) and budget > 0:
        found = 0
        later = where[keys[i]]
        for at in range(bisect_right(later, i), len(later)):
            j = later[at]
            k = j - i
            budget -= k
            if budget <= 0 or j + k > len(seq):
                break
            if not _same_run(keys, i, j, k):
                continue
            if sum(len(key.replace(" ", "")) for key in keys[i:j]) >= MIN_DUPLICATE_CHARS:
                found = k
                break
        if not found:
            i += 1
            continue
        first, last = seq[i + found], seq[i + 2 * found - 1]
        removed.append("\n".join(u.text for u in units[first:last + 1] if not u.removed).strip())
        for unit in units[first:last + 1]:
            unit.removed = True
        del seq[i + found:i + 2 * found]
        del keys[i + found:i + 2 * found]
        where = _positions(keys)
        budget -= 8 * len(keys)


def _same_run(keys: list[str], i: int, j: int, k: int) -> bool:
    """keys[i:j] == keys[j:j + k] (j - i == k), stopping at the first difference."""
    return all(keys[i + t] == keys[j + t] for t in range(k))


def _positions(keys: list[str]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        where.setdefault(key, []).append(index)
    return where


def _strip_relabelled(units: list[_Unit], removed: list[str]) -> None:
    """"(a) X" followed by a bare copy of X: the copy lost its label when pasted twice."""
    seq = [u for u in units if not u.removed and u.key]
    for first, second in pairwise(seq):
        head, tail = first.key, second.key
        if (head != tail and head.endswith(tail) and len(head) - len(tail) <= MAX_LABEL_CHARS
                and len(tail.replace(" ", "")) >= MIN_DUPLICATE_CHARS):
            second.removed = True
            removed.append(second.text.strip())


def clean_reply(text: str) -> tuple[str, list[str]]:
    """The reply without chat-window debris and without blocks pasted twice in a row.

    Returns the cleaned text and the removed snippets, in the order they were removed:
    debris lines first, then a pasted user turn, then duplicated blocks.
    """
    kept, removed = _cleaned(text)  # importing cleans each reply more than once: cache it
    return kept, list(removed)


@functools.lru_cache(maxsize=8)
def _cleaned(text: str) -> tuple[str, tuple[str, ...]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    removed: list[str] = []
    units = _units(text)
    _strip_debris(units, removed)
    _strip_user_turn(units, removed)
    _strip_repeats(units, removed)
    _strip_relabelled(units, removed)
    kept = "\n".join(u.text for u in units if not u.removed)
    kept = "\n".join(line.rstrip() for line in kept.split("\n"))
    return _BLANK_RUNS.sub("\n\n", kept).strip(), tuple(removed)
