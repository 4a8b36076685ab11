"""Turn strategies as plans: which parts go into which user message of which conversation.

A plan is pure data, computed before any model is called, so every strategy asks the same
parts with the same prompt template and only the conversation's shape differs. One plan
*unit* becomes one Inspect sample: a question (with all its parts) for every strategy but
`whole-set`, whose unit is the whole set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from psetbench.problemset import Difficulty, Part, ProblemSet, Question

STRATEGIES: dict[str, str] = {
    "one-turn": "a question's stem and all its parts in one user message",
    "per-part": "stem and first part, then one user message per following part (with its "
                "sub-parts), one conversation",
    "hybrid": "consecutive easy parts (or a group) together, medium and hard parts alone",
    "isolated": "each part (with its sub-parts) in a fresh conversation with the stem only "
                "(the control)",
    "whole-set": "every question of the set in one message",
}

PartKey = tuple[str, str]  # (question id, part id)


@dataclass(frozen=True)
class Turn:
    """One user message: the parts it asks."""

    parts: tuple[PartKey, ...]


@dataclass(frozen=True)
class Conversation:
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Unit:
    """What one Inspect sample asks: one or more conversations."""

    id: str
    questions: tuple[str, ...]
    conversations: tuple[Conversation, ...]

    @property
    def parts(self) -> list[PartKey]:
        return [key for conv in self.conversations for turn in conv.turns for key in turn.parts]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "questions": list(self.questions),
            "conversations": [[[list(k) for k in t.parts] for t in c.turns]
                              for c in self.conversations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        return cls(
            id=data["id"],
            questions=tuple(data["questions"]),
            conversations=tuple(
                Conversation(tuple(Turn(tuple((q, p) for q, p in turn)) for turn in conv))
                for conv in data["conversations"]
            ),
        )


class StrategyError(ValueError):
    pass


def check_strategy(name: str) -> str:
    if name not in STRATEGIES:
        raise StrategyError(
            f"unknown strategy {name!r}; use one of: {', '.join(STRATEGIES)}"
        )
    return name


def plan(pset: ProblemSet, strategy: str) -> list[Unit]:
    """The units (samples) a strategy asks, in the set's order."""
    check_strategy(strategy)
    if strategy == "whole-set":
        turn = Turn(tuple((q.id, p.id) for q in pset.questions for p in q.leaves))
        return [Unit("set", tuple(q.id for q in pset.questions), (Conversation((turn,)),))]
    return [_question_unit(q, strategy) for q in pset.questions]


def _blocks(question: Question) -> Iterator[list[Part]]:
    """The leaves of each top-level part in order (a part's sub-parts are asked together),
    with each top-level `group` merged into one block at its first member."""
    leaves: dict[str, list[Part]] = {}
    for leaf in question.leaves:
        leaves.setdefault(leaf.path[0], []).append(leaf)
    groups: dict[str, list[Part]] = {}
    for part in question.parts:
        if part.group is not None:
            groups.setdefault(part.group, []).extend(leaves[part.id])
    emitted: set[str] = set()
    for part in question.parts:
        if part.group is None:
            yield leaves[part.id]
        elif part.group not in emitted:
            emitted.add(part.group)
            yield groups[part.group]


def _turn(parts: list[Part], question: Question) -> Turn:
    return Turn(tuple((question.id, p.id) for p in parts))


def _question_unit(question: Question, strategy: str) -> Unit:
    blocks = list(_blocks(question))
    if strategy == "one-turn":
        conversations = [[_turn(question.leaves, question)]]
    elif strategy == "per-part":
        conversations = [[_turn(b, question) for b in blocks]]
    elif strategy == "isolated":
        conversations = [[_turn(b, question)] for b in blocks]
    else:  # hybrid: runs of easy single parts merge; groups and harder parts stand alone
        turns: list[Turn] = []
        run: list[Part] = []
        for block in blocks:
            if len(block) == 1 and block[0].difficulty == Difficulty.easy:
                run.append(block[0])
                continue
            if run:
                turns.append(_turn(run, question))
                run = []
            turns.append(_turn(block, question))
        if run:
            turns.append(_turn(run, question))
        conversations = [turns]
    return Unit(
        id=f"q{question.id}",
        questions=(question.id,),
        conversations=tuple(Conversation(tuple(c)) for c in conversations),
    )
