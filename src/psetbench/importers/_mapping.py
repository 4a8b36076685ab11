"""From transcripts to plan units and turn records, the way a run would have stored them.

Messages become exchanges (a user message and the replies after it). An exchange whose user
message asks parts of the set is a turn; one that asks nothing after a turn is a nudge of
that turn (its reply is added to the turn's reply); one that asks nothing before any turn is
conversation context. Turns that share a question form one unit (one Inspect sample).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from psetbench.importers._match import PartMatch, match_turn
from psetbench.importers._types import Message, Transcript, TranscriptError
from psetbench.problemset import ProblemSet
from psetbench.record import Nudge, TurnMatch, TurnRecord, TurnSource
from psetbench.segment import clean_reply
from psetbench.strategies import Conversation, PartKey, Turn, Unit

_CONTINUE = re.compile(r"\b(?:continue|go on|keep going|carry on|finish|cut off|rest of)\b", re.I)


@dataclass
class Exchange:
    conv: int  # index of the transcript
    index: int  # position in its conversation
    prompt: str
    replies: list[str] = field(default_factory=list)
    matches: list[PartMatch] = field(default_factory=list)
    kind: str = "context"  # "ask", "nudge" or "context"

    @property
    def reply(self) -> str:
        return "\n\n".join(r for r in self.replies if r.strip())


@dataclass
class Asked:
    """One turn: an exchange that asks parts, with the nudges that followed it."""

    exchange: Exchange
    nudges: list[Exchange] = field(default_factory=list)

    @property
    def parts(self) -> list[PartKey]:
        return [m.key for m in self.exchange.matches]

    @property
    def questions(self) -> set[str]:
        return {q for q, _ in self.parts}


@dataclass
class UnitDraft:
    unit: Unit
    records: list[TurnRecord]
    exchanges: list[Exchange]  # every exchange whose messages the sample shows, in order
    not_asked: list[PartKey] = field(default_factory=list)


@dataclass
class Mapping:
    transcripts: list[Transcript]
    exchanges: list[list[Exchange]]  # per transcript
    asked: list[Asked]
    removed: list[dict[str, Any]]
    not_asked: list[PartKey]
    notes: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """The mean confidence of the turns' part matches (1.0 when nothing was matched)."""
        found = [m.confidence for a in self.asked for m in a.exchange.matches]
        return round(sum(found) / len(found), 3) if found else 1.0


def _exchanges(t: Transcript, conv: int, removed: list[dict[str, Any]]) -> list[Exchange]:
    out: list[Exchange] = []
    previous: tuple[str, str] | None = None
    current: Exchange | None = None
    for n, msg in enumerate(t.messages):
        if msg.role == "system":
            continue
        text, debris = clean_reply(msg.text)
        removed += [{"file": str(t.source), "message": n, "role": msg.role, "text": d}
                    for d in debris]
        if text and previous == (msg.role, text):  # the same message pasted twice
            removed.append({"file": str(t.source), "message": n, "role": msg.role, "text": text})
            continue
        previous = (msg.role, text)
        if msg.role == "user":
            if current is not None and not current.replies:
                current.prompt = f"{current.prompt}\n\n{text}".strip()
            else:
                current = Exchange(conv, len(out), text)
                out.append(current)
        else:
            if current is None:
                current = Exchange(conv, len(out), "")
                out.append(current)
            current.replies.append(text)
    return out


def map_transcripts(transcripts: list[Transcript], pset: ProblemSet) -> Mapping:
    """Match every user message to the parts it asks; TranscriptError when a conversation has
    no reply or no message asks any part of the set."""
    removed: list[dict[str, Any]] = [{"file": str(t.source), "message": None, "role": "page",
                                      "text": r} for t in transcripts for r in t.removed]
    per_conv: list[list[Exchange]] = []
    asked: list[Asked] = []
    for c, t in enumerate(transcripts):
        if not any(m.role == "assistant" for m in t.messages):
            raise TranscriptError(f"{t.label}: the conversation has no assistant reply; copy or "
                                  "export it with the replies")
        exchanges = _exchanges(t, c, removed)
        per_conv.append(exchanges)
        context: list[str] = []
        before: set[str] = set()
        current: Asked | None = None
        for ex in exchanges:
            ex.matches = match_turn(ex.prompt, pset, context, before) if ex.prompt else []
            if ex.matches:
                ex.kind = "ask"
                current = Asked(ex)
                asked.append(current)
                context = list(dict.fromkeys(q for q, _ in current.parts))
                before.update(context)
            elif current is not None:
                ex.kind = "nudge"
                current.nudges.append(ex)
    if not asked:
        files = ", ".join(dict.fromkeys(str(t.source) for t in transcripts))
        raise TranscriptError(f"no user message in {files} asks a part of set {pset.id!r} "
                              "(no part label or prompt text found); check --set and --questions")
    notes = [f"{t.label}: asks no part of the set; left out" for c, t in enumerate(transcripts)
             if not any(ex.kind == "ask" for ex in per_conv[c])]
    seen = {k for a in asked for k in a.parts}
    not_asked = [(q.id, p.id) for q in pset.questions for p in q.leaves
                 if (q.id, p.id) not in seen]
    return Mapping(transcripts, per_conv, asked, removed, not_asked, notes)


