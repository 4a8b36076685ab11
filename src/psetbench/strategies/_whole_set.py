"""`whole-set`: every question of the set in one message — one unit for the whole set."""

from __future__ import annotations

from psetbench.problemset import ProblemSet
from psetbench.strategies._base import Strategy
from psetbench.strategies._units import Conversation, Turn, Unit


class WholeSet(Strategy):
    name = "whole-set"
    description = "every question of the set in one message"

    def plan(self, pset: ProblemSet) -> list[Unit]:
        turn = Turn(tuple((q.id, p.id) for q in pset.questions for p in q.leaves))
        return [Unit("set", tuple(q.id for q in pset.questions), (Conversation((turn,)),))]
