"""`psetbench draft` on hand-written homework in three house styles, a separate solutions
file, figures, and `--model` with scripted replies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from inspect_ai.model import Model, ModelOutput, ModelUsage, get_model

from psetbench.cli import main
from psetbench.draft import draft_set
from psetbench.problemset import (
    ChoiceCheck,
    ExpressionCheck,
    KeypointsCheck,
    NumericCheck,
    ProblemSet,
    load_problem_set,
    validate_file,
)

FIXTURES = Path(__file__).parent / "fixtures" / "draft"


def _draft(name: str, tmp_path: Path, **options: object) -> tuple[ProblemSet, str]:
    output = tmp_path / f"{Path(name).stem}.yaml"
    draft_set(FIXTURES / name, output, **options)  # type: ignore[arg-type]
    assert validate_file(output) == []
    return load_problem_set(output).pset, output.read_text()


def _shape(pset: ProblemSet) -> dict[str, list[tuple[str, float]]]:
    return {q.id: [(p.id, p.points) for p in q.leaves] for q in pset.questions}


def test_exam_class_homework(tmp_path: Path) -> None:
    pset, text = _draft("exam_hw.tex", tmp_path)
    assert pset.psetbench == 2 and pset.title == "Machine Learning — Homework 4"
    assert pset.preamble == "Show your work. Use $1\\,\\text{GB} = 10^9$ bytes."
    assert _shape(pset) == {"1": [("a", 2), ("b", 3), ("c", 1)],
                            "2": [("a.i", 1), ("a.ii", 1), ("b", 2)]}
    first = pset.questions[0]
    assert first.title == "Memory of a linear layer" and "d = 4096" in (first.stem or "")
    assert "comment the draft must ignore" not in text
    assert pset.part("1", "a").checks == [NumericCheck(kind="numeric", answer="33.6 MB")]
    [formula] = pset.part("1", "b").checks
    assert isinstance(formula, ExpressionCheck) and formula.answer == "d^2"
    tf = pset.questions[0].leaves[2].checks[0]
    assert isinstance(tf, ChoiceCheck) and tf.answer == "False"
    mc = pset.questions[1].leaves[1].checks[0]
    assert isinstance(mc, ChoiceCheck) and (mc.answer, mc.options) == ("B", ["A", "B", "C"])
    assert isinstance(pset.questions[1].leaves[2].checks[0], KeypointsCheck)
    assert "# review: no points found: counts 1" in text  # part (c) states none
    assert "# review: check guessed from prose" in text
    assert "# draft check (rule): from the solution's answer line '33.6 MB'" in text


def test_plain_enumerate_homework_with_an_input(tmp_path: Path) -> None:
    pset, text = _draft("plain_hw.tex", tmp_path)
    assert pset.title == "Statistics 101: Problem Set 2"
    assert _shape(pset) == {"1": [("a", 2), ("b.i", 2), ("b.ii", 2)],
                            "2": [("a", 1), ("b", 1), ("c", 1)]}
    assert pset.questions[0].title == "Estimating a mean"
    b_ii = pset.part("1", "b.ii")
    assert b_ii.solution.rstrip().endswith("**Answer: 0.5**")
    assert b_ii.checks == [NumericCheck(kind="numeric", answer="0.5")]
    minutes = pset.part("2", "a").checks[0]
    assert isinstance(minutes, NumericCheck) and minutes.answer == "60 min"
    assert pset.part("2", "b").checks[0] == ChoiceCheck(kind="choice", answer="True",
                                                        options=["True", "False"])
    assert "points split evenly from [4]: 2 each" in text
    assert "from plain_hw_problem2.tex:1" in text  # located in the \input file
    assert "grader reads the final line" not in text


def test_markdown_homework(tmp_path: Path) -> None:
    pset, _ = _draft("hw.md", tmp_path)
    assert pset.psetbench == 1 and pset.title == "Algorithms — Homework 1"
    assert _shape(pset) == {"1": [("a", 2), ("b", 3)], "2": [("1", 1), ("2", 1)]}
    [sort] = pset.part("1", "a").checks
    assert isinstance(sort, ExpressionCheck) and sort.variables == ["n"]
    assert pset.part("1", "b").checks == [NumericCheck(kind="numeric", answer="0.2 s")]
    assert pset.part("2", "1").checks[0] == ChoiceCheck(kind="choice", answer="B",
                                                        options=["A", "B", "C"])
    assert pset.part("2", "1").prompt.splitlines()[1] == "(A) 0.1 (B) 0.7 (C) 1.5"


def test_separate_solutions_are_aligned_by_label(tmp_path: Path) -> None:
    pset, text = _draft("hw_nosol.md", tmp_path, solutions=FIXTURES / "solutions.md")
    assert _shape(pset) == {"1": [("a", 1), ("b", 1)], "2": [("a", 2)]}
    assert pset.part("1", "a").solution.rstrip().endswith("**Answer: 0.375**")
    assert pset.part("1", "a").checks == [NumericCheck(kind="numeric", answer="0.375")]
    assert pset.part("2", "a").solution.startswith("Six of the 36 outcomes")
    assert "the question has no parts: its text is this one part" in text
    assert "confidence" not in text  # every solution matched by its label


def test_solutions_by_position_get_a_comment(tmp_path: Path) -> None:
    solutions = tmp_path / "renumbered.md"
    solutions.write_text((FIXTURES / "solutions.md").read_text()
                         .replace("(a)", "(i)").replace("(b)", "(ii)"))
    _, text = _draft("hw_nosol.md", tmp_path, solutions=solutions)
    assert text.count("(confidence 0.6); check that it answers this part") == 2


def test_without_solutions_every_part_says_so(tmp_path: Path) -> None:
    pset, text = _draft("hw_nosol.md", tmp_path)
    assert all(p.solution.startswith("TODO") and not p.checks
               for q in pset.questions for p in q.leaves)
    assert text.count("# review: no solution found") == 3


def test_pdf_figures_are_extracted_beside_the_set(tmp_path: Path) -> None:
    from PIL import Image

    from tests.draftgen import exam_pdf

    picture = tmp_path / "plot.png"
    Image.new("RGB", (60, 40), (200, 30, 30)).save(picture)
    pdf = tmp_path / "hw.pdf"
    exam_pdf(load_problem_set(Path("psets/probability-intro.yaml")).pset, pdf, image=picture)
    output = tmp_path / "out" / "prob.yaml"
    summary = draft_set(pdf, output)
    assert summary.figures == 1 and validate_file(output) == []
    [figure] = load_problem_set(output).pset.questions[0].figures
    assert figure.path.startswith("figures/prob-") and figure.path.endswith(".png")
    assert (output.parent / figure.path).read_bytes().startswith(b"\x89PNG")
    assert "figure extracted from page 1" in output.read_text()


def test_latex_figures_are_copied(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (30, 30), (0, 0, 255)).save(tmp_path / "curve.png")
    (tmp_path / "hw.tex").write_text(
        "\\section*{Problem 1}\nLook at the curve.\n\\begin{figure}\\includegraphics[width=3cm]"
        "{curve}\\caption{The loss curve}\\end{figure}\n\\begin{enumerate}[(a)]\n"
        "\\item What is its minimum?\n\\textbf{Solution:} It is 0.\n\\end{enumerate}\n")
    output = tmp_path / "set.yaml"
    draft_set(tmp_path / "hw.tex", output)
    [figure] = load_problem_set(output).pset.questions[0].figures
    assert (figure.path, figure.caption) == ("figures/set-curve.png", "The loss curve")


def test_cli_prints_the_summary_and_refuses_to_overwrite(tmp_path: Path) -> None:
    output = tmp_path / "exam.yaml"
    result = CliRunner().invoke(main, ["draft", str(FIXTURES / "exam_hw.tex"), "-o",
                                       str(output)])
    assert result.exit_code == 0, result.output
    assert "2 question(s), 6 part(s), 10 point(s)" in result.output
    assert "Checks proposed: 2 choice, 1 expression, 1 keypoints, 2 numeric." in result.output
    before = output.read_text()
    again = CliRunner().invoke(main, ["draft", str(FIXTURES / "hw.md"), "-o", str(output)])
    assert again.exit_code == 2 and "pass --force" in again.output
    assert output.read_text() == before
    forced = CliRunner().invoke(main, ["draft", str(FIXTURES / "hw.md"), "-o", str(output),
                                       "--force"])
    assert forced.exit_code == 0 and output.read_text() != before


def test_drafting_is_deterministic(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "hw.md", tmp_path / "hw.md")
    draft_set(tmp_path / "hw.md", tmp_path / "one.yaml")
    draft_set(tmp_path / "hw.md", tmp_path / "two.yaml")
    assert (tmp_path / "one.yaml").read_text().replace("id: one", "id: two") == \
        (tmp_path / "two.yaml").read_text()


# -- --model ------------------------------------------------------------------------------

def _scripted(*replies: str) -> Model:
    outputs = []
    for text in replies:
        output = ModelOutput.from_content(model="mockllm/model", content=text)
        output.usage = ModelUsage(input_tokens=10, output_tokens=10, total_tokens=20)
        outputs.append(output)
    return get_model("mockllm/model", custom_outputs=outputs, memoize=False)


def test_model_proposals_are_validated_and_labelled(tmp_path: Path) -> None:
    question_1 = {"parts": [
        {"path": "a", "prompt": "How many bytes does $W$ take in float16 (2 bytes per entry)?",
         "checks": [{"kind": "numeric", "answer": "33.6 MB", "label": "memory of W"}]},
        {"path": "b", "checks": [{"kind": "numeric", "answer": "5 GB"}]},  # solution fails it
        {"path": "z", "prompt": "no such part"}]}
    model = _scripted("```json\n" + json.dumps(question_1) + "\n```", "I cannot help.")
    pset, text = _draft("exam_hw.tex", tmp_path, model=model)
    a = pset.part("1", "a")
    assert a.prompt.endswith("(2 bytes per entry)?")
    assert a.checks == [NumericCheck(kind="numeric", answer="33.6 MB", label="memory of W")]
    assert "# draft check (model mockllm/model): from mockllm/model's reading" in text
    assert "# review: prompt reworded by model mockllm/model" in text
    # the wrong proposal is dropped and the rule's expression check stays
    assert isinstance(pset.part("1", "b").checks[0], ExpressionCheck)
    # question 2's reply was unusable: its deterministic draft is kept
    assert pset.part("2", "a.ii").checks[0] == ChoiceCheck(kind="choice", answer="B",
                                                           options=["A", "B", "C"])
    summary = draft_set(FIXTURES / "exam_hw.tex", tmp_path / "again.yaml",
                        model=_scripted(json.dumps(question_1), "no json"))
    assert any("5 GB" not in w and "does not pass" in w for w in summary.warnings)
    assert any("could not be used" in w for w in summary.warnings)
    assert any("(z) the homework does not have" in w for w in summary.warnings)


def test_a_failing_model_falls_back_to_the_deterministic_draft(tmp_path: Path) -> None:
    def boom(*_: object) -> ModelOutput:
        raise RuntimeError("the service is down")

    model = get_model("mockllm/model", custom_outputs=boom, memoize=False)
    summary = draft_set(FIXTURES / "hw.md", tmp_path / "m.yaml", model=model)
    draft_set(FIXTURES / "hw.md", tmp_path / "plain.yaml")
    strip = [line for line in (tmp_path / "m.yaml").read_text().splitlines()[1:]
             if not line.startswith("id:")]
    assert strip == [line for line in (tmp_path / "plain.yaml").read_text().splitlines()[1:]
                     if not line.startswith("id:")]
    assert sum("the service is down" in w for w in summary.warnings) == 2


def test_an_unknown_model_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["draft", str(FIXTURES / "hw.md"), "-o",
                                       str(tmp_path / "x.yaml"), "--model", "nosuch/model"])
    assert result.exit_code == 2 and result.output.startswith("Error: --model")
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("name", ["exam_hw.tex", "plain_hw.tex", "hw.md", "hw_nosol.md"])
def test_every_fixture_drafts_to_a_valid_set(name: str, tmp_path: Path) -> None:
    _draft(name, tmp_path)


def test_labels_and_parts_in_plain_text(tmp_path: Path) -> None:
    """'Part N' headings where no Problem/Question heading exists, a) labels, roman (i) under
    letters, (i) after (h) read as a letter, (5 points) and a list inside a solution."""
    letters = "\n".join(f"{chr(c)}) Item {chr(c)}.\nSolution: {chr(c)}." for c in range(97, 106))
    (tmp_path / "hw.txt").write_text(
        "Midterm review\n\nPart 1 (5 points)\nThe stem.\na) First.\n  (i) One.\n"
        "  Solution: 1. a list\n  2. inside the solution\n  (ii) Two.\n  Solution: two.\n"
        f"b) Second.\nSolution: so it is.\n\nPart 2\n{letters}\n")
    output = tmp_path / "set.yaml"
    draft_set(tmp_path / "hw.txt", output)
    pset = load_problem_set(output).pset
    assert pset.title == "Midterm review" and [q.id for q in pset.questions] == ["1", "2"]
    assert [p.id for p in pset.questions[0].leaves] == ["a.i", "a.ii", "b"]
    assert pset.part("1", "a.i").solution.splitlines() == ["1. a list", "2. inside the solution"]
    assert [p.id for p in pset.questions[1].leaves] == list("abcdefghi")
    assert sum(p.points for p in pset.questions[0].leaves) == 5


def test_a_model_whose_proposals_were_not_used_is_not_credited(tmp_path: Path) -> None:
    from psetbench.draft import format_summary

    def boom(*_: object) -> ModelOutput:
        raise RuntimeError("the service is down")

    failing = get_model("mockllm/model", custom_outputs=boom, memoize=False)
    summary = draft_set(FIXTURES / "hw.md", tmp_path / "down.yaml", model=failing)
    printed = format_summary(summary)
    assert "(model: mockllm/model)" not in printed
    assert "mockllm/model's proposals were not used: every call to it failed" in printed
    header = (tmp_path / "down.yaml").read_text().splitlines()[0]
    assert "none of its proposals are used (every call to it failed)" in header
    unusable = draft_set(FIXTURES / "hw.md", tmp_path / "prose.yaml",
                         model=_scripted("I cannot help.", "Nor here."))
    assert unusable.model_unused == "no reply from it could be used"
    used = draft_set(FIXTURES / "hw.md", tmp_path / "used.yaml", model=_scripted(
        json.dumps({"parts": [{"path": "a", "prompt": "Count merge sort's comparisons."}]}),
        "no json"))
    assert used.model_unused is None and "(model: mockllm/model)" in format_summary(used)


@pytest.mark.parametrize(("name", "content", "said"), [
    ("empty.md", "", "--solutions empty.md: the file is empty; give the solutions' source"),
    ("notes.md", "# Notes\n\nNothing here.\n", "--solutions notes.md: found no questions"),
    ("sol.docx", "x", "--solutions sol.docx: cannot draft from .docx"),
])
def test_a_bad_solutions_file_is_named_as_such(name: str, content: str, said: str,
                                               tmp_path: Path) -> None:
    (tmp_path / name).write_text(content)
    output = tmp_path / "set.yaml"
    result = CliRunner().invoke(main, ["draft", str(FIXTURES / "hw_nosol.md"), "--solutions",
                                       str(tmp_path / name), "-o", str(output)])
    assert result.exit_code == 2 and result.output.startswith(f"Error: {said}"), result.output
    assert "homework's" not in result.output and not output.exists()
