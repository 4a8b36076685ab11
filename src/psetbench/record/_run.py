"""`Run`: one strategy's run of one model on one set, as read from its log; what every stage
after grading works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from psetbench.problemset import ProblemSet
from psetbench.record._meta import RunMeta
from psetbench.record._turns import TurnRecord
from psetbench.types import PartGrade


@dataclass
class Run:
    """One strategy's run of one model on one set, as read from its log."""

    path: str
    pset: ProblemSet
    strategy: str
    model: str
    status: str
    prompt: str
    grades: list[PartGrade]
    turns: dict[str, list[list[TurnRecord]]] = field(default_factory=dict)  # sample -> epochs
    input_tokens: int = 0
    output_tokens: int = 0
    started: str = ""
    completed: str = ""
    meta: RunMeta | None = None  # None for runs made in memory (tests, synthetic reports)
    error: str | None = None  # first line of the log's error, when the run failed
    # summed over the samples (every invocation of a resumed run): calls the response cache
    # answered, and the time with a sample running (see psetbench.models.Figures)
    cached_calls: int = 0
    cached_input_tokens: int = 0
    cached_output_tokens: int = 0
    active_seconds: float | None = None

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """The log's psetbench metadata as plain data, without the set."""
        return self.meta.as_dict() if self.meta is not None else {}

    @property
    def wall_seconds(self) -> float | None:
        if self.active_seconds is not None:
            return self.active_seconds
        try:
            return (datetime.fromisoformat(self.completed)
                    - datetime.fromisoformat(self.started)).total_seconds()
        except ValueError:
            return None
