"""What a strategy's plan is made of: which parts go into which user message of which
conversation.

A plan is pure data, computed before any model is called, so every strategy asks the same
parts with the same prompt template and only the conversation's shape differs. One plan
*unit* becomes one Inspect sample: a question (with all its parts) for every strategy but
`whole-set`, whose unit is the whole set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
