"""The report as a JSON document for other tools (format documented in docs/reports.md)."""

from __future__ import annotations

from typing import Any

from psetbench.problemset import Question, path_label
from psetbench.report._compare import head_to_head
from psetbench.report._data import Column, ReportData
from psetbench.report._format import now
from psetbench.report._patterns import Pattern
from psetbench.report._svg import heat_rows
from psetbench.report._ta import ta_json
from psetbench.types import PartGrade

SCHEMA_VERSION = 1


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


def _column(c: Column) -> dict[str, Any]:
    return {
        "name": c.name, "model": c.model, "strategy": c.strategy,
        "score": _r(c.score), "earned": _r(c.earned), "points": _r(c.points),
        "ci": None if c.interval is None else {
            "low": _r(c.interval.low), "high": _r(c.interval.high), "level": c.interval.level,
            "clusters": c.interval.clusters, "unit": c.interval.unit,
            "n_boot": c.interval.n_boot},
        "verdicts": dict(c.counts), "absent": c.absent, "nudged": c.nudged, "epochs": c.epochs,
        "by_difficulty": {k: _r(c.difficulty_score(k)) for k in c.by_difficulty},
        "input_tokens": c.input_tokens, "output_tokens": c.output_tokens,
        "cost_usd": _r(c.cost, 6), "wall_seconds": _r(c.wall_seconds, 3),
        "logs": [r.path for r in c.runs],
    }


def _grade(g: PartGrade, column: str) -> dict[str, Any]:
    return {
        "column": column, "path": g.path, "model": g.model, "strategy": g.strategy,
        "epoch": g.epoch,
        "verdict": g.verdict.value, "score": g.score, "points": g.points,
        "earned": _r(g.earned), "reason": g.reason, "grader": g.grader,
        "checks": [c.model_dump(mode="json") for c in g.checks],
        "judge": getattr(g, "judge", None),
        "disagreements": list(getattr(g, "disagreements", None) or []),
        "ambiguity": getattr(g, "ambiguity", None),
        "better_than_solution": bool(getattr(g, "better_than_solution", False)),
        "carried_forward": bool(getattr(g, "carried_forward", False)),
        "nudged": g.nudged, "segmentation": g.segmentation,
        "segmentation_confidence": g.segmentation_confidence, "answer": g.answer, "log": g.log,
    }


def _pattern(p: Pattern) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.id, "title": p.title, "how": p.how, "count": p.count,
        "by_column": dict(p.by_column), "by_strategy": dict(p.by_strategy),
        "examples": [{"question": e.question, "part": e.part, "column": e.column,
                      "strategy": e.strategy, "epoch": e.epoch, "detail": e.detail}
                     for e in p.examples],
    }
    if p.id == "wrong_number":
        out["factors"] = [_r(f, 6) for f in p.factors]
        out["powers_of_ten"] = p.powers_of_ten
    return out


def report_dict(data: ReportData) -> dict[str, Any]:
    h = data.header
    assert h is not None, "build the data with build_report_data"
    unit, rows = heat_rows(data)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": now(),
        "header": {
            "set_id": h.set_id, "title": h.title, "questions": h.questions, "parts": h.parts,
            "points": h.points, "models": h.models, "strategies": h.strategies,
            "graders": h.graders, "judges": h.judges, "started": h.started,
            "completed": h.completed, "input_tokens": h.input_tokens,
            "output_tokens": h.output_tokens, "cost_usd": _r(h.cost, 6),
            "wall_seconds": _r(h.wall_seconds, 3), "psetbench_version": h.version,
            "run_versions": h.run_versions, "logs": h.logs, "answers": h.answers,
        },
        "scoreboard": [_column(c) for c in data.columns],
        "questions": [
            {"id": q.id, "title": q.title, "stem": q.stem, "points": q.points,
             "parents": _parents(q), "parts": [
                {"id": p.id, **_where(p.path), "points": p.points,
                 "difficulty": p.difficulty.value,
                 "prompt": p.prompt, "solution": p.solution,
                 "checks": [c.label or c.kind for c in p.checks],
                 "grades": [_grade(g, c.name) for c in data.columns
                            for g in data.grades(q.id, p.id, c)]}
                for p in q.leaves]}
            for q in data.pset.questions
        ],
        "heatmap": {"rows": unit, "columns": [c.name for c in data.columns],
                    "cells": [{"label": r.label, "scores": [_r(s) for s, _ in r.cells]}
                              for r in rows]},
        "patterns": [_pattern(p) for p in data.patterns],
        "suggestions": [{"text": s.text, "source": s.source} for s in data.suggestions],
        "comparisons": [head_to_head(c).raw or _h2h_fallback(c) for c in data.comparisons],
        "grader_vs_ta": ta_json(data.calibration),
    }


def _where(path: tuple[str, ...]) -> dict[str, Any]:
    """Where a part sits: its path of ids, its label "(e)(iii)" and its parent's dotted id."""
    return {"path": list(path), "label": path_label(path),
            "parent": ".".join(path[:-1]) or None}


def _parents(q: Question) -> list[dict[str, Any]]:
    """The parts that hold sub-parts, as headings: leaves name theirs in `parent`."""
    return [{"id": ".".join(path), **_where(path), "prompt": p.prompt, "points": p.points}
            for path, p in q.outline() if p.parts]


def _h2h_fallback(obj: Any) -> dict[str, Any]:
    x = head_to_head(obj)
    return {k: v for k, v in vars(x).items() if k not in ("parts", "raw")}
