"""Where a part's graded answer sits in the model's stored reply, for the review card.

Grades keep the answer text the splitter cut out of a reply, not its position, so the position
is found again here: the exact text first, then the same words with any spacing, then (for an
answer merged from several places) the stretch from its first paragraph to its last. The card
shows the reply around that span, so a TA sees where the split was made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from psetbench.types import PartGrade

if TYPE_CHECKING:
    from psetbench.record import Run, TurnRecord

#: characters of the reply shown on each side of the answer
CONTEXT_CHARS = 1200
#: characters of the answer shown; a longer one keeps its head and tail
ANSWER_CHARS = 8000
#: beyond this many words the spacing-insensitive search is skipped (it would be slow)
MAX_WORDS = 20_000


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    how: str  # "exact", "spacing" (same words, other spacing) or "paragraphs" (first to last)


@dataclass(frozen=True)
class Excerpt:
    """The reply cut around the answer: text before, the answer, text after, and how many
    characters were left out at each cut."""

    before: str
    answer: str
    after: str
    skipped_before: int
    skipped_answer: int
    skipped_after: int
    span: Span | None
    parts: list[str]  # the parts this reply was asked to answer, e.g. ["1(a)", "1(b)"]
    reply_chars: int


def _spaced(reply: str, text: str) -> Span | None:
    words = text.split()
    if not words or len(words) > MAX_WORDS:
        return None
    found = re.search(r"\s+".join(map(re.escape, words)), reply)
    return Span(found.start(), found.end(), "spacing") if found else None


def _find(reply: str, text: str) -> Span | None:
    at = reply.find(text)
    if at >= 0:
        return Span(at, at + len(text), "exact")
    return _spaced(reply, text)


def find_span(reply: str, answer: str) -> Span | None:
    """The answer's place in the reply, or None when the reply does not hold it."""
    text = answer.strip()
    if not text or not reply:
        return None
    span = _find(reply, text)
    if span is not None:
        return span
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) < 2:
        return None
    first, last = _find(reply, blocks[0].strip()), _find(reply, blocks[-1].strip())
    if first is None or last is None or last.end <= first.start:
        return None
    return Span(first.start, last.end, "paragraphs")


def _turns(run: Run, grade: PartGrade) -> Iterator[TurnRecord]:
    """The turns that asked for the grade's part: its own epoch's first, then any other."""
    want = (grade.question, grade.part)
    epochs = [e for sample in run.turns.values() for e in sample]
    own = [e for sample in run.turns.values() for i, e in enumerate(sample)
           if i == grade.epoch - 1]
    seen: set[int] = set()
    for turns in own + epochs:
        if id(turns) in seen:
            continue
        seen.add(id(turns))
        for turn in turns:
            if want in turn.keys:
                yield turn


def _label(run: Run, question: str, part: str) -> str:
    return f"{question}{run.pset.label(question, part)}"


def _clip_middle(text: str, limit: int) -> tuple[str, int]:
    if len(text) <= limit:
        return text, 0
    half = limit // 2
    return f"{text[:half]}\n…\n{text[-half:]}", len(text) - 2 * half


def excerpt(run: Run, grade: PartGrade) -> Excerpt | None:
    """The stored reply around `grade.answer`; None when no stored turn asked for the part.
    When the reply does not hold the answer, `span` is None and `before` is the reply's start."""
    first: TurnRecord | None = None
    for turn in _turns(run, grade):
        first = first or turn
        reply = turn.reply
        span = find_span(reply, grade.answer)
        if span is not None:
            return _cut(run, turn, reply, span)
    if first is None:
        return None
    reply = first.reply
    return _cut(run, first, reply, None)


def _cut(run: Run, turn: TurnRecord, reply: str, span: Span | None) -> Excerpt:
    parts = [_label(run, q, p) for q, p in turn.keys]
    if span is None:
        head = reply[:CONTEXT_CHARS]
        return Excerpt(head, "", "", 0, 0, len(reply) - len(head), None, parts, len(reply))
    lo = max(0, span.start - CONTEXT_CHARS)
    hi = min(len(reply), span.end + CONTEXT_CHARS)
    answer, skipped = _clip_middle(reply[span.start:span.end], ANSWER_CHARS)
    return Excerpt(reply[lo:span.start], answer, reply[span.end:hi], lo, skipped,
                   len(reply) - hi, span, parts, len(reply))
