"""What the readers hand the structure builder, and what a draft hands back.

Readers (one per input format) turn a file into `Event`s in reading order: a question
heading, a part label, the start or end of a solution, text, a figure, a list of choices.
The builder (`_structure`) turns events into a tree of `Node`s; proposals, alignment and the
YAML writer work on that tree. `DraftResult` is what `draft_set` returns and the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from psetbench.errors import PsetbenchError


class DraftError(PsetbenchError):
    """A homework file psetbench cannot draft from; the message names file:line and the fix."""


EventKind = Literal["heading", "label", "solution", "end-solution", "text", "figure", "choices"]


@dataclass
class Event:
    """One thing a reader found, at `file:line`."""

    kind: EventKind
    file: str
    line: int
    text: str = ""
    label: str | None = None  # "3" for a heading, "a" / "ii" for a part label
    depth: int | None = None  # a part's level when the source says it (exam class, enumerate)
    title: str | None = None
    points: float | None = None
    figure: Figure | None = None
    options: list[str] = field(default_factory=list)  # for "choices"
    correct: str | None = None  # the right option's letter, when the source marks it
    raw: str = ""  # the line as written, kept when a label turns out to be text


@dataclass
class Figure:
    """An image found in the homework: a file to copy, or PNG bytes extracted from a PDF."""

    name: str  # file name to write under figures/
    data: bytes
    caption: str | None = None
    where: str = ""  # "page 3" or the source path, for the TA's comment


@dataclass
class Node:
    """A part (or sub-part) as drafted; a question's parts are Nodes too."""

    label: str
    file: str
    line: int
    points: float | None = None
    prompt: list[str] = field(default_factory=list)
    solution: list[str] | None = None
    solution_confidence: float = 1.0
    solution_source: str = ""
    solution_file: str = ""  # the separate solutions file it came from, if any
    children: list[Node] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    correct: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def prompt_text(self) -> str:
        return tidy("\n".join(self.prompt))

    @property
    def solution_text(self) -> str:
        return tidy("\n".join(self.solution or []))


@dataclass
class DraftQuestion:
    number: str
    file: str
    line: int
    title: str | None = None
    points: float | None = None
    stem: list[str] = field(default_factory=list)
    solution: list[str] | None = None  # a solution given for the whole question
    solution_confidence: float = 1.0  # for a question without parts, from --solutions
    solution_source: str = ""
    solution_file: str = ""
    parts: list[Node] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    correct: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class DraftDocument:
    """A whole homework file as read: its title, intro text and questions."""

    file: str
    title: str | None = None
    intro: list[str] = field(default_factory=list)
    questions: list[DraftQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def tidy(text: str) -> str:
    """Strip each line's trailing space and collapse runs of blank lines to one."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


class Proposal(BaseModel):
    """Where a proposed check came from, for the TA's comment and the summary."""

    model_config = ConfigDict(frozen=True)

    kind: str
    origin: str = Field(description="'rule' or 'model:NAME'")
    reason: str = Field(description="what the check was guessed from")


class DraftSummary(BaseModel):
    """The counts `psetbench draft` prints after writing a set."""

    output: str
    questions: int
    parts: int = Field(description="gradable parts (leaves)")
    points: float
    checks: dict[str, int] = Field(default_factory=dict, description="checks by kind")
    figures: int = 0
    reviews: int = Field(default=0, description="'# review:' comments written for the TA")
    warnings: list[str] = Field(default_factory=list)
    model: str | None = None
    model_unused: str | None = Field(
        default=None, description="why none of the model's proposals are in the draft")
