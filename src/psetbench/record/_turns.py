"""One turn of a conversation as a log stores it: which parts it asked, what came back, and
whether a nudge was needed. The solver (`psetbench run`) and the importers write these; grading,
the judge and the view read them. Stored as JSON in each sample's store under `TURNS_KEY`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

TURNS_KEY = "psetbench:turns"  # sample store key of the turn records


class _Record(BaseModel):
    # fields a later psetbench adds are kept when an older one reads the log
    model_config = ConfigDict(extra="allow")


class Usage(_Record):
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(input_tokens=self.input_tokens + other.input_tokens,
                     output_tokens=self.output_tokens + other.output_tokens)


class Nudge(_Record):
    """The follow-up sent after an empty or cut-off reply (or, imported, the user's own)."""

    reason: str = Field(description="'empty', 'truncated' or (imported) 'user'")
    prompt: str
    first_reply: str = Field(default="", description="the reply before the nudge")
    stop_reason: str = "unknown"
    still_failed: bool = Field(default=False, description="the reply after it was no better")
    still_truncated: bool = False
    count: int = Field(default=1, description="follow-ups folded into this turn (imported)")


class TurnSource(_Record):
    """Where an imported turn came from."""

    file: str
    conversation: str | None = None
    exchange: int = 0


class TurnMatch(_Record):
    """How an imported user message was mapped to a part."""

    part: str
    confidence: float
    how: str


class TurnRecord(_Record):
    """One user message and the reply to it."""

    conversation: int = 0
    turn: int = 0
    parts: list[tuple[str, str]] = Field(description="(question, part) ids the turn asked")
    prompt: str = ""
    reply: str = ""
    stop_reason: str = "unknown"
    usage: Usage = Field(default_factory=Usage)
    nudge: Nudge | None = None
    source: TurnSource | None = None
    mapping: list[TurnMatch] = Field(default_factory=list)

    @property
    def keys(self) -> list[tuple[str, str]]:
        return [(str(q), str(p)) for q, p in self.parts]


def dump_turns(records: Sequence[TurnRecord]) -> list[dict[str, Any]]:
    """Turn records as the sample store keeps them (JSON)."""
    return [r.model_dump(mode="json", exclude_none=False) for r in records]


#: a turn record, or one as a sample store keeps it (JSON)
TurnLike = TurnRecord | Mapping[str, Any]


def load_turns(raw: Sequence[TurnLike] | None) -> list[TurnRecord]:
    """Turn records from a sample store (records written by any psetbench version); records
    already typed are taken as they are."""
    return [r if isinstance(r, TurnRecord) else TurnRecord.model_validate(r)
            for r in raw or []]
