"""Pick one conversation out of a large chat-app export while it streams, so memory stays
bounded by that conversation rather than the whole export.

Streaming uses ijson (a maintained incremental parser over the yajl C library): each
conversation of the export's top-level list is built, tested against --conversation, and
dropped unless it matches. Any `ExportFormat` streams this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ijson

from psetbench.importers._exports import ExportFormat, pick
from psetbench.importers._types import Transcript, TranscriptError

#: an export at least this large is streamed when a conversation is picked
STREAM_BYTES = 32 * 1024 * 1024
#: conversations whose title merely contains the wanted text that are kept while streaming
_MAX_LOOSE = 13


def head(path: Path) -> str:
    """A file's first 64 KiB as text, without a byte order mark or leading whitespace, for
    `ExportFormat.sniff`."""
    with path.open("rb") as f:
        return f.read(1 << 16).decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")


def _items(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as f:
        try:
            for item in ijson.items(f, "item", use_float=True):
                if isinstance(item, dict):
                    yield item
        except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
            raise TranscriptError(f"{path}: not valid JSON ({exc}); export the "
                                  "conversations again") from exc


def stream_pick(
    path: Path, conversation: str, ident: Callable[[dict[str, Any]], str],
    title: Callable[[dict[str, Any]], str],
) -> dict[str, Any]:
    """The conversation `pick` would choose, holding only candidates while streaming: those
    whose id or title equals the wanted text, and a few whose title contains it."""
    wanted = conversation.strip().casefold()
    exact: list[dict[str, Any]] = []
    loose: list[dict[str, Any]] = []
    titles: list[str] = []
    count = loose_count = 0
    for item in _items(path):
        count += 1
        name = title(item)
        if len(titles) < 12:
            titles.append(name)
        if ident(item).casefold() == wanted or name.strip().casefold() == wanted:
            exact.append(item)
        elif wanted in name.casefold():
            loose_count += 1
            if len(loose) < _MAX_LOOSE:
                loose.append(item)
    if not exact and not loose:
        if count == 0:
            raise TranscriptError(f"{path}: the export holds no conversations")
        raise TranscriptError(f"{path}: no conversation has id or title {conversation!r}; "
                              f"titles: {'; '.join(repr(t) for t in titles)}")
    if not exact and loose_count > 1:
        names = "; ".join(f"{title(i)!r} ({ident(i)})" for i in loose[:12])
        raise TranscriptError(f"{path}: --conversation {conversation!r} matches "
                              f"{loose_count} conversations ({names}); give its id")
    return pick(exact + loose, path, conversation, ident, title)


def stream_export(path: Path, fmt: ExportFormat, conversation: str) -> Transcript:
    """One conversation of a large export in `fmt`, read while streaming."""
    return fmt.transcript(stream_pick(path, conversation, ident=fmt.ident, title=fmt.title), path)
