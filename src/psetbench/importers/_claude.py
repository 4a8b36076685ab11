"""`claude`: Claude's data export (`conversations.json`), `chat_messages` of human and
assistant, following the branch that ends at the last message when parents are recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psetbench.importers._exports import ROLES, ExportFormat, as_key
from psetbench.importers._types import Message, Transcript


def _branch(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages on the branch ending at the last message, when the export records parents."""
    if not messages or not all("parent_message_uuid" in m for m in messages):
        return messages
    by_id = {m["uuid"]: m for m in messages if isinstance(m.get("uuid"), str)}
    branch: list[dict[str, Any]] = []
    seen: set[int] = set()  # by identity: comparing dicts would take quadratic time
    node: dict[str, Any] | None = messages[-1]
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        branch.append(node)
        node = by_id.get(as_key(node.get("parent_message_uuid")) or "")
    return branch[::-1]


def _text(msg: dict[str, Any]) -> str:
    content = msg.get("content")
    text = ""
    if isinstance(content, list):
        text = "\n\n".join(str(p.get("text") or "") for p in content
                           if isinstance(p, dict) and p.get("type") == "text")
    if not text.strip():
        text = str(msg.get("text") or "")
    attachments = msg.get("attachments")
    pasted = [str(a.get("extracted_content") or "")
              for a in (attachments if isinstance(attachments, list) else [])
              if isinstance(a, dict)]
    return "\n\n".join(t for t in [text, *pasted] if t.strip())


class Claude(ExportFormat):
    name = "claude"
    description = "Claude's data export (conversations.json): chat_messages of human and assistant"
    key = "chat_messages"

    def ident(self, conv: dict[str, Any]) -> str:
        return str(conv.get("uuid") or "")

    def title(self, conv: dict[str, Any]) -> str:
        return str(conv.get("name") or "")

    def transcript(self, conv: dict[str, Any], source: Path) -> Transcript:
        messages: list[Message] = []
        chat = conv.get("chat_messages")
        for msg in _branch([m for m in (chat if isinstance(chat, list) else [])
                            if isinstance(m, dict)]):
            role = ROLES.get(str(msg.get("sender", "")).lower())
            if role in ("user", "assistant"):
                messages.append(Message(role, _text(msg), msg.get("created_at")))
        return Transcript(source=source, format="claude", messages=messages,
                          title=conv.get("name") or None, conversation_id=conv.get("uuid"),
                          created=conv.get("created_at"), updated=conv.get("updated_at"))
