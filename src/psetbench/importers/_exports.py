"""What the JSON formats share: role names, message content as text, timestamps, and the
chat-app data export (a list of conversations, one picked by id or title) as `ExportFormat`,
which `_chatgpt` and `_claude` subclass and `_stream` reads while streaming."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from psetbench.importers._format import Content, ImportFormat
from psetbench.importers._types import Role, Transcript, TranscriptError

ROLES: dict[str, Role | None] = {
    "user": "user", "human": "user",
    "assistant": "assistant", "ai": "assistant", "model": "assistant", "bot": "assistant",
    "chatbot": "assistant",
    "system": "system", "developer": "system",
    "tool": None, "function": None, "ipython": None,  # tool traffic is not conversation
}
_TEXT_PARTS = {"text", "input_text", "output_text"}


def content_text(content: Any) -> str:
    """A message's content as text: a string, or the text parts of a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict) and part.get("type", "text") in _TEXT_PARTS:
                texts.append(str(part.get("text") or ""))
        return "\n\n".join(t for t in texts if t)
    return str(content)


def epoch(value: Any) -> str | None:
    """An export's timestamp as ISO 8601: seconds since 1970, or a string kept as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):  # NaN, or outside the years 1..9999
            return None
    return str(value)[:100] if value else None


def as_dict(value: Any) -> dict[str, Any]:
    """An export's field that should be an object: {} when it is anything else."""
    return value if isinstance(value, dict) else {}


def as_key(value: Any) -> str | None:
    """A node id or parent reference: None unless a string (a list is not hashable)."""
    return value if isinstance(value, str) else None


def pick(
    items: list[dict[str, Any]], source: Path, conversation: str | None,
    ident: Callable[[dict[str, Any]], str], title: Callable[[dict[str, Any]], str],
) -> dict[str, Any]:
    """The conversation an export's user asked for: by id, exact title, or unique part of a
    title; the only one when there is one."""
    if not items:
        raise TranscriptError(f"{source}: the export holds no conversations")
    if conversation is None:
        if len(items) == 1:
            return items[0]
        shown = "; ".join(f"{title(i)!r} ({ident(i)})" for i in items[:12])
        more = f"; and {len(items) - 12} more" if len(items) > 12 else ""
        raise TranscriptError(f"{source}: holds {len(items)} conversations; choose one with "
                              f"--conversation TITLE|ID: {shown}{more}")
    wanted = conversation.strip().casefold()
    for test in (lambda i: ident(i).casefold() == wanted,
                 lambda i: title(i).strip().casefold() == wanted,
                 lambda i: wanted in title(i).casefold()):
        hits = [i for i in items if test(i)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = "; ".join(f"{title(i)!r} ({ident(i)})" for i in hits[:12])
            raise TranscriptError(f"{source}: --conversation {conversation!r} matches "
                                  f"{len(hits)} conversations ({names}); give its id")
    raise TranscriptError(f"{source}: no conversation has id or title {conversation!r}; "
                          f"titles: {'; '.join(repr(title(i)) for i in items[:12])}")


def _dicts(data: Any) -> list[dict[str, Any]]:
    return [d for d in (data if isinstance(data, list) else [data]) if isinstance(d, dict)]


class ExportFormat(ImportFormat):
    """A chat app's data export: a JSON list of conversations, each an object with `key`.

    One conversation is read, picked with `--conversation` (by `ident` or `title`) unless the
    export holds only one. Exports stream: a large one is read incrementally when a
    conversation is picked (`_stream`), recognised by `key` in its first bytes.
    """

    key: ClassVar[str]
    streams: ClassVar[bool] = True

    @abstractmethod
    def ident(self, conv: dict[str, Any]) -> str:
        """A conversation's id, as `--conversation` may give it."""

    @abstractmethod
    def title(self, conv: dict[str, Any]) -> str:
        """A conversation's title, as `--conversation` may give it."""

    @abstractmethod
    def transcript(self, conv: dict[str, Any], source: Path) -> Transcript:
        """One conversation of the export, read."""

    def matches(self, data: Any) -> bool:
        """Parsed JSON is this export: objects that all have `key`."""
        dicts = _dicts(data)
        return bool(dicts) and all(self.key in d for d in dicts)

    def sniff(self, head: str) -> bool:
        """The first bytes of a file (leading whitespace removed) look like this export."""
        return head.startswith("[") and f'"{self.key}"' in head

    def detect(self, content: Content) -> float:
        return 1.0 if content.is_json and not content.too_deep \
            and self.matches(content.json()) else 0.0

    def read(self, content: Content, conversation: str | None) -> list[Transcript]:
        data = content.json()
        if not self.matches(data):
            raise TranscriptError(f"{content.path}: not a {self.name} export (expected a list of "
                                  f"conversations with {self.key!r}); check --format")
        return [self.parse(data, content.path, conversation)]

    def parse(self, data: Any, source: Path, conversation: str | None) -> Transcript:
        """The picked conversation of parsed export data."""
        conv = pick(_dicts(data), source, conversation, ident=self.ident, title=self.title)
        return self.transcript(conv, source)
