"""`one-turn`: a question's stem and all its parts in one user message."""

from __future__ import annotations

from psetbench.problemset import Question
from psetbench.strategies._base import QuestionStrategy, ask
from psetbench.strategies._units import Turn


class OneTurn(QuestionStrategy):
    name = "one-turn"
    description = "a question's stem and all its parts in one user message"

    def conversations(self, question: Question) -> list[list[Turn]]:
        return [[ask(question.leaves, question)]]
