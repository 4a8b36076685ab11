"""`isolated`: each top-level part (or group) in a fresh conversation — the control."""

from __future__ import annotations

from psetbench.problemset import Question
from psetbench.strategies._base import QuestionStrategy, ask, part_blocks
from psetbench.strategies._units import Turn


class Isolated(QuestionStrategy):
    name = "isolated"
    description = ("each part (with its sub-parts) in a fresh conversation with the stem only "
                   "(the control)")

    def conversations(self, question: Question) -> list[list[Turn]]:
        return [[ask(block, question)] for block in part_blocks(question)]
