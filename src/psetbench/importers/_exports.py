"""Read JSON conversations: OpenAI-style message lists (JSON or JSONL), and the data exports
of ChatGPT (`conversations.json`, message trees) and Claude (`conversations.json`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psetbench.importers._types import Message, Role, Transcript, TranscriptError

_ROLES: dict[str, Role | None] = {
    "user": "user", "human": "user",
    "assistant": "assistant", "ai": "assistant", "model": "assistant", "bot": "assistant",
    "chatbot": "assistant",
    "system": "system", "developer": "system",
    "tool": None, "function": None, "ipython": None,  # tool traffic is not conversation
}
_TEXT_PARTS = {"text", "input_text", "output_text"}
#: longest conversation title kept (a title is shown in listings and reports)
_MAX_TITLE = 500
#: ChatGPT content types that are the conversation's visible text
_CHATGPT_TEXT = {"text", "multimodal_text"}


def classify(data: Any) -> str | None:
    """The format of parsed JSON: 'chatgpt', 'claude', 'openai', or None."""
    items = data if isinstance(data, list) else [data]
    dicts = [d for d in items if isinstance(d, dict)]
    if dicts and all("mapping" in d for d in dicts):
        return "chatgpt"
    if dicts and all("chat_messages" in d for d in dicts):
        return "claude"
    if _conversations(data) is not None:
        return "openai"
    return None


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


def _content_text(content: Any) -> str:
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


def parse_openai(data: Any, source: Path, lines: list[Any] | None = None) -> list[Transcript]:
    """`data` is parsed JSON; `lines` the parsed lines of a JSONL file (then `data` is None)."""
    if lines is not None:
        convs: list[list[dict[str, Any]]] = []
        if all(_is_message(item) for item in lines):
            convs = [lines]  # one message per line: one conversation
        else:
            for n, item in enumerate(lines, 1):
                found = _conversations(item)
                if found is None:
                    raise TranscriptError(f"{source}: line {n} is not a list of "
                                          "{role, content} messages; fix it or remove it")
                convs += found
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
            if role_name not in _ROLES:
                raise TranscriptError(f"{source}: message {n} has role {role_name!r}; use user, "
                                      "assistant or system")
            role = _ROLES[role_name]
            if role is not None:
                messages.append(Message(role, _content_text(item.get("content"))))
        title = f"conversation {c + 1}" if len(convs) > 1 else None
        out.append(Transcript(source=source, format="openai", messages=messages, title=title))
    return out


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


def _epoch(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):  # NaN, or outside the years 1..9999
            return None
    return str(value)[:100] if value else None


def _dict(value: Any) -> dict[str, Any]:
    """An export's field that should be an object: {} when it is anything else."""
    return value if isinstance(value, dict) else {}


def _key(value: Any) -> str | None:
    """A node id or parent reference: None unless a string (a list is not hashable)."""
    return value if isinstance(value, str) else None


def _chatgpt_branch(conv: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes from the root to the conversation's current node (the branch the user was
    last on; edited and regenerated siblings are left behind)."""
    mapping = {k: n for k, n in _dict(conv.get("mapping")).items() if isinstance(n, dict)}
    node_id = _key(conv.get("current_node"))
    if node_id not in mapping:  # no current node: follow the newest child from the root
        roots = [k for k, n in mapping.items() if _key(n.get("parent")) not in mapping]
        node_id = roots[0] if roots else None
        seen_down: set[str] = set()
        while node_id in mapping and node_id not in seen_down:
            seen_down.add(node_id)
            children = mapping[node_id].get("children")
            if not isinstance(children, list) or not children:
                break
            node_id = _key(children[-1])
    branch: list[dict[str, Any]] = []
    seen: set[str] = set()
    while node_id is not None and node_id in mapping and node_id not in seen:
        seen.add(node_id)
        branch.append(mapping[node_id])
        node_id = _key(mapping[node_id].get("parent"))
    return branch[::-1]


def parse_chatgpt(data: Any, source: Path, conversation: str | None) -> Transcript:
    items = [d for d in (data if isinstance(data, list) else [data]) if isinstance(d, dict)]
    conv = pick(items, source, conversation,
                ident=lambda c: str(c.get("conversation_id") or c.get("id") or ""),
                title=lambda c: str(c.get("title") or ""))
    messages: list[Message] = []
    removed: list[str] = []
    skipped: dict[str, int] = {}
    for node in _chatgpt_branch(conv):
        msg = node.get("message")
        if not isinstance(msg, dict):
            continue
        role = _ROLES.get(str(_dict(msg.get("author")).get("role", "")).lower())
        content = _dict(msg.get("content"))
        kind = str(content.get("content_type", "text"))
        hidden = _dict(msg.get("metadata")).get("is_visually_hidden_from_conversation")
        if role is None or role == "system" or hidden or msg.get("recipient") not in (None, "all"):
            continue
        if kind not in _CHATGPT_TEXT:
            if kind == "reasoning_recap" and content.get("content"):
                removed.append(str(content["content"]))  # "Thought for 2m 59s"
            else:
                skipped[kind] = skipped.get(kind, 0) + 1
            continue
        text = _content_text(content.get("parts"))
        messages.append(Message(role, text, _epoch(msg.get("create_time"))))
    notes = [f"skipped {n} {kind} message(s)" for kind, n in sorted(skipped.items())]
    return Transcript(source=source, format="chatgpt", messages=messages,
                      title=str(conv.get("title") or "")[:_MAX_TITLE] or None,
                      conversation_id=str(conv.get("conversation_id") or conv.get("id") or "")
                      or None,
                      created=_epoch(conv.get("create_time")),
                      updated=_epoch(conv.get("update_time")), removed=removed, notes=notes)


def _claude_branch(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
        node = by_id.get(_key(node.get("parent_message_uuid")) or "")
    return branch[::-1]


def _claude_text(msg: dict[str, Any]) -> str:
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


def parse_claude(data: Any, source: Path, conversation: str | None) -> Transcript:
    items = [d for d in (data if isinstance(data, list) else [data]) if isinstance(d, dict)]
    conv = pick(items, source, conversation, ident=lambda c: str(c.get("uuid") or ""),
                title=lambda c: str(c.get("name") or ""))
    messages: list[Message] = []
    chat = conv.get("chat_messages")
    for msg in _claude_branch([m for m in (chat if isinstance(chat, list) else [])
                               if isinstance(m, dict)]):
        role = _ROLES.get(str(msg.get("sender", "")).lower())
        if role in ("user", "assistant"):
            messages.append(Message(role, _claude_text(msg), msg.get("created_at")))
    return Transcript(source=source, format="claude", messages=messages,
                      title=conv.get("name") or None, conversation_id=conv.get("uuid"),
                      created=conv.get("created_at"), updated=conv.get("updated_at"))
