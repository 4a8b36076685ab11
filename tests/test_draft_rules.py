"""What the deterministic draft guesses from a part's text: checks for short final values,
points written anywhere in a LaTeX item, and a question's first line as its title or text."""

from __future__ import annotations

from pathlib import Path

import pytest

from psetbench.draft import draft_set
from psetbench.problemset import (
    ExpressionCheck,
    KeypointsCheck,
    NumericCheck,
    ProblemSet,
    load_problem_set,
    validate_file,
)


def _drafted(tmp_path: Path, name: str, text: str) -> tuple[ProblemSet, str, list[str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    output = tmp_path / "set.yaml"
    summary = draft_set(tmp_path / name, output, force=True)
    assert validate_file(output) == []
    return load_problem_set(output).pset, output.read_text(), summary.warnings


@pytest.mark.parametrize(("solution", "answer"), [
    ("$2.5$", "2.5"), ("4", "4"), ("9.", "9"), ("3 m", "3 m"), ("The total is 4.", "4"),
    ("Adding the two gives $x = 12$.", "12"), ("It comes to about 3.5 s", "3.5 s"),
])
def test_a_short_or_unitless_final_value_is_a_numeric_check(solution: str, answer: str,
                                                             tmp_path: Path) -> None:
    pset, _, _ = _drafted(tmp_path, "hw.md", f"## Problem 1\n(a) What is it?\n\n"
                                             f"Solution: {solution}\n")
    assert pset.part("1", "a").checks == [NumericCheck(kind="numeric", answer=answer)]


def test_a_number_that_only_names_something_is_not_an_answer(tmp_path: Path) -> None:
    pset, _, _ = _drafted(tmp_path, "hw.md", "## Problem 1\n(a) Where is it shown?\n\n"
                                             "Solution: It is shown in Figure 3.\n")
    assert not any(isinstance(c, NumericCheck) for c in pset.part("1", "a").checks)


def test_fbox_is_read_like_boxed(tmp_path: Path) -> None:
    pset, _, _ = _drafted(tmp_path, "hw.md", "## Problem 1\n(a) Give the scale.\n\n"
                                             "Solution: \\fbox{$1+\\alpha$}\n")
    [check] = pset.part("1", "a").checks
    assert isinstance(check, ExpressionCheck) and check.answer == "1+\\alpha"


def test_a_short_prose_answer_gets_key_points(tmp_path: Path) -> None:
    pset, text, _ = _drafted(tmp_path, "hw.md", "## Problem 1\n(a) Name the SI unit of "
                                                "force.\n\nSolution: The newton.\n")
    [check] = pset.part("1", "a").checks
    assert isinstance(check, KeypointsCheck) and check.points == ["The newton."]
    assert "# review: check guessed from prose" in text


def test_a_part_without_a_check_says_so(tmp_path: Path) -> None:
    pset, text, warnings = _drafted(
        tmp_path, "hw.md", "## Problem 1\n(a) Give the set.\n\nSolution: $\\{1, 2\\}$\n\n"
                           "(b) And its size?\n\nSolution: **Answer: 2**\n")
    assert pset.part("1", "a").checks == [] and pset.part("1", "b").checks
    assert text.count("# review: no check proposed; write one") == 1
    assert "1.a: no check proposed; write one" in warnings


def _leaves(pset: ProblemSet) -> list[tuple[str, float, str]]:
    return [(p.id, p.points, p.prompt.strip()) for q in pset.questions for p in q.leaves]


def test_points_written_anywhere_in_a_latex_item(tmp_path: Path) -> None:
    pset, text, _ = _drafted(tmp_path, "hw.tex", "\n".join([
        "\\section*{Problem 1}", "\\begin{enumerate}[(a)]",
        "\\item What is $2+2$? [2 pts]", "\\textbf{Solution:} 4",
        "\\item Explain why.\n  Say it in a sentence. (1 point)", "Solution: Because it is so.",
        "\\item (3 points) Compute $g(2p)$ for $p = 1$.", "Solution: It is 2.",
        "\\end{enumerate}", ""]))
    assert _leaves(pset) == [("a", 2, "What is $2+2$?"),
                             ("b", 1, "Explain why.\nSay it in a sentence."),
                             ("c", 3, "Compute $g(2p)$ for $p = 1$.")]
    assert "no points found" not in text


def test_a_sections_total_and_its_items_points(tmp_path: Path) -> None:
    pset, text, _ = _drafted(tmp_path, "hw.tex", "\n".join([
        "\\section*{Problem 1 [5 pts]}", "\\begin{enumerate}[(a)]",
        "\\item First. [2 pts]", "Solution: one.", "\\item Second. [3 pts]", "Solution: two.",
        "\\end{enumerate}", "\\section*{Problem 2 [4 pts]}", "\\begin{enumerate}[(a)]",
        "\\item First. [1 pt]", "Solution: one.", "\\item Second. [1 pt]", "Solution: two.",
        "\\end{enumerate}", ""]))
    assert [p.points for q in pset.questions for p in q.leaves] == [2, 3, 1, 1]
    assert "split evenly" not in text
    assert "gives [4] here, but its parts add to 2" in text


def test_points_inside_math_are_math(tmp_path: Path) -> None:
    pset, _, _ = _drafted(tmp_path, "hw.md", "## Problem 1 (5 points)\n(a) Compute $f(3p)$ "
                                             "at $p = 2$.\nSolution: 6\n(b) [1 pt] And?\n"
                                             "Solution: 1\n")
    assert _leaves(pset) == [("a", 4, "Compute $f(3p)$ at $p = 2$."), ("b", 1, "And?")]


@pytest.mark.parametrize(("line", "title", "text"), [
    ("Problem 3 (8 pts). Explain why caches help.", None, "Explain why caches help."),
    ("Problem 3: Explain why caches help (8 pts)", None, "Explain why caches help"),
    ("**Problem 3.** Explain why caches help. (8 pts)", None, "Explain why caches help."),
    ("**Problem 3: Caches** (8 pts) Explain why caches help.", "Caches",
     "Explain why caches help."),
    ("**Problem 3: Caches (8 pts)**", "Caches", None),
    ("## Problem 3 (8 pts). Caches", "Caches", None),
    ("Problem 3 (8 pts) Caches:", "Caches", None),
])
def test_a_question_line_gives_a_title_only_when_it_is_a_heading(
        line: str, title: str | None, text: str | None, tmp_path: Path) -> None:
    pset, yaml_text, _ = _drafted(tmp_path, "hw.md", f"{line}\n\nSolution: Locality.\n")
    [question] = pset.questions
    assert (question.id, question.title) == ("3", title)
    [part] = question.parts
    assert part.points == 8 and part.prompt.strip() == (text or "(no text)")
    assert ("no prompt text was found" in yaml_text) == (text is None)


def test_a_question_line_with_parts_is_the_stem(tmp_path: Path) -> None:
    pset, _, _ = _drafted(tmp_path, "hw.txt", "HW 2\n\nProblem 1 (4 pts). Consider a cache "
                                              "with 4 lines.\n(a) How many misses?\nSolution: "
                                              "3.\n(b) Why?\nSolution: It is small.\n")
    [question] = pset.questions
    assert question.title is None and question.stem == "Consider a cache with 4 lines."
    assert [p.id for p in question.parts] == ["a", "b"]


def test_solutions_matched_by_position_say_how(tmp_path: Path) -> None:
    """Questions numbered differently in the solutions file are matched by position: every
    comment says so, whether its parts then match by label or not, and a question without
    parts is not taken as matched by number."""
    fixtures = Path(__file__).parent / "fixtures" / "draft"
    solutions = tmp_path / "renumbered.md"
    solutions.write_text((fixtures / "solutions.md").read_text()
                         .replace("Question 1", "Question 3").replace("Question 2", "Question 4"))
    output = tmp_path / "set.yaml"
    draft_set(fixtures / "hw_nosol.md", output, solutions=solutions)
    text = output.read_text()
    assert "same label" not in text
    assert text.count("# review: solution from renumbered.md: question 3 there, matched by "
                      "position; part (a) by its label (confidence 0.6)") == 1
    assert "question 4 there, matched by position (confidence 0.6)" in text


def test_a_solution_that_matches_no_part_is_a_warning(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "draft"
    solutions = tmp_path / "relabelled.md"
    solutions.write_text((fixtures / "solutions.md").read_text().replace("(a)", "(i)"))
    summary = draft_set(fixtures / "hw_nosol.md", tmp_path / "set.yaml", solutions=solutions)
    assert "question 1: the solution of question 1 in relabelled.md was not used: its parts " \
           "(i) match none of the homework's; copy it in by hand" in summary.warnings
