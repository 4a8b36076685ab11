"""Build a report's data from runs: columns, grid, intervals, patterns, suggestions, figures."""

from __future__ import annotations

import base64
import mimetypes
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psetbench.problemset import ProblemSet
from psetbench.report._data import Column, ReportData, ReportError, build_header
from psetbench.report._patterns import find_patterns
from psetbench.report._stats import cluster_bootstrap
from psetbench.report._suggest import suggest
from psetbench.types import PartGrade

if TYPE_CHECKING:
    from psetbench.grading import Run

MAX_FIGURE_BYTES = 2_000_000


def _interval(column: Column) -> None:
    by_question: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_part: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for g in column.grades:
        for bucket in (by_question[g.question], by_part[(g.question, g.part)]):
            bucket[0] += g.earned
            bucket[1] += g.counted_points
    if len(by_question) >= 2:
        column.interval = cluster_bootstrap([(e, p) for e, p in by_question.values()])
    else:
        column.interval = cluster_bootstrap([(e, p) for e, p in by_part.values()], unit="part")


def _fill(column: Column, pset: ProblemSet) -> None:
    difficulty = {(q.id, p.id): p.difficulty.value for q in pset.questions for p in q.leaves}
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    seen: set[tuple[str, str, int]] = set()
    for g in column.grades:
        level = difficulty.get((g.question, g.part), "medium")
        sums[level][0] += g.earned
        sums[level][1] += g.counted_points
        seen.add((g.question, g.part, g.epoch))
    column.by_difficulty = {k: (v[0], v[1]) for k, v in sums.items()}
    epochs = {g.epoch for g in column.grades} or {1}
    column.absent = sum(1 for key in difficulty for e in epochs if (*key, e) not in seen)
    _interval(column)


def embed_figures(runs: Sequence[Run]) -> dict[str, str]:
    """The set's figures as data: URIs, when the YAML file named in the log is still there."""
    found: dict[str, str] = {}
    for run in runs:
        set_path = run.metadata.get("set_path") if run.metadata else None
        if not set_path:
            continue
        root = Path(str(set_path)).parent
        for question in run.pset.questions:
            for figure in question.figures:
                if figure.path in found:
                    continue
                try:
                    file = (root / figure.path).resolve()
                    file.relative_to(root.resolve())
                    kind = mimetypes.guess_type(file.name)[0] or ""
                    if not kind.startswith("image/") or file.stat().st_size > MAX_FIGURE_BYTES:
                        continue
                    data = base64.b64encode(file.read_bytes()).decode()
                except (OSError, ValueError):
                    continue
                found[figure.path] = f"data:{kind};base64,{data}"
    return found


def build_report_data(runs: Sequence[Run], comparisons: Sequence[Any] | None = None) -> ReportData:
    """Everything a report shows, from graded runs (and optional head-to-head comparisons)."""
    if not runs:
        raise ReportError("no runs to report")
    set_ids = {r.pset.id for r in runs}
    if len(set_ids) > 1:
        raise ReportError(f"these logs are of different problem sets "
                          f"({', '.join(sorted(set_ids))}); report one set at a time")
    runs = list(runs)
    columns: dict[tuple[str, str], Column] = {}
    # runs that differ only in their prompt are different columns, named by the prompt
    several_prompts = len({r.prompt for r in runs}) > 1
    for run in runs:
        strategy = f"{run.strategy} ({run.prompt})" if several_prompts else run.strategy
        key = (run.model, strategy)
        columns.setdefault(key, Column(model=run.model, strategy=strategy)).runs.append(run)
    ordered = sorted(columns.values(), key=lambda c: (c.model, c.strategy))
    single_model = len({c.model for c in ordered}) == 1
    for c in ordered:
        c.name = c.strategy if single_model else f"{c.model} · {c.strategy}"
    pset = runs[-1].pset
    cells: dict[tuple[str, str], dict[str, list[PartGrade]]] = defaultdict(dict)
    for column in ordered:
        _fill(column, pset)
        for grade in column.grades:
            cells[(grade.question, grade.part)].setdefault(column.name, []).append(grade)
    data = ReportData(pset=pset, columns=ordered, cells=dict(cells),
                      comparisons=list(comparisons or []))
    data.header = build_header(pset, runs, ordered)
    data.patterns = find_patterns(pset, ordered)
    data.suggestions = suggest(data)
    data.figures = embed_figures(runs)
    return data
