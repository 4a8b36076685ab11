"""What a conversation file becomes before it is mapped: transcripts of role-tagged messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from psetbench.errors import PsetbenchError

Role = Literal["system", "user", "assistant"]

class TranscriptError(PsetbenchError, ValueError):
    """A conversation file (or a choice about it) that cannot be imported; one line, naming
    the file and what to do."""


@dataclass
class Message:
    role: Role
    text: str
    time: str | None = None  # ISO 8601, when the source says


@dataclass
class Transcript:
    """One conversation read from one file."""

    source: Path
    format: str
    messages: list[Message]
    title: str | None = None
    conversation_id: str | None = None
    created: str | None = None
    updated: str | None = None
    #: text the reader dropped (page chrome, reasoning summaries), kept for the log
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.source} ({self.title})" if self.title else str(self.source)
