"""`openai`: OpenAI-style JSON, a list of {role, content} messages, {"messages": [...]}, a list
of such conversations, or JSONL with one conversation (or one message) per line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psetbench.importers._exports import ROLES, content_text
from psetbench.importers._format import Content, ImportFormat
from psetbench.importers._types import Message, Transcript, TranscriptError


def _is_message(item: Any) -> bool:
    return isinstance(item, dict) and "role" in item


def _conversations(data: Any) -> list[list[dict[str, Any]]] | None:
    """OpenAI-style data as conversations: a message list, {"messages": [...]}, or a list
    of either."""
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        data = data["messages"]
    if not isinstance(data, list) or not data:
        return None
    if all(_is_message(m) for m in data):
        return [data]
    convs: list[list[dict[str, Any]]] = []
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("messages"), list):
            item = item["messages"]
        if not isinstance(item, list) or not all(_is_message(m) for m in item):
            return None
        convs.append(item)
    return convs


def _line_conversations(lines: list[Any], source: Path) -> list[list[dict[str, Any]]]:
    if all(_is_message(item) for item in lines):
        return [lines]  # one message per line: one conversation
    convs: list[list[dict[str, Any]]] = []
    for n, item in enumerate(lines, 1):
        found = _conversations(item)
        if found is None:
            raise TranscriptError(f"{source}: line {n} is not a list of "
                                  "{role, content} messages; fix it or remove it")
        convs += found
    return convs


def parse_openai(data: Any, source: Path, lines: list[Any] | None = None) -> list[Transcript]:
    """`data` is parsed JSON; `lines` the parsed lines of a JSONL file (then `data` is None)."""
    if lines is not None:
        convs = _line_conversations(lines, source)
    else:
        found = _conversations(data)
        if found is None:
            raise TranscriptError(f"{source}: not a list of {{role, content}} messages; "
                                  "use --format chatgpt or claude for an app's data export")
        convs = found
    out = []
    for c, conv in enumerate(convs):
        messages: list[Message] = []
        for n, item in enumerate(conv, 1):
            role_name = str(item.get("role", "")).lower()
            if role_name not in ROLES:
                raise TranscriptError(f"{source}: message {n} has role {role_name!r}; use user, "
                                      "assistant or system")
            role = ROLES[role_name]
            if role is not None:
                messages.append(Message(role, content_text(item.get("content"))))
        title = f"conversation {c + 1}" if len(convs) > 1 else None
        out.append(Transcript(source=source, format="openai", messages=messages, title=title))
    return out


class OpenAI(ImportFormat):
    name = "openai"
    description = "OpenAI-style JSON: a list of {role, content} messages, or JSONL of such lists"

    def detect(self, content: Content) -> float:
        # 0.9, not 1: an app's export is the more specific reading of JSON that fits both.
        # JSON too deep to parse is taken as this format, so that reading it says so.
        if content.is_json:
            return 0.9 if content.too_deep or _conversations(content.json()) is not None else 0.0
        lines = content.json_lines
        return 0.9 if lines is not None and all(isinstance(i, dict | list) for i in lines) \
            else 0.0

    def read(self, content: Content, conversation: str | None) -> list[Transcript]:
        if not content.is_json and content.json_lines is not None:
            return parse_openai(None, content.path, content.json_lines)
        return parse_openai(content.json(), content.path)
