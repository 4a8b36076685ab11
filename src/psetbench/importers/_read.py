"""Read a conversation file in any registered format, detecting the format unless it is named."""

from __future__ import annotations

from pathlib import Path

from psetbench.importers import _stream
from psetbench.importers._exports import ExportFormat
from psetbench.importers._format import Content
from psetbench.importers._registry import detect_format, formats, get_format
from psetbench.importers._types import Transcript, TranscriptError


def detect(text: str) -> str | None:
    """The format of a file's text, or None when it is none of them."""
    found = detect_format(Content(Path("-"), text))
    return found.name if found is not None else None


def _streamed(path: Path, fmt: str | None, conversation: str) -> Transcript | None:
    """One conversation of a large export, read while streaming; None when the file is not
    large or not an export (named with `fmt`, or recognised by its first bytes)."""
    if not path.is_file() or path.stat().st_size < _stream.STREAM_BYTES:
        return None
    named = [get_format(fmt)] if fmt is not None else list(formats().values())
    exports = [f for f in named if isinstance(f, ExportFormat) and f.streams]
    if not exports:
        return None
    head = _stream.head(path) if fmt is None else ""
    for export in exports:
        if fmt is not None or export.sniff(head):
            return _stream.stream_export(path, export, conversation)
    return None


def read_transcripts(
    path: str | Path, fmt: str | None = None, conversation: str | None = None
) -> list[Transcript]:
    """The conversations in one file (several for JSONL with one conversation per line)."""
    path = Path(path)
    chosen = get_format(fmt) if fmt is not None else None
    if conversation is not None:
        streamed = _streamed(path, fmt, conversation)
        if streamed is not None:
            return [streamed]
    content = Content.read(path)
    chosen = chosen or detect_format(content)
    if chosen is None:
        raise TranscriptError(
            f"{path}: unknown format (not a chat export or message JSON, and no 'You said:', "
            "'User:', 'Human:' or '## user' turn markers); name it with --format "
            f"{'|'.join(formats())}")
    return chosen.read(content, conversation)
