"""What a strategy is: a name, a line describing it, and how it plans a set's conversations.

A strategy that asks each question on its own subclasses `QuestionStrategy` and says only
how one question's parts become conversations of turns; `part_blocks` gives the parts in the
order every built-in strategy asks them (a part's sub-parts together, a `group` as one block).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import ClassVar

from psetbench.problemset import Part, ProblemSet, Question
from psetbench.strategies._units import Conversation, Turn, Unit


class Strategy(ABC):
    """One way of asking a problem set. `name` is what `--strategy` takes."""

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def plan(self, pset: ProblemSet) -> list[Unit]:
        """The units (samples) this strategy asks, in the set's order."""


class QuestionStrategy(Strategy):
    """A strategy with one unit (sample) per question, `q<id>`."""

    @abstractmethod
    def conversations(self, question: Question) -> list[list[Turn]]:
        """The question's conversations, each a list of user turns."""

    def plan(self, pset: ProblemSet) -> list[Unit]:
        return [self.question_unit(q) for q in pset.questions]

    def question_unit(self, question: Question) -> Unit:
        return Unit(
            id=f"q{question.id}",
            questions=(question.id,),
            conversations=tuple(Conversation(tuple(c)) for c in self.conversations(question)),
        )


def ask(parts: Sequence[Part], question: Question) -> Turn:
    """One user turn asking these parts (leaves) of the question."""
    return Turn(tuple((question.id, p.id) for p in parts))


def part_blocks(question: Question) -> Iterator[list[Part]]:
    """The leaves of each top-level part in order (a part's sub-parts are asked together),
    with each top-level `group` merged into one block at its first member."""
    leaves: dict[str, list[Part]] = {}
    for leaf in question.leaves:
        leaves.setdefault(leaf.path[0], []).append(leaf)
    groups: dict[str, list[Part]] = {}
    for part in question.parts:
        if part.group is not None:
            groups.setdefault(part.group, []).extend(leaves[part.id])
    emitted: set[str] = set()
    for part in question.parts:
        if part.group is None:
            yield leaves[part.id]
        elif part.group not in emitted:
            emitted.add(part.group)
            yield groups[part.group]
