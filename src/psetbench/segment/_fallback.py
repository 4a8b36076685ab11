"""Find answers that carry no label: a part restated as a heading, a question found by its
title, or unlabelled blocks taken in order when their count equals the number of parts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from psetbench.segment._labels import Marker
from psetbench.segment._mask import block_spans
from psetbench.segment._text import names_title, ratio, words
from psetbench.segment._types import PartRef

_HEADING = re.compile(r"[ \t]{0,3}(?:#{1,6}[ \t]+(?P<h>.+)|(?P<em>\*\*|__)(?P<b>.+?)(?P=em):?"
                      r"|>[ \t]*(?P<q>.+))")
_RULE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)
_ENUMERATED = re.compile(
    r"^[ \t]{0,1}(?:[-*+][ \t]+)?(?:#{1,6}[ \t]+)?(?:\*\*|__)?[ \t]*(?:part[ \t]*)?"
    r"\(?(?P<n>\d{1,2})[.):](?:\*\*|__)?[ \t]*",
    re.M | re.I,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

#: a heading must share this much with a part's prompt, and beat the runner-up by MARGIN
HEADING_MATCH = 0.6
#: an undecorated line must restate the prompt almost word for word
RESTATED_MATCH = 0.8
MARGIN = 0.15


def similarity(line: list[str], prompt: list[str], decorated: bool) -> float:
    """How well a line restates a prompt (both given as `words`): for a heading, the share
    of its words found in the prompt; for a plain line, near-verbatim word order."""
    if len(line) < 2 or not prompt:
        return 0.0
    common = len(set(line) & set(prompt))
    if common < 2:
        return 0.0
    if decorated:
        contained = common / len(set(line))
        return max(contained, ratio(line, prompt))
    if len(line) < 4 or common < 0.6 * len(set(prompt)):
        return 0.0
    return ratio(line, prompt)


def _lines(masked: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, decorated) of each non-blank line outside code and LaTeX."""
    out: list[tuple[int, int, str, bool]] = []
    start = 0
    for line in masked.split("\n"):
        end = start + len(line)
        if line.strip():
            heading = _HEADING.fullmatch(line.rstrip())
            if heading:
                out.append((start, end, heading.group("h") or heading.group("b")
                            or heading.group("q") or "", True))
            else:
                out.append((start, end, line, False))
        start = end + 1
    return out


def heading_markers(
    masked: str, wanted: Sequence[PartRef], taken: set[int]
) -> list[Marker]:
    """Lines that restate one of the `wanted` parts' prompts; `taken` are line starts that
    already hold a label."""
    if not wanted:
        return []
    prompts = [(ref, words(ref.prompt)) for ref in wanted]
    found: list[Marker] = []
    for start, end, text, decorated in _lines(masked):
        if start in taken:
            continue
        line = words(text)
        scores = sorted(((similarity(line, pw, decorated), ref) for ref, pw in prompts),
                        key=lambda s: s[0], reverse=True)
        best, ref = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        need = HEADING_MATCH if decorated else RESTATED_MATCH
        if best >= need and best - runner_up >= MARGIN:
            found.append(Marker(start=start, body=end, kind="part", question=ref.question,
                                tokens=(ref.part,), ranges=(False,), style="heading",
                                keyword=True, method="heading"))
    return found


def title_markers(
    masked: str, titles: dict[str, str], taken: set[int]
) -> list[Marker]:
    """Headings that name a question by its title ("## Transformer circuits")."""
    found: list[Marker] = []
    for start, end, text, decorated in _lines(masked):
        if not decorated or start in taken:
            continue
        for qid, title in titles.items():
            if names_title(text, title):
                found.append(Marker(start=start, body=end, kind="question", question=qid,
                                    style="title", keyword=True))
                break
    return found


def _pieces(text: str, cuts: list[int]) -> list[str]:
    bounds = [*cuts, len(text)]
    return [text[a:b].strip() for a, b in pairwise(bounds)]


def divide(text: str, masked: str, count: int) -> tuple[list[str], str, str] | None:
    """`text` cut into exactly `count` unlabelled blocks: (blocks, how, leftover text).
    Tried in turn: sections between rules ("---"), an enumerated list 1..count (text before
    item 1 is the leftover), paragraphs. None when no cut gives `count` blocks."""
    rules = list(_RULE.finditer(masked))
    if rules:
        pieces = [p for p in _pieces(text, [0] + [r.end() for r in rules]) if p]
        pieces = [p for p in (_RULE.sub("", p).strip() for p in pieces) if p]
        if len(pieces) == count:
            return pieces, "rules", ""
    items = list(_ENUMERATED.finditer(masked))
    if [int(m.group("n")) for m in items] == list(range(1, count + 1)):
        ends = [m.start() for m in items[1:]] + [len(text)]
        pieces = [text[m.end():end].strip() for m, end in zip(items, ends, strict=True)]
        if all(pieces):
            return pieces, "enumerated", text[:items[0].start()].strip()
    protected = block_spans(text)
    breaks = [0]
    for brk in _PARAGRAPH_BREAK.finditer(masked):
        if any(a < brk.start() < b for a, b in protected):
            continue
        before = masked[breaks[-1]:brk.start()].strip()
        lone_heading = before.startswith("#") and "\n" not in before
        if not before or before.endswith(":") or lone_heading:
            continue  # a lead-in ("We compute:") or a lone heading belongs to what follows
        breaks.append(brk.end())
    pieces = [p for p in _pieces(text, breaks) if p]
    if len(pieces) == count:
        return pieces, "paragraphs", ""
    return None
