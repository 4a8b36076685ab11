"""Markdown and plain-text homework (and the text of a PDF): headings and labelled lines.

A question starts at a line like `## Problem 3: Title (10 points)`, `Question 1.`, `Q2`,
`# 4. Title`; a part at a line that starts with a label ((a), a), (ii), 3.) or `Part b`;
a solution at `Solution:` / `**Solution.**`. Math, code blocks and display math are text:
no label is looked for inside them.
"""

from __future__ import annotations

import re

from psetbench.draft._labels import line_label, take_points
from psetbench.draft._types import Event

_KEYWORDS = r"Problem|Question|Exercise|Exercice|Aufgabe|Q"
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?P<word>" + _KEYWORDS + r"|Part)\s*\.?\s*(?P<n>\d{1,4})"
    r"(?![\d.]*\d)\s*(?P<rest>.*)$", re.IGNORECASE)
_NUMBERED_HEADING = re.compile(r"^\s*#{1,6}\s*(?P<n>\d{1,3})[.):]?\s+(?P<rest>.*)$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<rest>.+?)\s*#*\s*$")
_SOLUTION = re.compile(
    r"^\s*(?:\*\*|__|\*|_)?\s*(?:Solution|Sol\.|Model solution|Official solution)"
    r"\s*(?:\((?P<label>[a-z]{1,5}|\d{1,2})\))?\s*(?:\*\*|__|\*|_)?\s*(?:[:.]|$)"
    r"\s*(?:\*\*|__|\*|_)?\s*(?P<rest>.*)$", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
MAX_TITLE_LINE = 80  # a plain line ending in ':' longer than this is a sentence, not a title


def _strip_emphasis(text: str) -> str:
    text = text.strip()
    for mark in ("**", "__"):
        if text.startswith(mark):
            text = text[2:]
        if text.endswith(mark):
            text = text[:-2]
    return text.strip()


def _clean(text: str) -> str:
    return _strip_emphasis(_strip_emphasis(text).lstrip(":.)-—– ").strip())


def parse_heading(line: str, part_is_question: bool, *, heading: bool = False
                  ) -> Event | None:
    """A question's first line: its number, points, and what follows the number, which is
    the question's title when the line is a heading (`#`, the bold part of a bold line,
    `heading` for a LaTeX section, or a short line ending in ':'), else its first text
    ('Problem 3 (8 pts). Explain why caches help.')."""
    match = _HEADING.match(line)
    if not (match and (match.group("word").lower() != "part" or part_is_question)):
        match = _NUMBERED_HEADING.match(line)
        if match is None:
            return None
    rest = match.group("rest")
    heading = heading or line.lstrip().startswith("#")
    bold = re.match(r"\s*(?:#{1,6}\s*)?(\*\*|__)", line)
    inside, after = rest, ""
    if bold and (close := rest.find(bold.group(1))) >= 0:
        inside, after = rest[:close], rest[close + 2:]
    points, inside = take_points(inside)
    if points is None:
        points, after = take_points(after)
    inside, after = _clean(inside), _clean(after)
    title, text = None, ""
    if heading:
        title = " ".join(t for t in (inside, after) if t)
    elif bold:
        title, text = inside, after
    elif inside.endswith(":") and len(inside) <= MAX_TITLE_LINE:
        title = inside.rstrip(":").strip()
    else:
        text = inside
    return Event(kind="heading", file="", line=0, label=match.group("n"), title=title or None,
                 points=points, text=text)


def uses_part_as_question(lines: list[str]) -> bool:
    """'Part 2' is a question only in homework that has no 'Problem'/'Question' headings."""
    return not any((m := _HEADING.match(line)) and m.group("word").lower() != "part"
                   for line in lines)


def parse_lines(lines: list[str], file: str, *, first_line: int = 1,
                part_is_question: bool | None = None, title_from_first: bool = False
                ) -> tuple[str | None, list[Event]]:
    """The document's title (its first `#` heading, or with `title_from_first` its first
    line) and its events."""
    if part_is_question is None:
        part_is_question = uses_part_as_question(lines)
    events: list[Event] = []
    title: str | None = None
    fenced = display = False
    for index, line in enumerate(lines):
        number = first_line + index
        odd_dollars = line.count("$$") % 2 == 1
        if _FENCE.match(line) or fenced or display:
            fenced ^= bool(_FENCE.match(line))
            display ^= odd_dollars and not fenced
            events.append(Event(kind="text", file=file, line=number, text=line))
            continue
        display = odd_dollars
        event = _classify(line, part_is_question)
        if event is None and title is None and not any(e.kind != "text" for e in events):
            heading = _MD_HEADING.match(line)
            if heading or (title_from_first and line.strip() and not events_text(events)):
                title = _strip_emphasis(heading.group("rest") if heading else line)
                continue
        event = event or Event(kind="text", file=file, line=number, text=line.strip())
        event.file, event.line = file, number
        events.append(event)
    return title, events


def events_text(events: list[Event]) -> bool:
    return any(e.text.strip() for e in events)


def _classify(line: str, part_is_question: bool) -> Event | None:
    heading = parse_heading(line, part_is_question)
    if heading is not None:
        return heading
    solution = _SOLUTION.match(line)
    if solution is not None:
        return Event(kind="solution", file="", line=0, text=solution.group("rest"),
                     label=solution.group("label"), raw=line)
    found = line_label(line)
    if found is None:
        return None
    label, rest = found
    points, rest = take_points(rest, bare=True)
    rest = _strip_emphasis(rest) if rest.startswith(("**", "__")) else rest
    return Event(kind="label", file="", line=0, label=label, points=points, text=rest, raw=line)


def read_markdown(text: str, file: str) -> tuple[str | None, list[Event]]:
    """Markdown or plain text: `#` headings give the title and questions."""
    return parse_lines(text.splitlines(), file, title_from_first=not file.endswith(".md"))
