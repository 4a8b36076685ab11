"""The numbers every report shows, computed once from runs: scoreboard and per-part grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from psetbench.grading import Run
from psetbench.models import model_cost
from psetbench.problemset import ProblemSet
from psetbench.types import PartGrade, Verdict


@dataclass
class Column:
    """One model x strategy: a column of the per-part grid and a row of the scoreboard."""

    model: str
    strategy: str
    runs: list[Run] = field(default_factory=list)
    name: str = ""  # the strategy alone when a report has one model, else "model · strategy"

    @property
    def grades(self) -> list[PartGrade]:
        return [g for r in self.runs for g in r.grades]

    def count(self, verdict: Verdict) -> int:
        return sum(1 for g in self.grades if g.verdict == verdict)

    @property
    def points(self) -> float:
        return sum(g.points for g in self.grades)

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
    def input_tokens(self) -> int:
        return sum(r.input_tokens for r in self.runs)

    @property
    def output_tokens(self) -> int:
        return sum(r.output_tokens for r in self.runs)

    @property
    def cost(self) -> float | None:
        costs = [model_cost(r.model, r.input_tokens, r.output_tokens) for r in self.runs]
        return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)

    @property
    def wall_seconds(self) -> float | None:
        times = [r.wall_seconds for r in self.runs]
        return None if any(t is None for t in times) else sum(t or 0.0 for t in times)


@dataclass
class ReportData:
    pset: ProblemSet
    columns: list[Column]
    cells: dict[tuple[str, str], dict[str, list[PartGrade]]]  # (q, p) -> column name -> grades

    @property
    def models(self) -> list[str]:
        return sorted({c.model for c in self.columns})

    @property
    def strategies(self) -> list[str]:
        return sorted({c.strategy for c in self.columns})


class ReportError(ValueError):
    pass


def build_report_data(runs: list[Run]) -> ReportData:
    if not runs:
        raise ReportError("no runs to report")
    set_ids = {r.pset.id for r in runs}
    if len(set_ids) > 1:
        raise ReportError(f"these logs are of different problem sets ({', '.join(sorted(set_ids))});"
                          " report one set at a time")
    columns: dict[tuple[str, str], Column] = {}
    for run in runs:
        key = (run.model, run.strategy)
        columns.setdefault(key, Column(model=run.model, strategy=run.strategy)).runs.append(run)
    ordered = sorted(columns.values(), key=lambda c: (c.model, c.strategy))
    single_model = len({c.model for c in ordered}) == 1
    for c in ordered:
        c.name = c.strategy if single_model else f"{c.model} · {c.strategy}"
    cells: dict[tuple[str, str], dict[str, list[PartGrade]]] = defaultdict(dict)
    for column in ordered:
        for grade in column.grades:
            cells[(grade.question, grade.part)].setdefault(column.name, []).append(grade)
    return ReportData(pset=runs[-1].pset, columns=ordered, cells=dict(cells))
