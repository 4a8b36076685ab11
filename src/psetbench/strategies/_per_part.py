"""`per-part`: one conversation, one user message per top-level part (or group)."""

from __future__ import annotations

from psetbench.problemset import Question
from psetbench.strategies._base import QuestionStrategy, ask, part_blocks
from psetbench.strategies._units import Turn


class PerPart(QuestionStrategy):
    name = "per-part"
    description = ("stem and first part, then one user message per following part (with its "
                   "sub-parts), one conversation")

    def conversations(self, question: Question) -> list[list[Turn]]:
        return [[ask(block, question) for block in part_blocks(question)]]
