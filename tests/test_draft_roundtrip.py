"""Round trip: each bundled set (and the nested fixture) written as an exam-class LaTeX file
and as a PDF, drafted back, compares field by field with the set it came from.

The PDF is drawn by reportlab from the same text (no TeX engine here), so its math is the
LaTeX source as text: what it measures is reading text, bold, layout and labels from a PDF,
not recovering typeset formulas.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from psetbench.checks import reference_quantity, run_checks
from psetbench.draft import draft_set
from psetbench.problemset import NumericCheck, ProblemSet, load_problem_set, validate_file
from psetbench.types import CheckStatus
from tests.draftgen import exam_pdf, exam_tex

ROOT = Path(__file__).parent.parent
SETS = [*sorted((ROOT / "psets").glob("*.yaml")), ROOT / "tests/fixtures/nested/nested.yaml"]


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _agreement(original: ProblemSet, drafted: ProblemSet) -> dict[str, tuple[int, int]]:
    """Per field: (agreeing, total), counted over the original's questions and leaves."""
    counts = {k: [0, 0] for k in ("questions", "parts", "points", "prompts", "solutions",
                                  "checks passing", "set numeric answers")}

    def add(field: str, ok: bool) -> None:
        counts[field][0] += ok
        counts[field][1] += 1

    drafted_questions = {q.id: q for q in drafted.questions}
    for question in original.questions:
        mine = drafted_questions.get(question.id)
        add("questions", mine is not None and mine.title == question.title
            and _norm(mine.stem) == _norm(question.stem))
        leaves = {p.id: p for p in mine.leaves} if mine else {}
        for part in question.leaves:
            got = leaves.get(part.id)
            add("parts", got is not None)
            add("points", got is not None and abs(got.points - part.points) < 1e-9)
            add("prompts", got is not None and _norm(got.prompt) == _norm(part.prompt))
            add("solutions", got is not None and _norm(got.solution) == _norm(part.solution))
            if got is None:
                continue
            machine = [c for c in got.checks if c.kind in ("numeric", "expression")]
            results = run_checks(got, part.solution)
            for check, result in zip(got.checks, results, strict=True):
                if check in machine:
                    add("checks passing", result.status == CheckStatus.passed)
            for check in part.checks:
                if isinstance(check, NumericCheck):
                    add("set numeric answers", _drafted_value(check, got.checks))
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _drafted_value(reference: NumericCheck, drafted: list[object]) -> bool:
    """Whether a drafted numeric check states the set's own value (within 5%)."""
    want = reference_quantity(reference.answer, reference.unit)
    for check in drafted:
        if not isinstance(check, NumericCheck):
            continue
        got = reference_quantity(check.answer, check.unit)
        if got.dimensionality == want.dimensionality:
            a, b = float(got.to_base_units().magnitude), float(want.to_base_units().magnitude)
            if abs(a - b) <= 0.05 * max(abs(b), 1e-300):
                return True
    return False


def _draft(set_path: Path, route: str, tmp_path: Path) -> tuple[ProblemSet, ProblemSet]:
    original = load_problem_set(set_path).pset
    homework = tmp_path / f"{original.id}.{route}"
    if route == "tex":
        homework.write_text(exam_tex(original), encoding="utf-8")
    else:
        exam_pdf(original, homework)
    output = tmp_path / f"{original.id}-draft.yaml"
    draft_set(homework, output)
    assert validate_file(output) == []
    return original, load_problem_set(output).pset


# Both routes must give back the set's structure whole: every question (title and stem),
# part, point, prompt and solution.
EXACT = ("questions", "parts", "points", "prompts", "solutions")
# The share of the set's own numeric answers a drafted numeric check must state, on every
# set and route: the drafts state all of them today (the printed line gives the figure).
NUMERIC_FLOOR = 1.0


@pytest.mark.parametrize("route", ["tex", "pdf"])
@pytest.mark.parametrize("set_path", SETS, ids=[p.stem for p in SETS])
def test_a_set_drafts_back_from_its_homework(set_path: Path, route: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    original, drafted = _draft(set_path, route, tmp_path)
    agreement = _agreement(original, drafted)
    line = ", ".join(f"{k} {a}/{n}" for k, (a, n) in agreement.items())
    with capsys.disabled():
        print(f"\ndraft round trip {original.id} ({route}): {line}")
    assert len(drafted.questions) == len(original.questions)
    for field in EXACT:
        agreeing, total = agreement[field]
        assert agreeing == total > 0, (field, agreement)
    passing, drafted_machine = agreement["checks passing"]
    assert passing == drafted_machine and drafted_machine > 0, agreement
    found, total = agreement["set numeric answers"]
    stated = sum(isinstance(c, NumericCheck) for q in original.questions for p in q.leaves
                 for c in p.checks)
    assert total == stated and found >= NUMERIC_FLOOR * total, agreement
