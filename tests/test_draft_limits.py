"""Homework beyond what a set may hold (psetbench._bounds): one located line naming the limit
and the fix, exit 2, nothing written; never a traceback, never "a psetbench bug"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench._bounds import (
    MAX_CHECKS,
    MAX_FILE_CHARS,
    MAX_PARTS,
    MAX_QUESTIONS,
    MAX_SHORT_CHARS,
    MAX_TEXT_CHARS,
)
from psetbench.cli import main
from psetbench.draft import draft_set
from psetbench.problemset import ChoiceCheck, NumericCheck, load_problem_set, validate_file


def _refused(homework: Path, tmp_path: Path, *extra: str) -> str:
    output = tmp_path / "out" / "set.yaml"
    result = CliRunner().invoke(main, ["draft", str(homework), "-o", str(output), *extra])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "psetbench bug" not in lines[0]
    assert not output.exists() and not (tmp_path / "out" / "figures").exists()
    return lines[0]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_prompt_longer_than_a_set_allows_with_a_proposed_check(tmp_path: Path) -> None:
    homework = _write(tmp_path, "big.md", [
        "## Problem 1", "", "(a) Here is the data:",
        *[f"{i}. value {i}" for i in range(1, 25_001)],
        "", "**Solution:** The total is = 5 m"])
    line = _refused(homework, tmp_path)  # lines 1.-99. read as sub-parts, the rest as text
    assert line.startswith("Error: big.md:102: part 1(a)(99)'s prompt"), line
    assert f"{MAX_TEXT_CHARS:,}" in line and "shorten" in line


def test_a_solution_longer_than_a_set_allows(tmp_path: Path) -> None:
    homework = _write(tmp_path, "hw.md", [
        "## Problem 1", "(a) Add them up.", "", "**Solution:** " + "one plus " * 15_000,
        "", "**Answer: 4 m**"])
    line = _refused(homework, tmp_path)
    assert line.startswith("Error: hw.md:2: ") and "solution" in line, line
    assert f"{MAX_TEXT_CHARS:,}" in line and "shorten" in line


def test_a_solution_from_the_solutions_file_names_that_file(tmp_path: Path) -> None:
    homework = _write(tmp_path, "hw.md", ["## Problem 1", "(a) Add them up."])
    solutions = _write(tmp_path, "sol.md", ["## Problem 1", "(a) " + "one plus " * 15_000])
    line = _refused(homework, tmp_path, "--solutions", str(solutions))
    assert "hw.md:2: " in line and "sol.md" in line and "solution" in line, line


def test_a_stem_longer_than_a_set_allows(tmp_path: Path) -> None:
    homework = _write(tmp_path, "hw.md", [
        "## Problem 1", *["A line of the stem, long enough."] * 4_000, "(a) Go.",
        "Solution: gone."])
    line = _refused(homework, tmp_path)
    assert line.startswith("Error: hw.md:1: ") and "before its parts" in line, line


def test_more_questions_than_a_set_allows(tmp_path: Path) -> None:
    lines = ["# Homework"]
    for i in range(1, 1_500):
        lines += [f"## Problem {i}", "(a) What is x?", "Solution: x = 1 m", ""]
    line = _refused(_write(tmp_path, "many.md", lines), tmp_path)
    assert "many.md: 1,499 questions" in line and f"more than the {MAX_QUESTIONS}" in line, line
    assert "split the homework into several files" in line


def test_more_parts_than_a_question_allows(tmp_path: Path) -> None:
    items = [f"\\item Say {i}.\nSolution: {i}." for i in range(1, 120)]
    lines = ["\\section*{Problem 1}", "\\begin{enumerate}", *items, "\\end{enumerate}"]
    line = _refused(_write(tmp_path, "hw.tex", lines), tmp_path)
    assert "hw.tex:1: question 1 has 119 parts" in line and f"{MAX_PARTS}" in line, line
    assert "split" in line


def test_a_title_longer_than_a_set_allows(tmp_path: Path) -> None:
    homework = _write(tmp_path, "hw.md", [
        "## Problem 1: " + "Long title " * 300, "(a) Go.", "Solution: gone."])
    line = _refused(homework, tmp_path)
    assert "hw.md:1: " in line and "title" in line and f"{MAX_SHORT_CHARS:,}" in line, line


@pytest.mark.parametrize("points", ["0", "2000000"])
def test_points_outside_what_a_part_may_count(points: str, tmp_path: Path) -> None:
    homework = _write(tmp_path, "hw.md", [
        "## Problem 1", f"(a) [{points} pts] Go.", "Solution: gone.", "(b) [2 pts] Stay.",
        "Solution: stayed."])
    line = _refused(homework, tmp_path)
    assert "hw.md:2: part 1(a)" in line and "points" in line, line


def test_a_label_longer_than_an_id_may_be(tmp_path: Path) -> None:
    label = "x" * 80
    homework = _write(tmp_path, "hw.tex", [
        "\\section*{Problem 1}", "\\begin{enumerate}", f"\\item[{label}] Go.",
        "Solution: gone.", "\\end{enumerate}"])
    line = _refused(homework, tmp_path)
    assert "hw.tex:3: " in line and "label" in line and "64" in line, line


def test_a_draft_larger_than_a_set_file_may_be(tmp_path: Path) -> None:
    prompt = "word " * 19_000  # under the per-prompt limit; 60 of them are over the file's
    lines = []
    for i in range(1, 61):
        lines += [f"## Problem {i}", f"(a) {prompt}", "Solution: fine."]
    line = _refused(_write(tmp_path, "hw.md", lines), tmp_path)
    assert "hw.md: the draft would be" in line and f"{MAX_FILE_CHARS:,}" in line, line
    assert "split the homework into several files" in line


def test_check_proposals_stay_within_the_set_limits(tmp_path: Path) -> None:
    """More answer lines than a part may hold checks, more choices than a choice check may
    list, and a value outside the magnitudes a reference may have: the draft is written, with
    only the checks a set can hold."""
    answers = "\n".join(f"**Answer: {i} m**" for i in range(1, 61))
    choices = "\n".join(f"\\choice {i}" for i in range(1, 60))
    (tmp_path / "hw.tex").write_text(
        "\\documentclass{exam}\\begin{document}\\begin{questions}\n"
        f"\\question\\begin{{parts}}\n\\part[1] List them.\n\\begin{{solution}}\n{answers}\n"
        "\\end{solution}\n"
        f"\\part[1] Pick one.\n\\begin{{choices}}\n{choices}\n\\CorrectChoice 60\n"
        "\\end{choices}\n\\begin{solution}It is 60.\\end{solution}\n"
        "\\part[1] How far?\n\\begin{solution}\n\\textbf{Answer: 1e200 m}\n\\end{solution}\n"
        "\\end{parts}\\end{questions}\\end{document}\n")
    output = tmp_path / "set.yaml"
    summary = draft_set(tmp_path / "hw.tex", output)
    assert validate_file(output) == []
    a, b, c = load_problem_set(output).pset.questions[0].leaves
    assert 0 < len(a.checks) <= MAX_CHECKS  # the first 50 proposed, each run on the solution
    assert not any(isinstance(x, ChoiceCheck) for x in b.checks)
    assert not any(isinstance(x, NumericCheck) for x in c.checks)
    assert any(f"more than {MAX_CHECKS}" in w for w in summary.warnings), summary.warnings
