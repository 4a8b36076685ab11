"""Read a conversation file in any supported format, detecting the format unless it is named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from psetbench.importers import _stream
from psetbench.importers._exports import classify, parse_chatgpt, parse_claude, parse_openai
from psetbench.importers._text import has_markers, parse_text
from psetbench.importers._types import Transcript, TranscriptError, check_format


def _read(path: Path) -> str:
    if not path.is_file():
        raise TranscriptError(f"{path}: no such file; give a copied conversation or an export")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 "
                              "text or JSON") from exc
    if not text.strip():
        raise TranscriptError(f"{path}: the file is empty; copy or export the conversation again")
    return text


def _json_lines(text: str) -> list[Any] | None:
    rows = [line for line in text.splitlines() if line.strip()]
    if len(rows) < 2:
        return None
    try:
        return [json.loads(row) for row in rows]
    except (json.JSONDecodeError, RecursionError):
        return None


def detect(text: str) -> str | None:
    """The format of a file's text, or None when it is none of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    except RecursionError:
        return "openai"  # JSON, nested too deep: reading it again says so in one line
    else:
        return classify(data)
    lines = _json_lines(text)
    if lines is not None:
        return "openai" if parse_lines_ok(lines) else None
    return "text" if has_markers(text) else None


def parse_lines_ok(lines: list[Any]) -> bool:
    return all(isinstance(item, dict | list) for item in lines)


def read_transcripts(
    path: str | Path, fmt: str | None = None, conversation: str | None = None
) -> list[Transcript]:
    """The conversations in one file (several for JSONL with one conversation per line)."""
    path = Path(path)
    check_format(fmt)
    if conversation is not None and fmt in (None, "chatgpt", "claude") and path.is_file() \
            and path.stat().st_size >= _stream.STREAM_BYTES:
        kind = fmt or _stream.sniff_export(path)
        if kind is not None:
            return [_stream.stream_export(path, kind, conversation)]
    text = _read(path)
    chosen = fmt or detect(text)
    if chosen is None:
        raise TranscriptError(
            f"{path}: unknown format (not a chat export or message JSON, and no 'You said:', "
            "'User:', 'Human:' or '## user' turn markers); name it with --format "
            "text|openai|chatgpt|claude")
    if chosen == "text":
        return [parse_text(text, path)]
    try:
        data: Any = _stream.loads(text, path)
        lines: list[Any] | None = None
    except json.JSONDecodeError as exc:
        data, lines = None, _json_lines(text) if chosen == "openai" else None
        if lines is None:
            raise TranscriptError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); "
                                  f"export the conversation again or use --format text") from exc
    if chosen == "openai":
        return parse_openai(data, path, lines)
    if classify(data) != chosen:
        key = "mapping" if chosen == "chatgpt" else "chat_messages"
        raise TranscriptError(f"{path}: not a {chosen} export (expected a list of "
                              f"conversations with {key!r}); check --format")
    if chosen == "chatgpt":
        return [parse_chatgpt(data, path, conversation)]
    return [parse_claude(data, path, conversation)]
