"""Find each asked part's answer in a sample's turns, and say why a part has none.

A part without an answer is `missing` only with evidence: no reply, or every section of the
reply accounted for and none answering it, or a reply that answered another question. A reply
that may hold the answer where it could not be located with confidence leaves the part
`ungraded` (fail closed) until a grader model locates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from psetbench.problemset import ProblemSet
from psetbench.record import TurnRecord
from psetbench.segment import PartRef, SegmentationResult, math_words, segment_reply, strip_recaps
from psetbench.types import Segment, Verdict

Key = tuple[str, str]
#: unassigned text this long (non-space characters) may hold a part's answer
UNSURE_CHARS = 150
#: a reply echoes another question this much more than the one asked: it answered that one
OTHER_QUESTION = 2.0
#: ... and at least this share of that question's own words, and this many of them
OTHER_SHARE, MIN_ECHO = 0.35, 5


@dataclass
class Absence:
    """Why a part has no answer: the verdict it gets and the reason."""

    verdict: Verdict
    reason: str
    kind: str  # see PartGrade.absence


@dataclass
class Located:
    segments: dict[Key, Segment | None] = field(default_factory=dict)
    absent: dict[Key, Absence] = field(default_factory=dict)


def part_ref(pset: ProblemSet, qid: str, pid: str) -> PartRef:
    question = pset.question(qid)
    return PartRef(question=qid, part=pid, prompt=pset.part(qid, pid).prompt,
                   question_title=question.title)


def replies(turn: TurnRecord) -> list[str]:
    """The turn's reply, as the replies it was made of: before and after a nudge each split
    on its own (a regenerated answer after "there's no output!" restarts its labels)."""
    reply = turn.reply
    first = turn.nudge.first_reply if turn.nudge else ""
    if first.strip() and reply.startswith(first) and reply[len(first):].strip():
        return [first, reply[len(first):].strip()]
    return [reply]


def segment_turn(pset: ProblemSet, turn: TurnRecord, reply: str | None = None
                 ) -> SegmentationResult:
    keys = turn.keys
    refs = [part_ref(pset, q, p) for q, p in keys]
    text = turn.reply if reply is None else reply
    return segment_reply(text, refs, multi_question=len({q for q, _ in keys}) > 1)


def _merge(pieces: list[Segment]) -> Segment | None:
    """One part answered in several replies: the texts together, the longest last (a
    complete answer decides over a fragment of it)."""
    if not pieces:
        return None
    ordered = sorted(pieces, key=lambda s: len(s.text))
    texts: list[str] = []
    for seg in ordered:
        flat = " ".join(seg.text.split())
        texts = [t for t in texts if " ".join(t.split()) not in flat]
        texts.append(seg.text)
    longest = ordered[-1]
    extra = "\n\n".join(s.supplement for s in pieces if s.supplement)
    return longest.model_copy(update={"text": "\n\n".join(texts), "confidence": min(
        s.confidence for s in pieces), "supplement": extra})


def _locate_turn(pset: ProblemSet, turn: TurnRecord, located: Located) -> None:
    keys: list[Key] = turn.keys
    texts = [r for r in replies(turn) if r.strip()]
    other = answered_other(pset, "\n\n".join(texts), {q for q, _ in keys}) if texts else None
    if other is not None:
        for key in keys:
            located.segments[key] = None
            located.absent[key] = Absence(Verdict.missing, other, "another_question")
        return
    pieces: dict[Key, list[Segment]] = {k: [] for k in keys}
    unsure = False
    for text in texts:
        if len(keys) == 1:
            qid, pid = keys[0]
            body = strip_recaps(text)
            pieces[keys[0]].append(Segment(question=qid, part=pid, text=body or text,
                                           method="turn", confidence=1.0))
            continue
        result = segment_turn(pset, turn, text)
        for key in keys:
            if (seg := result.get(*key)) is not None:
                pieces[key].append(seg)
        unsure = unsure or len("".join(result.unassigned.split())) >= UNSURE_CHARS
    for key in keys:
        located.segments[key] = _merge(pieces[key])
    absent = [k for k in keys if located.segments[k] is None]
    if absent:
        _explain(pset, turn, keys, absent, texts, unsure, located)


def _explain(pset: ProblemSet, turn: TurnRecord, keys: list[Key], absent: list[Key],
             texts: list[str], unsure: bool, located: Located) -> None:
    if not texts:
        for key in absent:
            located.absent[key] = Absence(Verdict.missing, "the reply was empty", "empty")
        return
    answered = [k for k in keys if k not in absent]
    if unsure or not answered:  # a reply none of whose text could be placed proves nothing
        for key in absent:
            located.absent[key] = Absence(
                Verdict.ungraded, "the reply has text that may answer this part, but it could "
                "not be located with confidence; grade with --grader MODEL to locate it",
                "unlocated")
        return
    found = ", ".join(f"({p})" for _, p in answered)
    for key in absent:
        located.absent[key] = Absence(Verdict.missing, (
            f"the reply answers {found} but not this part" if found
            else "no answer to this part was found in the reply"), "unanswered")


#: the last sets' question words (a set is graded turn after turn; a set model is unhashable,
#: so it is kept beside its words and compared by identity)
_WORDS_CACHE: dict[int, tuple[ProblemSet, dict[str, set[str]]]] = {}
_WORDS_CACHE_SIZE = 8


def _question_words(pset: ProblemSet) -> dict[str, set[str]]:
    """Each question's own words (see `_own_words`), computed once per set."""
    cached = _WORDS_CACHE.get(id(pset))
    if cached is not None and cached[0] is pset:
        return cached[1]
    if len(_WORDS_CACHE) >= _WORDS_CACHE_SIZE:
        _WORDS_CACHE.pop(next(iter(_WORDS_CACHE)))
    words = _own_words(pset)
    _WORDS_CACHE[id(pset)] = (pset, words)
    return words


