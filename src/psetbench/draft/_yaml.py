"""YAML with comments, in the layout of the bundled sets.

PyYAML writes no comments, and the comments are the point of a draft (they say where the
TA must look), so the layout is written here: mappings in the order given, multi-line text
as `|` blocks, scalars quoted by PyYAML itself. The result is read back and validated
before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass
class Commented:
    """A list item with comment lines written above it."""

    value: Any
    comments: list[str] = field(default_factory=list)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000,
                          default_flow_style=True).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _block_ok(text: str) -> bool:
    """Whether a `|` block keeps this text exactly (after its trailing newline is dropped)."""
    lines = text.split("\n")
    return (len(lines) > 1 and not text[:1].isspace() and "\t" not in text and "\r" not in text
            and all(line == line.rstrip() for line in lines) and text == text.strip("\n"))


def _comments(comments: list[str], pad: str) -> list[str]:
    out = []
    for comment in comments:
        for line in comment.splitlines() or [""]:
            out.append(f"{pad}# {line}".rstrip())
    return out


def _flow_list(items: list[Any]) -> str | None:
    """`[a, b]` for short lists of simple words (flow style splits plain text at commas)."""
    simple = re.compile(r"^[A-Za-z0-9_.+\-*/^ ]+$")
    if all(isinstance(i, int | float) or (isinstance(i, str) and simple.match(i))
           for i in items):
        text = "[" + ", ".join(_scalar(i) for i in items) + "]"
        if len(text) <= 80 and "\n" not in text:
            return text
    return None


def _value(key: str, value: Any, pad: str) -> list[str]:
    if isinstance(value, dict):
        return [f"{pad}{key}:", *_mapping(value, pad + "  ")]
    if isinstance(value, list):
        flow = _flow_list(value) if value else "[]"
        if flow is not None:
            return [f"{pad}{key}: {flow}"]
        return [f"{pad}{key}:", *_sequence(value, pad + "  ")]
    if isinstance(value, str) and "\n" in value and _block_ok(value):
        return [f"{pad}{key}: |", *[f"{pad}  {line}".rstrip() for line in value.split("\n")]]
    return [f"{pad}{key}: {_scalar(value)}"]


def _mapping(data: dict[str, Any], pad: str) -> list[str]:
    out: list[str] = []
    for key, value in data.items():
        out.extend(_value(key, value, pad))
    return out


def _sequence(items: list[Any], pad: str) -> list[str]:
    out: list[str] = []
    for item in items:
        comments: list[str] = []
        if isinstance(item, Commented):
            item, comments = item.value, item.comments
        out.extend(_comments(comments, pad))
        if isinstance(item, dict):
            lines = _mapping(item, pad + "  ")
            out.append(pad + "- " + lines[0][len(pad) + 2:])
            out.extend(lines[1:])
        elif isinstance(item, str) and "\n" in item and _block_ok(item):
            out.append(f"{pad}- |")
            out.extend(f"{pad}  {line}".rstrip() for line in item.split("\n"))
        else:
            out.append(f"{pad}- {_scalar(item)}")
    return out


def dump(data: dict[str, Any], header: list[str]) -> str:
    """The document, header comments first; a blank line between top-level questions."""
    lines = _comments(header, "")
    for key, value in data.items():
        if key == "questions":
            lines.append("questions:")
            for item in value:
                lines.append("")
                lines.extend(_sequence([item], "  "))
        else:
            lines.extend(_value(key, value, ""))
    return "\n".join(lines) + "\n"
