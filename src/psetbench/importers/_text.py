"""`text`: text copied from a chat page, turns introduced by marker lines.

Four marker styles are recognised ('You said:' / 'ChatGPT said:', 'User:' / 'Assistant:',
'Human:' / 'Assistant:', '## user' / '## assistant'). Only one style is used per file (the
one with the most markers), and only its two most used role words, so a line such as
"AI: ..." inside an answer never starts a turn; lines inside fenced code never do either.
Hand-written: chat pages have no machine-readable copy format for a library to parse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from psetbench.importers._format import Content, ImportFormat
from psetbench.importers._types import Message, Role, Transcript, TranscriptError

_USER_WORDS = {"you", "user", "human", "me"}
_SAID = re.compile(
    r"[ \t]*(?P<who>you|chatgpt|claude|gemini|copilot|assistant)[ \t]+said[ \t]*:[ \t]*"
    r"(?P<rest>.*)", re.I)
_COLON = re.compile(
    r"[ \t]*(?:\*\*|__)?(?P<who>user|human|you|assistant|ai|chatgpt|claude|gemini|bot)"
    r"[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(?P<rest>.*)", re.I)
_HEADING = re.compile(
    r"[ \t]*#{1,6}[ \t]*(?P<who>user|human|you|me|assistant|ai|chatgpt|claude|gemini|model)"
    r"[ \t]*:?[ \t]*(?P<rest>)", re.I)
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("said", _SAID), ("heading", _HEADING), ("colon", _COLON))

# page chrome (whole lines only): disclaimers are removed anywhere; menus and buttons only
# before the first turn and after the last one, where no answer text can be
_DISCLAIMER = re.compile(
    r"(?:chatgpt|claude|gemini|copilot) can make mistakes\b.*|"
    r"is this conversation helpful so far\?", re.I)
_CHROME = re.compile(
    r"skip to content|open sidebar|new chat|log in|sign up(?: for free)?|get plus|"
    r"message (?:chatgpt|claude)|ask anything|upgrade (?:plan|to plus)|temporary chat|"
    r"(?:chatgpt|claude)(?: [\w.-]+)?|share|search|tools|attach|voice|reason|deep research",
    re.I)
_FENCE = re.compile(r"[ \t]{0,3}(```|~~~)")


@dataclass(frozen=True)
class _Marker:
    line: int
    role: Role
    word: str
    rest: str


def _role(word: str) -> Role:
    return "user" if word.lower() in _USER_WORDS else "assistant"


def _unfenced(lines: list[str]) -> list[bool]:
    """For each line, whether it is outside fenced code."""
    out: list[bool] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None:
            out.append(match is None)
            if match:
                fence = match.group(1)
        else:
            out.append(False)
            if line.strip().startswith(fence):
                fence = None
    return out


def _markers(lines: list[str], free: list[bool], regex: re.Pattern[str]) -> list[_Marker]:
    found = [_Marker(i, _role(m["who"]), m["who"].lower(), m["rest"])
             for i, line in enumerate(lines) if free[i] and (m := regex.fullmatch(line))]
    # only the most used word of each role counts in this file
    keep: set[str] = set()
    for role in ("user", "assistant"):
        words = Counter(m.word for m in found if m.role == role)
        if words:
            keep.add(words.most_common(1)[0][0])
    return [m for m in found if m.word in keep]


def has_markers(text: str) -> bool:
    lines = text.splitlines()
    free = _unfenced(lines)
    return any(_markers(lines, free, regex) for _, regex in STYLES)


def _choose(lines: list[str], free: list[bool]) -> list[_Marker]:
    best: list[_Marker] = []
    style = ""
    for name, regex in STYLES:
        marks = _markers(lines, free, regex)
        roles = {m.role for m in marks}
        rank = (len(roles), len(marks))
        if rank > (len({m.role for m in best}), len(best)):
            best, style = marks, name
    return _unforged(best) if style == "said" else best


def _unforged(markers: list[_Marker]) -> list[_Marker]:
    """On a chat page every message a person sends gets a reply, so a 'You said:' inside a
    reply that another 'You said:' follows with no reply between is text of that reply (a
    quoted or forged marker), not a turn boundary."""
    kept: list[_Marker] = []
    for i, m in enumerate(markers):
        after = markers[i + 1] if i + 1 < len(markers) else None
        if (m.role == "user" and kept and kept[-1].role == "assistant"
                and after is not None and after.role == "user"):
            continue
        kept.append(m)
    return kept


def _strip_chrome(
    lines: list[str], free: list[bool], removed: list[str], *, edge: bool = False
) -> str:
    """The lines without disclaimers (and, at the page's edges, without menus and buttons)."""
    kept = []
    for line, outside in zip(lines, free, strict=True):
        stripped = line.strip()
        if outside and stripped and (_DISCLAIMER.fullmatch(stripped)
                                     or (edge and _CHROME.fullmatch(stripped))):
            removed.append(stripped)
        else:
            kept.append(line)
    return "\n".join(kept).strip()


def _strip_tail(text: str, removed: list[str]) -> str:
    """The last message without the page's buttons and menus after it."""
    lines = text.split("\n")
    tail: list[str] = []
    while lines and (not lines[-1].strip() or _CHROME.fullmatch(lines[-1].strip())):
        line = lines.pop()
        if line.strip():
            tail.append(line.strip())
    removed.extend(reversed(tail))
    return "\n".join(lines).strip()


def parse_text(text: str, source: Path) -> Transcript:
    """One conversation from copied page text; TranscriptError when it has no turn markers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = text.split("\n")
    free = _unfenced(lines)
    markers = _choose(lines, free)
    if not markers:
        raise TranscriptError(
            f"{source}: no turn markers found ('You said:' / 'ChatGPT said:', 'User:' / "
            "'Assistant:', 'Human:' / 'Assistant:' or '## user' / '## assistant'); "
            "add them, or name another format with --format")
    removed: list[str] = []
    messages: list[Message] = []
    lead = _strip_chrome(lines[:markers[0].line], free[:markers[0].line], removed, edge=True)
    if lead:
        if markers[0].role == "assistant":
            messages.append(Message("user", lead))  # the copy began inside the first question
        else:
            removed.append(lead)
    for i, marker in enumerate(markers):
        end = markers[i + 1].line if i + 1 < len(markers) else len(lines)
        body, body_free = lines[marker.line + 1:end], free[marker.line + 1:end]
        if marker.rest:
            body, body_free = [marker.rest, *body], [True, *body_free]
        messages.append(Message(marker.role, _strip_chrome(body, body_free, removed)))
    messages[-1].text = _strip_tail(messages[-1].text, removed)
    return Transcript(source=source, format="text", messages=messages, removed=removed)


class Text(ImportFormat):
    name = "text"
    description = ("text copied from a chat page: 'You said:' / 'ChatGPT said:', 'User:' / "
                   "'Assistant:', 'Human:' / 'Assistant:' or '## user' / '## assistant' turns")

    def detect(self, content: Content) -> float:
        # JSON (or JSON lines) is never copied page text, even with a marker inside a string
        if content.is_json or content.json_lines is not None:
            return 0.0
        return 1.0 if has_markers(content.text) else 0.0

    def read(self, content: Content, conversation: str | None) -> list[Transcript]:
        return [parse_text(content.text, content.path)]