def _own_words(pset: ProblemSet) -> dict[str, set[str]]:
    """Each question's own words: those of its stem, prompts and solutions that fewer than
    half of the set's questions use."""
    raw = {q.id: math_words(" ".join([q.title or "", q.stem or "",
                                      *(f"{p.prompt} {p.solution}" for p in q.leaves)]))
           for q in pset.questions}
    common = {w for w in set().union(*raw.values())
              if sum(w in ws for ws in raw.values()) * 2 > len(raw)}
    return {q: ws - common for q, ws in raw.items()}


def answered_other(pset: ProblemSet, reply: str, asked: set[str]) -> str | None:
    """"the reply answered question 6 again" when the reply echoes another question's own
    words far more than the asked one's; None otherwise."""
    if len(pset.questions) < 2:
        return None
    own = _question_words(pset)
    mine = math_words(reply)
    share = {q: len(mine & ws) / len(ws) for q, ws in own.items() if ws}
    asked_share = max((share.get(q, 0.0) for q in asked), default=0.0)
    others = [q for q in share if q not in asked]
    if not others:
        return None
    best = max(others, key=lambda q: share[q])
    echoed = len(mine & own[best])
    if echoed >= MIN_ECHO and share[best] >= OTHER_SHARE and \
            share[best] >= OTHER_QUESTION * asked_share:
        return f"the reply answered question {best} instead (it does not address this question)"
    return None


def locate(
    pset: ProblemSet,
    turns: Sequence[TurnRecord],
    overrides: dict[int, dict[Key, Segment]] | None = None,
) -> Located:
    """Which text answers which part, and why the others have none. A reply to a one-part
    turn answers that part; a reply to a several-part turn is segmented by its labels, or by a
    grader model's split (`overrides`, by turn index) where labels were absent or ambiguous."""
    located = Located()
    for index, turn in enumerate(turns):
        if overrides and index in overrides:
            for key in turn.keys:
                located.segments[key] = overrides[index].get(key)
            continue
        _locate_turn(pset, turn, located)
    return located


def locate_answers(
    pset: ProblemSet,
    turns: Sequence[TurnRecord],
    overrides: dict[int, dict[Key, Segment]] | None = None,
) -> dict[Key, Segment | None]:
    """Which text answers which part (see `locate`)."""
    return locate(pset, turns, overrides).segments
