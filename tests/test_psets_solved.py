"""Every bundled set, answered with its own official solutions, gets full marks on every check;
the same answers with a number off by 10x or in the wrong unit lose those parts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from psetbench.grading import grade_turns
from psetbench.problemset import NumericCheck, load_problem_set
from psetbench.runs import RunOptions, run_set
from psetbench.types import CheckStatus, Verdict
from tests.scripted import Scripted

PSETS = sorted((Path(__file__).parent.parent / "psets").glob("*.yaml"))


@pytest.mark.parametrize("set_path", PSETS, ids=[p.stem for p in PSETS])
def test_official_solutions_pass_every_check(set_path: Path, tmp_path: Path) -> None:
    pset = load_problem_set(set_path).pset
    answers = {(q.id, p.id): p.solution for q in pset.questions for p in q.parts}
    scripted = Scripted(pset, answers)
    result = run_set(set_path, RunOptions(strategies=("per-part", "one-turn"),
                                          model=scripted.model(), log_dir=str(tmp_path),
                                          cache=False))
    assert result.success, [(r.strategy, g.key, g.reason) for r in result.runs for g in r.grades
                            if g.verdict == Verdict.ungraded]
    machine = ("numeric", "choice", "expression")
    for run in result.runs:
        for grade in run.grades:
            failing = [c for c in grade.checks
                       if c.kind in machine and c.status != CheckStatus.passed]
            assert not failing, (run.strategy, grade.key, [(c.label, c.reason) for c in failing])
            assert grade.verdict != Verdict.missing, (run.strategy, grade.key)
        # key points are matched by words without a grader model: the solutions' own wording
        # must still be found for most of them
        points = [c for g in run.grades for c in g.checks if c.kind == "keypoints"]
        assert sum(c.score for c in points) >= 0.6 * len(points)


def _bold_numbers_times_ten(text: str) -> str:
    """Multiply the numbers in the solution's bold final statements by ten."""
    def scale(match: re.Match[str]) -> str:
        bold = match.group(0)
        return re.sub(r"(?<![\^{\w.])(\d+(?:\.\d+)?)", lambda m: f"{float(m.group(1)) * 10:g}",
                      bold)

    return re.sub(r"\*\*[^*\n]+?\*\*", scale, text)


@pytest.mark.parametrize("set_path", PSETS, ids=[p.stem for p in PSETS])
def test_numbers_off_by_ten_lose_their_parts(set_path: Path) -> None:
    pset = load_problem_set(set_path).pset
    checked = 0
    for q in pset.questions:
        for p in q.parts:
            numeric = [c for c in p.checks if isinstance(c, NumericCheck)]
            if not numeric or any(c.orders is not None or c.alternatives for c in numeric):
                continue
            wrong = _bold_numbers_times_ten(p.solution)
            [grade] = grade_turns(pset, [(q.id, p.id)], [{"parts": [[q.id, p.id]],
                                                         "reply": wrong}],
                                  model="m", strategy="per-part")
            statuses = [c.status for c in grade.checks if c.kind == "numeric"]
            assert CheckStatus.failed in statuses or CheckStatus.partial in statuses, \
                (q.id, p.id, wrong[-200:], [c.reason for c in grade.checks])
            assert grade.verdict != Verdict.correct
            checked += 1
    assert checked >= 3


def test_wrong_unit_loses_the_part() -> None:
    pset = load_problem_set(PSETS[0]).pset
    found = 0
    for q in pset.questions:
        for p in q.parts:
            if not re.search(r"\*\*[^*]*\d[^*]*\bGB\b[^*]*\*\*", p.solution):
                continue
            wrong = re.sub(r"\bGB\b", "Gb", p.solution)  # gigabits: 8x smaller
            [grade] = grade_turns(pset, [(q.id, p.id)], [{"parts": [[q.id, p.id]],
                                                         "reply": wrong}],
                                  model="m", strategy="per-part")
            assert grade.verdict != Verdict.correct, (q.id, p.id, grade.reason)
            found += 1
    assert found >= 1
