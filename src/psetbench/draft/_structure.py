"""Events to a tree: questions, parts and sub-parts, with their prompts, solutions and points.

A part's level comes from the source when it says so (exam class's \\part / \\subpart, the
nesting of `enumerate`); otherwise from its label: the label after one at some level ((b)
after (a)) is that level's next part, a first label ((a), (i), 1.) opens a level below, as
homework numbers (e)(iii)(a). Inside a solution only the next label of an open level ends
it, so a list in a solution stays in the solution.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from psetbench.draft._labels import Kind, first, kinds, label_for, successor
from psetbench.draft._types import DraftDocument, DraftQuestion, Event, Node

MAX_DEPTH = 4
Mode = Literal["prompt", "solution"]


class _Builder:
    def __init__(self, file: str) -> None:
        self.doc = DraftDocument(file=file)
        self.question: DraftQuestion | None = None
        self.stack: list[tuple[Kind | None, Node]] = []
        self.mode: Mode = "prompt"
        self.pending_figures: list[Event] = []

    # -- events -------------------------------------------------------------------------
    def feed(self, event: Event) -> None:
        handler = getattr(self, "_" + event.kind.replace("-", "_"))
        handler(event)

    def _heading(self, event: Event) -> None:
        number = event.label or str(len(self.doc.questions) + 1)
        self.question = DraftQuestion(number=number, file=event.file, line=event.line,
                                      title=event.title, points=event.points)
        self.doc.questions.append(self.question)
        self.stack, self.mode = [], "prompt"
        for figure in self.pending_figures:
            self._figure(figure)
        self.pending_figures = []
        if event.text.strip():
            self.question.stem.append(event.text)

    def _label(self, event: Event) -> None:
        placed = self._place(event)
        if placed is None:  # a list item inside a solution or prompt, not a part
            self._text(replace(event, kind="text", text=(event.raw or event.text).strip()))
            return
        depth, kind, label, note = placed
        question = self._question(event)
        siblings = question.parts if depth == 1 else self.stack[depth - 2][1].children
        node = Node(label=label, file=event.file, line=event.line, points=event.points)
        if note:
            node.notes.append(note)
        siblings.append(node)
        self.stack = [*self.stack[:depth - 1], (kind, node)]
        self.mode = "prompt"
        if event.text.strip():
            node.prompt.append(event.text)

    def _solution(self, event: Event) -> None:
        self.mode = "solution"
        target = self._solution_lines(event)
        if event.text.strip():
            target.append(event.text)

    def _end_solution(self, event: Event) -> None:
        self.mode = "prompt"

    def _text(self, event: Event) -> None:
        if self.question is None:
            self.doc.intro.append(event.text)
        elif self.mode == "solution":
            self._solution_lines(event).append(event.text)
        elif self.stack:
            self.stack[-1][1].prompt.append(event.text)
        else:
            self.question.stem.append(event.text)

    def _figure(self, event: Event) -> None:
        if self.question is None:
            self.pending_figures.append(event)
        elif event.figure is not None:
            self.question.figures.append(event.figure)

    def _choices(self, event: Event) -> None:
        lines = [f"({chr(ord('A') + i)}) {text}" for i, text in enumerate(event.options)]
        letters = [chr(ord("A") + i) for i in range(len(event.options))]
        holder: Node | DraftQuestion | None = self.stack[-1][1] if self.stack else self.question
        if holder is None:
            self.doc.intro.extend(lines)
            return
        holder.options, holder.correct = letters, event.correct
        for line in lines:
            self._text(replace(event, kind="text", text=line))

    # -- placing a label ----------------------------------------------------------------
    def _question(self, event: Event) -> DraftQuestion:
        if self.question is None:
            self._heading(Event(kind="heading", file=event.file, line=event.line))
            assert self.question is not None
        return self.question

    def _place(self, event: Event) -> tuple[int, Kind | None, str, str] | None:
        """(depth, kind, label, note) for a label event, or None when it is text."""
        if event.depth is not None:
            depth = max(1, min(event.depth, len(self.stack) + 1))
            if self.question is None:
                depth = 1
            parent = self.stack[depth - 2][1].children if depth > 1 else (
                self.question.parts if self.question else [])
            label = event.label or label_for(len(parent), depth)
            kind = kinds(label)[0] if kinds(label) else None
            return depth, kind, label, ""
        label = event.label or ""
        options = kinds(label)
        if not options:
            return None
        for depth in range(len(self.stack), 0, -1):
            kind, node = self.stack[depth - 1]
            if kind in options and successor(node.label, kind) == label:
                return depth, kind, label, ""
        if self.mode == "solution":
            return None
        for kind in options:
            if label == first(kind) and len(self.stack) < MAX_DEPTH:
                return len(self.stack) + 1, kind, label, ""
        for depth in range(len(self.stack), 0, -1):
            kind = self.stack[depth - 1][0]
            if kind in options:
                return depth, kind, label, f"label ({label}) is out of sequence; check the order"
        if not self.stack:
            return 1, options[0], label, f"label ({label}) starts the question; check the order"
        return None

    def _solution_lines(self, event: Event) -> list[str]:
        holder: Node | DraftQuestion
        if self.stack:
            holder = self.stack[-1][1]
        else:
            holder = self._question(event)
        if holder.solution is None:
            holder.solution = []
        return holder.solution


def build(events: list[Event], file: str) -> DraftDocument:
    """The document's questions and parts, in reading order (points not yet resolved)."""
    builder = _Builder(file)
    for event in _promote_numbers(events):
        builder.feed(event)
    return builder.doc


def _promote_numbers(events: list[Event]) -> list[Event]:
    """Without any question heading, top-level numbered items (1., 2.) are the questions."""
    if any(e.kind == "heading" for e in events):
        return events
    labels = [e for e in events if e.kind == "label"]
    if not labels or labels[0].label != "1" or labels[0].depth not in (None, 1):
        return events
    out: list[Event] = []
    for event in events:
        if event.kind != "label":
            out.append(event)
        elif event.label is not None and event.label.isdigit() and event.depth in (None, 1):
            title = None
            out.append(replace(event, kind="heading", title=title))
        else:
            depth = None if event.depth is None else max(1, event.depth - 1)
            out.append(replace(event, depth=depth))
    return out
