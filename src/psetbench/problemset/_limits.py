"""Bounds on what a problem-set file may hold, so a hostile or broken file fails fast with one
line instead of hanging, eating memory or crashing grading later.

YAML aliases are allowed (a set may reuse a block with `&name` / `*name`) but their expansion
is budgeted: PyYAML expands every alias into a full copy, so nine nested aliases of nine
items each ("billion laughs") would build 9**9 nodes. The budget is checked on the parser's
event stream, before anything is built, in time linear in the file's size.
"""

from __future__ import annotations

from typing import Any

import yaml

from psetbench._bounds import (
    MAX_ALIAS_NODES,
    MAX_FIGURE_PATH_CHARS,
    MAX_QUESTIONS,
    MAX_YAML_DEPTH,
)


class YamlLimitError(ValueError):
    """A YAML document beyond the bounds; `line` and `column` are 1-based."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else 1
        self.column = mark.column + 1 if mark is not None else 1


def check_yaml_events(text: str, loader: Any) -> None:
    """Raise YamlLimitError for an alias that refers to its own anchor, aliases expanding
    past MAX_ALIAS_NODES, or nesting deeper than MAX_YAML_DEPTH. Syntax errors are left to
    the caller's parse."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, node count] of each open mapping or list
    added = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_YAML_DEPTH:
                raise YamlLimitError(f"nested more than {MAX_YAML_DEPTH} levels deep; "
                                     "flatten the file", event.start_mark)
            stack.append([event.anchor, 1])
        elif isinstance(event, yaml.CollectionEndEvent) and stack:
            anchor, count = stack.pop()
            _close(sizes, stack, anchor, count)
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in stack):
                raise YamlLimitError(f"alias *{event.anchor} is inside its own anchor "
                                     f"&{event.anchor}; a value cannot contain itself",
                                     event.start_mark)
            count = sizes.get(event.anchor or "", 1)
            added += count
            if added > MAX_ALIAS_NODES:
                raise YamlLimitError(f"aliases expand to more than {MAX_ALIAS_NODES} values; "
                                     "write the repeated blocks out, or use fewer aliases",
                                     event.start_mark)
            _close(sizes, stack, None, count)
        elif isinstance(event, yaml.ScalarEvent):
            _close(sizes, stack, event.anchor, 1)


def _close(sizes: dict[str, int], stack: list[list[Any]], anchor: str | None,
           count: int) -> None:
    if anchor is not None:
        sizes[anchor] = count
    if stack:
        stack[-1][1] += count


def count_problem(data: dict[str, Any]) -> str | None:
    """Too many questions, checked before any per-question work."""
    questions = data.get("questions")
    if isinstance(questions, list) and len(questions) > MAX_QUESTIONS:
        return (f"questions: {len(questions)} questions, more than {MAX_QUESTIONS}; split the "
                "set into several files")
    return None


def figure_path_problem(path: str) -> str | None:
    """Why a figure path cannot be a file name (None when it can)."""
    if "\x00" in path:
        return "has a NUL character; remove it"
    if len(path) > MAX_FIGURE_PATH_CHARS or any(len(p.encode()) > 255 for p in path.split("/")):
        return (f"is too long (at most {MAX_FIGURE_PATH_CHARS} characters, 255 bytes per "
                "name); shorten it")
    return None
