"""`chatgpt`: ChatGPT's data export (`conversations.json`), each conversation a tree of message
nodes of which the current branch is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psetbench.importers._exports import ROLES, ExportFormat, as_dict, as_key, content_text, epoch
from psetbench.importers._types import Message, Transcript

#: longest conversation title kept (a title is shown in listings and reports)
_MAX_TITLE = 500
#: ChatGPT content types that are the conversation's visible text
_CHATGPT_TEXT = {"text", "multimodal_text"}


def _branch(conv: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes from the root to the conversation's current node (the branch the user was
    last on; edited and regenerated siblings are left behind)."""
    mapping = {k: n for k, n in as_dict(conv.get("mapping")).items() if isinstance(n, dict)}
    node_id = as_key(conv.get("current_node"))
    if node_id not in mapping:  # no current node: follow the newest child from the root
        roots = [k for k, n in mapping.items() if as_key(n.get("parent")) not in mapping]
        node_id = roots[0] if roots else None
        seen_down: set[str] = set()
        while node_id in mapping and node_id not in seen_down:
            seen_down.add(node_id)
            children = mapping[node_id].get("children")
            if not isinstance(children, list) or not children:
                break
            node_id = as_key(children[-1])
    branch: list[dict[str, Any]] = []
    seen: set[str] = set()
    while node_id is not None and node_id in mapping and node_id not in seen:
        seen.add(node_id)
        branch.append(mapping[node_id])
        node_id = as_key(mapping[node_id].get("parent"))
    return branch[::-1]


class ChatGPT(ExportFormat):
    name = "chatgpt"
    description = "ChatGPT's data export (conversations.json): message trees, current branch"
    key = "mapping"

    def ident(self, conv: dict[str, Any]) -> str:
        return str(conv.get("conversation_id") or conv.get("id") or "")

    def title(self, conv: dict[str, Any]) -> str:
        return str(conv.get("title") or "")

    def transcript(self, conv: dict[str, Any], source: Path) -> Transcript:
        messages: list[Message] = []
        removed: list[str] = []
        skipped: dict[str, int] = {}
        for node in _branch(conv):
            msg = node.get("message")
            if not isinstance(msg, dict):
                continue
            role = ROLES.get(str(as_dict(msg.get("author")).get("role", "")).lower())
            content = as_dict(msg.get("content"))
            kind = str(content.get("content_type", "text"))
            hidden = as_dict(msg.get("metadata")).get("is_visually_hidden_from_conversation")
            if role is None or role == "system" or hidden \
                    or msg.get("recipient") not in (None, "all"):
                continue
            if kind not in _CHATGPT_TEXT:
                if kind == "reasoning_recap" and content.get("content"):
                    removed.append(str(content["content"]))  # "Thought for 2m 59s"
                else:
                    skipped[kind] = skipped.get(kind, 0) + 1
                continue
            text = content_text(content.get("parts"))
            messages.append(Message(role, text, epoch(msg.get("create_time"))))
        notes = [f"skipped {n} {kind} message(s)" for kind, n in sorted(skipped.items())]
        return Transcript(source=source, format="chatgpt", messages=messages,
                          title=self.title(conv)[:_MAX_TITLE] or None,
                          conversation_id=self.ident(conv) or None,
                          created=epoch(conv.get("create_time")),
                          updated=epoch(conv.get("update_time")), removed=removed, notes=notes)
