"""`hybrid`: runs of easy single parts merge into one turn; groups and harder parts stand
alone; one conversation."""

from __future__ import annotations

from psetbench.problemset import Difficulty, Part, Question
from psetbench.strategies._base import QuestionStrategy, ask, part_blocks
from psetbench.strategies._units import Turn


class Hybrid(QuestionStrategy):
    name = "hybrid"
    description = "consecutive easy parts (or a group) together, medium and hard parts alone"

    def conversations(self, question: Question) -> list[list[Turn]]:
        turns: list[Turn] = []
        easy: list[Part] = []
        for block in part_blocks(question):
            if len(block) == 1 and block[0].difficulty == Difficulty.easy:
                easy.append(block[0])
                continue
            if easy:
                turns.append(ask(easy, question))
                easy = []
            turns.append(ask(block, question))
        if easy:
            turns.append(ask(easy, question))
        return [turns]
