"""The numbers every report shows: columns (model x strategy), the per-part grid and the header.

Everything here is computed from the graded runs alone; no model is ever called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from psetbench.errors import PsetbenchError
from psetbench.problemset import ProblemSet
from psetbench.report._stats import Interval
from psetbench.types import PartGrade, Verdict

if TYPE_CHECKING:
    from psetbench.grading import Run
    from psetbench.report._patterns import Pattern
    from psetbench.report._suggest import Suggestion

DIFFICULTIES = ("easy", "medium", "hard")


class ReportError(PsetbenchError, ValueError):
    pass


def run_cost(run: Run) -> float | None:
    """The run's cost in USD, or None when the price of its model is unknown."""
    try:
        from psetbench.models import model_cost
    except ImportError:  # the price table is optional for reports
        return None
    cost: float | None = model_cost(run.model, run.input_tokens, run.output_tokens)
    return cost


@dataclass
class Column:
    """One model x strategy: a column of the per-part grid and a row of the scoreboard."""

    model: str
    strategy: str
    runs: list[Run] = field(default_factory=list)
    name: str = ""  # the strategy alone when a report has one model, else "model · strategy"
    interval: Interval | None = None  # the score's confidence interval
    absent: int = 0  # part answers the set asks for that no log of this column holds
    by_difficulty: dict[str, tuple[float, float]] = field(default_factory=dict)  # earned, points

    @cached_property
    def grades(self) -> list[PartGrade]:
        return [g for r in self.runs for g in r.grades]

    def count(self, verdict: Verdict) -> int:
        return sum(1 for g in self.grades if g.verdict == verdict)

    @cached_property
    def counts(self) -> dict[str, int]:
        found = {v.value: 0 for v in Verdict}
        for g in self.grades:
            found[g.verdict.value] += 1
        return found

    @property
    def points(self) -> float:
        return sum(g.counted_points for g in self.grades)

    @property
    def earned(self) -> float:
        return sum(g.earned for g in self.grades)

    @property
    def score(self) -> float:
        return self.earned / self.points if self.points else 0.0

    @property
    def nudged(self) -> int:
        return sum(1 for g in self.grades if g.nudged)

    @property
    def epochs(self) -> int:
        return len({g.epoch for g in self.grades}) or 1

    @property
    def input_tokens(self) -> int:
        return sum(r.input_tokens for r in self.runs)

    @property
    def output_tokens(self) -> int:
        return sum(r.output_tokens for r in self.runs)

    @property
    def cost(self) -> float | None:
        costs = [run_cost(r) for r in self.runs]
        return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)

    @property
    def wall_seconds(self) -> float | None:
        times = [r.wall_seconds for r in self.runs]
        return None if any(t is None for t in times) else sum(t or 0.0 for t in times)

    def difficulty_score(self, difficulty: str) -> float | None:
        earned, points = self.by_difficulty.get(difficulty, (0.0, 0.0))
        return earned / points if points else None


@dataclass
class Header:
    """What the report is about: set, models, strategies, graders, dates, usage."""

    set_id: str
    title: str
    questions: int
    parts: int
    points: float
    models: list[str]
    strategies: list[str]
    graders: list[str]
    judges: list[str]
    started: str
    completed: str
    input_tokens: int
    output_tokens: int
    cost: float | None
    wall_seconds: float | None
    version: str
    run_versions: list[str]
    logs: list[str]
    answers: int  # graded part answers, all columns and epochs


@dataclass
class ReportData:
    pset: ProblemSet
    columns: list[Column]
    cells: dict[tuple[str, str], dict[str, list[PartGrade]]]  # (q, p) -> column name -> grades
    comparisons: list[Any] = field(default_factory=list)  # psetbench.compare.Comparison
    header: Header | None = None
    patterns: list[Pattern] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)  # figure path -> data: URI
    # psetbench.calibrate.Calibration: the grader against a TA's labels ("Grader vs TA")
    calibration: Any = None

    @property
    def models(self) -> list[str]:
        return sorted({c.model for c in self.columns})

    @property
    def strategies(self) -> list[str]:
        return sorted({c.strategy for c in self.columns})

    @property
    def difficulties(self) -> list[str]:
        present = {p.difficulty.value for q in self.pset.questions for p in q.leaves}
        return [d for d in DIFFICULTIES if d in present]

    def grades(self, qid: str, pid: str, column: Column) -> list[PartGrade]:
        return self.cells.get((qid, pid), {}).get(column.name, [])

    def all_grades(self) -> list[PartGrade]:
        return [g for c in self.columns for g in c.grades]


def _when(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def build_header(pset: ProblemSet, runs: list[Run], columns: list[Column]) -> Header:
    from psetbench._version import __version__

    grades = [g for c in columns for g in c.grades]
    judges = sorted({str(m) for g in grades
                     for m in ((getattr(g, "judge", None) or {}).get("models") or [])})
    started = sorted(r.started for r in runs if r.started)
    completed = sorted(r.completed for r in runs if r.completed)
    costs = [c.cost for c in columns]
    walls = [c.wall_seconds for c in columns]
    return Header(
        set_id=pset.id, title=pset.title, questions=len(pset.questions),
        parts=sum(len(q.leaves) for q in pset.questions),
        points=sum(q.points for q in pset.questions),
        models=sorted({c.model for c in columns}),
        strategies=sorted({c.strategy for c in columns}),
        graders=sorted({g.grader for g in grades}), judges=judges,
        started=_when(started[0]) if started else "", completed=_when(completed[-1])
        if completed else "",
        input_tokens=sum(r.input_tokens for r in runs),
        output_tokens=sum(r.output_tokens for r in runs),
        cost=None if any(c is None for c in costs) else sum(c or 0.0 for c in costs),
        wall_seconds=None if any(w is None for w in walls) else sum(w or 0.0 for w in walls),
        version=__version__,
        run_versions=sorted({str(r.metadata.get("version")) for r in runs
                             if r.metadata.get("version")}),
        logs=[r.path for r in runs], answers=len(grades),
    )
