"""Closing recaps: "Quick self-check  - (a)(i) Shapes ✓  - (b)(i) verified ✓ ...".

Models close a reply with a block that repeats every part label in one-line bullets. The body
of the reply is the answer; the recap is supplementary, so its labels never start an answer
and its one-line bullets never replace one. A recap is a short heading (self-check, sanity
check, summary, recap, verification, final answers) followed by at least two bullets that carry
a part label or a check mark; it ends where a labelled section or a heading starts.
"""

from __future__ import annotations

import re

from psetbench.segment._mask import mask

_HEADING = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:quick|final|brief|short|a)?[ \t]*"
    r"(?:self[- ]?checks?|sanity[- ]?checks?|checks?|summary|recap|verification|"
    r"final answers?|answers? at a glance|tl;?dr|double[- ]check)\b[^\n]{0,60}$", re.I)
_BULLET = re.compile(r"[ \t]*(?:[-*+•◦▪]|\d{1,2}[.)])[ \t]+")
_LABEL = re.compile(
    r"[ \t]*(?:[-*+•◦▪][ \t]+)?(?:\*\*)?\(?[a-z]{1,4}\)|[ \t]*(?:\*\*)?\([a-z]", re.I)
_MARK = re.compile(r"[✓✔☑✅]|\b(?:verified|checked|correct|consistent)\b", re.I)
_SECTION = re.compile(r"[ \t]*(?:#{1,6}[ \t]|\*\*\(?[a-z0-9]{1,4}[).]|\(?[a-z]{1,4}\)[ \t])", re.I)
#: a paragraph this long after a blank line is an answer again, not part of the recap
LONG_LINE = 250


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def recap_spans(cleaned: str, masked: str) -> list[tuple[int, int]]:
    """(start, end) of every recap block in `cleaned` (found on `masked`, the same length)."""
    lines = _lines(masked)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        if not _HEADING.fullmatch(line):
            i += 1
            continue
        j, bullets, blank = i + 1, 0, False
        while j < len(lines):
            text = lines[j][1]
            if not text.strip():
                blank = True
            elif _BULLET.match(text) or _MARK.search(text):
                bullets += bool(_LABEL.match(text) or _MARK.search(text))
                blank = False
            elif _SECTION.match(text) or (blank and len(text) > LONG_LINE):
                break
            j += 1
        if bullets >= 2:
            end = lines[j][0] if j < len(lines) else len(cleaned)
            spans.append((start, end))
            i = j
        else:
            i += 1
    return spans


def without(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """text[start:end] with the recap spans cut out."""
    pieces: list[str] = []
    pos = start
    for s, e in sorted(spans):
        if e <= pos or s >= end:
            continue
        pieces.append(text[pos:max(pos, s)])
        pos = max(pos, e)
    pieces.append(text[pos:end] if pos < end else "")
    return "".join(pieces)


def strip_recaps(text: str) -> str:
    """The text without its recap blocks (the whole text when it has none)."""
    spans = recap_spans(text, mask(text))
    return without(text, 0, len(text), spans).strip() if spans else text
