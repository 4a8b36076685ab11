"""Where a part's graded answer sits in the model's stored reply, for the review card.

Grades keep the answer text the splitter cut out of a reply, not its position, so the position
is found again here: the exact text first, then the same words with any spacing, then (for an
answer merged from several places) each of its paragraphs, in order, each searched after the
one before it. Paragraphs that sit next to each other make one span; an answer assembled from
several places gets one span per place, so the card marks exactly the text that was graded and
never the text between the places (nor an earlier copy of a paragraph). The card shows the
reply around each span, so a TA sees where the split was made.
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
#: places of the answer's first paragraph tried as its start (a short paragraph may recur)
MAX_STARTS = 20


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    # "exact", "spacing" (same words, other spacing), "paragraphs" (its paragraphs, found one
    # by one, in one stretch) or "places" (one of the several places it was assembled from)
    how: str


@dataclass(frozen=True)
class Piece:
    """A stretch of the excerpt: reply text, graded answer text, or a gap left out."""

    kind: str  # "text", "answer" or "skip"
    text: str = ""
    chars: int = 0  # "skip": characters left out; "answer": characters of it left out


@dataclass(frozen=True)
class Excerpt:
    """The reply cut around the answer's spans: the pieces to show, in reply order."""

    pieces: list[Piece]
    spans: list[Span]  # empty when the reply does not hold the answer
    parts: list[str]  # the parts this reply was asked to answer, e.g. ["1(a)", "1(b)"]
    reply_chars: int

    @property
    def how(self) -> str | None:
        return self.spans[0].how if self.spans else None


def _spaced(reply: str, text: str, pos: int) -> Span | None:
    words = text.split()
    if not words or len(words) > MAX_WORDS:
        return None
    found = re.compile(r"\s+".join(map(re.escape, words))).search(reply, pos)
    return Span(found.start(), found.end(), "spacing") if found else None


def _find(reply: str, text: str, pos: int = 0) -> Span | None:
    """The first place of `text` in `reply` at or after `pos`."""
    at = reply.find(text, pos)
    if at >= 0:
        return Span(at, at + len(text), "exact")
    return _spaced(reply, text, pos)


def _chain(reply: str, blocks: list[str], first: Span) -> list[Span] | None:
    """Each paragraph's place, searched after the one before (anywhere, for a paragraph the
    answer took from earlier in the reply); None when one is not in the reply."""
    spans = [first]
    for block in blocks[1:]:
        found = _find(reply, block, spans[-1].end) or _find(reply, block)
        if found is None:
            return None
        spans.append(found)
    return _merge(reply, spans)


def _merge(reply: str, spans: list[Span]) -> list[Span]:
    """Spans in reply order, those with only whitespace between them joined."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out and (span.start <= out[-1].end or not reply[out[-1].end:span.start].strip()):
            out[-1] = Span(out[-1].start, max(out[-1].end, span.end), "paragraphs")
        else:
            out.append(Span(span.start, span.end, "paragraphs"))
    if len(out) > 1:
        out = [Span(s.start, s.end, "places") for s in out]
    return out


def find_spans(reply: str, answer: str) -> list[Span]:
    """The answer's place(s) in the reply (see the module), or [] when the reply does not
    hold it. Of several ways to find its paragraphs, the one in the fewest places wins."""
    text = answer.strip()
    if not text or not reply:
        return []
    whole = _find(reply, text)
    if whole is not None:
        return [whole]
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) < 2:
        return []
    best: list[Span] | None = None
    pos = 0
    for _ in range(MAX_STARTS):
        first = _find(reply, blocks[0], pos)
        if first is None:
            break
        found = _chain(reply, blocks, first)
        if found is not None and (best is None or _cost(found) < _cost(best)):
            best = found
        pos = first.start + 1
    return best or []


def _cost(spans: list[Span]) -> tuple[int, int]:
    return len(spans), spans[-1].end - spans[0].start


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
    When the reply does not hold the answer, `spans` is empty and the pieces are the reply's
    start."""
    first: TurnRecord | None = None
    for turn in _turns(run, grade):
        first = first or turn
        spans = find_spans(turn.reply, grade.answer)
        if spans:
            return _cut(run, turn, spans)
    if first is None:
        return None
    return _cut(run, first, [])


def _cut(run: Run, turn: TurnRecord, spans: list[Span]) -> Excerpt:
    reply = turn.reply
    parts = [_label(run, q, p) for q, p in turn.keys]
    pieces: list[Piece] = []
    if not spans:
        head = reply[:CONTEXT_CHARS]
        pieces = [Piece("text", head), Piece("skip", chars=len(reply) - len(head))]
        return Excerpt([p for p in pieces if p.text or p.chars], [], parts, len(reply))
    at = 0  # how far the reply has been shown or skipped
    for span in spans:
        _gap(pieces, reply, at, span.start, first=not pieces)
        answer, skipped = _clip_middle(reply[span.start:span.end], ANSWER_CHARS // len(spans))
        pieces.append(Piece("answer", answer, skipped))
        at = span.end
    hi = min(len(reply), at + CONTEXT_CHARS)
    pieces.append(Piece("text", reply[at:hi]))
    pieces.append(Piece("skip", chars=len(reply) - hi))
    return Excerpt([p for p in pieces if p.kind == "answer" or p.text or p.chars], spans, parts,
                   len(reply))


def _gap(pieces: list[Piece], reply: str, lo: int, hi: int, *, first: bool) -> None:
    """The reply between `lo` and `hi`: whole when short, else context on each side of a
    skip (before the first span, only the context before it)."""
    if first:
        start = max(lo, hi - CONTEXT_CHARS)
        pieces += [Piece("skip", chars=start - lo), Piece("text", reply[start:hi])]
    elif hi - lo <= 2 * CONTEXT_CHARS:
        pieces.append(Piece("text", reply[lo:hi]))
    else:
        pieces += [Piece("text", reply[lo:lo + CONTEXT_CHARS]),
                   Piece("skip", chars=hi - lo - 2 * CONTEXT_CHARS),
                   Piece("text", reply[hi - CONTEXT_CHARS:hi])]