def _record(a: Asked, conversation: int, turn: int, transcript: Transcript,
            pset: ProblemSet) -> TurnRecord:
    ex = a.exchange
    replies = [ex.reply] + [n.reply for n in a.nudges]
    reply = "\n\n".join(r for r in replies if r.strip())
    nudge: Nudge | None = None
    if a.nudges:
        prompt = "\n\n".join(n.prompt for n in a.nudges)
        reason = ("empty" if not ex.reply.strip()
                  else "truncated" if _CONTINUE.search(prompt) else "user")
        nudge = Nudge(reason=reason, prompt=prompt, first_reply=ex.reply,
                      still_failed=not reply.strip(), count=len(a.nudges))
    return TurnRecord(
        conversation=conversation, turn=turn, parts=list(a.parts), prompt=ex.prompt,
        reply=reply, nudge=nudge,
        source=TurnSource(file=str(transcript.source), exchange=ex.index,
                          conversation=transcript.title or transcript.conversation_id),
        mapping=[TurnMatch(part=f"{m.key[0]}{pset.label(*m.key)}", confidence=m.confidence,
                           how=m.how) for m in ex.matches],
    )


def _groups(asked: list[Asked], pset: ProblemSet) -> list[list[str]]:
    """Questions asked in a common turn belong together (union-find), in the set's order."""
    parent = {q.id: q.id for q in pset.questions}

    def root(q: str) -> str:
        while parent[q] != q:
            parent[q] = parent[parent[q]]
            q = parent[q]
        return q

    for a in asked:
        first, *rest = sorted(a.questions)
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[str, list[str]] = {}
    touched = {q for a in asked for q in a.questions}
    for question in pset.questions:
        if question.id in touched:
            groups.setdefault(root(question.id), []).append(question.id)
    return list(groups.values())


def _unit_id(questions: list[str], pset: ProblemSet) -> str:
    if len(questions) == 1:
        return f"q{questions[0]}"
    return "set" if len(questions) == len(pset.questions) else "q" + "+".join(questions)


def build_units(mapping: Mapping, pset: ProblemSet) -> list[UnitDraft]:
    """One unit per group of questions asked together. In a unit's plan each part sits at the
    last turn that asked it (the reply grading reads); the records keep every part asked."""
    drafts: list[UnitDraft] = []
    owner: dict[tuple[int, int], int] = {}  # (conv, exchange) -> unit index
    for u, questions in enumerate(_groups(mapping.asked, pset)):
        mine = [a for a in mapping.asked if a.questions & set(questions)]
        last = {k: i for i, a in enumerate(mine) for k in a.parts}
        convs = list(dict.fromkeys(a.exchange.conv for a in mine))
        turns: dict[int, list[Turn]] = {c: [] for c in convs}
        records = []
        for i, a in enumerate(mine):
            c = a.exchange.conv
            records.append(_record(a, convs.index(c), len(turns[c]), mapping.transcripts[c],
                                   pset))
            turns[c].append(Turn(tuple(k for k in a.parts if last[k] == i)))
            for ex in [a.exchange, *a.nudges]:
                owner[(ex.conv, ex.index)] = u
        unit = Unit(id=_unit_id(questions, pset), questions=tuple(questions),
                    conversations=tuple(Conversation(tuple(turns[c])) for c in convs))
        drafts.append(UnitDraft(unit, records, []))
    for exchanges in mapping.exchanges:
        pending: list[Exchange] = []  # context before a turn goes with that turn's unit
        for ex in exchanges:
            where = owner.get((ex.conv, ex.index))
            if where is None:
                pending.append(ex)
                continue
            drafts[where].exchanges += [*pending, ex]
            pending = []
        previous = [owner[(e.conv, e.index)] for e in exchanges if (e.conv, e.index) in owner]
        if pending and previous:  # context after the last turn stays with that turn's unit
            drafts[previous[-1]].exchanges += pending
    for qid, pid in mapping.not_asked:
        home = next((d for d in drafts if qid in d.unit.questions), drafts[-1])
        home.not_asked.append((qid, pid))
    return drafts


def _block(parts: list[PartKey], pset: ProblemSet) -> bool:
    """One part, the sub-parts of one part, or parts of one group (asked together under
    every strategy)."""
    if len(parts) <= 1:
        return True
    if len({q for q, _ in parts}) > 1:
        return False
    if len({pset.part(q, p).path[0] for q, p in parts}) == 1:
        return True
    groups = {pset.part(q, p).group for q, p in parts}
    return len(groups) == 1 and None not in groups


def infer_strategy(drafts: list[UnitDraft], pset: ProblemSet) -> str:
    """The strategy whose conversation shape the imported turns have."""
    turns = [(ci, list(t.parts)) for d in drafts for ci, c in enumerate(d.unit.conversations)
             for t in c.turns if t.parts]
    convs = [c for d in drafts for c in d.unit.conversations]
    if any(len({q for q, _ in parts}) > 1 for _, parts in turns):
        return "whole-set"
    if len(convs) > 1 and all(len(c.turns) == 1 for c in convs) and all(
            _block(parts, pset) for _, parts in turns):
        return "isolated"
    per_question: dict[str, int] = {}
    for _, parts in turns:
        per_question[parts[0][0]] = per_question.get(parts[0][0], 0) + 1
    if all(n == 1 for n in per_question.values()):
        return "one-turn"
    if all(_block(parts, pset) for _, parts in turns):
        return "per-part"
    return "hybrid"


def messages_of(draft: UnitDraft, transcripts: list[Transcript]) -> list[tuple[int, Message]]:
    """The sample's conversation as (transcript index, message): system messages first in each
    conversation, then every exchange the unit owns."""
    out: list[tuple[int, Message]] = []
    started: set[int] = set()
    for ex in draft.exchanges:
        if ex.conv not in started:
            started.add(ex.conv)
            out += [(ex.conv, m) for m in transcripts[ex.conv].messages if m.role == "system"]
        if ex.prompt:
            out.append((ex.conv, Message("user", ex.prompt)))
        out += [(ex.conv, Message("assistant", r)) for r in ex.replies]
    return out
