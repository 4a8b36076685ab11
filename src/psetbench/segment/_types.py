"""What segmentation takes (the parts a reply was asked to answer) and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field

from psetbench.types import Segment

#: Methods a segment can be found by, strongest first. "model" is reserved for a grader
#: model that the caller asks when `SegmentationResult.needs_model` is set.
METHODS = ("single", "label", "heading", "order", "model")

#: Below this confidence a segment should be confirmed by a grader model.
MODEL_THRESHOLD = 0.5


@dataclass(frozen=True)
class PartRef:
    """One part that a reply was asked to answer."""

    question: str
    part: str
    prompt: str
    question_title: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.question, self.part)

    @property
    def label(self) -> str:
        return f"{self.question}({self.part})"


@dataclass
class SegmentationResult:
    """Which text of a reply answers which requested part.

    `segments` has one entry per requested part, in the order asked; None means the part was
    not found. `unassigned` is text that answers no part (a preamble, a question's restated
    stem, a question that was not asked); `removed` is chat-window debris and duplicated
    blocks that `clean_reply` took out, so nothing of the reply is lost.
    """

    parts: tuple[PartRef, ...]
    segments: dict[tuple[str, str], Segment | None]
    unassigned: str = ""
    removed: list[str] = field(default_factory=list)
    needs_model: bool = False
    #: part key -> all part ids answered by the same text ("(a) and (b)"), this one included
    shared: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    #: one line per decision a reviewer may want to check (repeats kept, merged parts, ...)
    notes: list[str] = field(default_factory=list)
    #: the reply after `clean_reply`; every segment's text is a slice of it
    cleaned: str = ""

    def get(self, question: str, part: str) -> Segment | None:
        return self.segments.get((str(question), str(part)))

    @property
    def found(self) -> list[Segment]:
        return [s for s in self.segments.values() if s is not None]

    @property
    def missing(self) -> list[PartRef]:
        return [p for p in self.parts if self.segments.get(p.key) is None]

    @property
    def missing_questions(self) -> list[str]:
        """Questions none of whose requested parts was found, in the order asked."""
        questions = list(dict.fromkeys(p.question for p in self.parts))
        return [q for q in questions
                if all(self.segments.get(p.key) is None for p in self.parts if p.question == q)]

    @property
    def confidence(self) -> float:
        """The lowest confidence of any found segment (0.0 when none was found)."""
        found = self.found
        return min(s.confidence for s in found) if found else 0.0
