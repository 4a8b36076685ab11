"""`psetbench run` end to end on a scripted model: conversation shapes, grading, resumption."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.grading import read_runs
from psetbench.problemset import load_problem_set
from psetbench.report import write_report
from psetbench.runs import RunOptions, run_set
from psetbench.types import Verdict
from tests.scripted import Scripted

RIGHT = {
    ("1", "a"): "Each parameter is 2 bytes, so the weights take **2,000 GB**.",
    ("1", "b"): "**Answer: True**",
    ("1", "c"): "2 TB / 80 GB = **25 GPUs**; one device cannot hold it.",
    ("2", "a"): "The memory is $$4k(l+m)$$ bytes.",
}


def _run(tiny_set: Path, tmp_path: Path, answers: dict[tuple[str, str], str],
         strategies: tuple[str, ...], **kw: object) -> tuple[Scripted, list]:
    scripted = Scripted(load_problem_set(tiny_set).pset, answers, **kw)  # type: ignore[arg-type]
    result = run_set(tiny_set, RunOptions(strategies=strategies, model=scripted.model(),
                                          log_dir=str(tmp_path / "logs"), cache=False))
    assert result.success
    return scripted, result.runs


def _user_turns(conversation: list) -> list[str]:
    return [m.text for m in conversation if m.role == "user"]


@pytest.mark.parametrize(
    ("strategy", "calls", "users_in_last_call"),
    [("one-turn", 2, 1), ("per-part", 5, 3), ("hybrid", 4, 2), ("isolated", 5, 1),
     ("whole-set", 1, 1)],
)
def test_conversation_shapes(tiny_set: Path, tmp_path: Path, strategy: str, calls: int,
                             users_in_last_call: int) -> None:
    scripted, runs = _run(tiny_set, tmp_path, RIGHT, (strategy,))
    assert len(scripted.calls) == calls
    # the longest conversation ends with this many user turns
    assert max(len(_user_turns(c)) for c in scripted.calls) == users_in_last_call
    system = [m for m in scripted.calls[0] if m.role == "system"]
    assert system and "step by step" in system[0].text and "self-check" in system[0].text
    grades = {g.key: g for g in runs[0].grades}
    assert grades["1(a)"].verdict == Verdict.correct, grades["1(a)"].reason
    assert grades["1(b)"].verdict == Verdict.correct
    assert grades["1(c)"].verdict == Verdict.correct
    assert grades["2(a)"].verdict == Verdict.correct, grades["2(a)"].reason
    # 2(b) has no scripted answer: absent from a several-part reply it is missing; asked alone,
    # the reply "I am not sure." is an answer, but an explanation part without checks or a
    # grader model is ungraded, never counted as right
    expected = Verdict.missing if strategy in ("one-turn", "whole-set") else Verdict.ungraded
    assert grades["2(b)"].verdict == expected
    assert grades["2(b)"].score == 0


def test_per_part_records_which_turn_answered(tiny_set: Path, tmp_path: Path) -> None:
    _, runs = _run(tiny_set, tmp_path, RIGHT, ("per-part",))
    turns = read_runs([tmp_path / "logs"])[0].turns["q1"][0]  # turns live in the log
    assert [t.keys for t in turns] == [[("1", "a")], [("1", "b")], [("1", "c")]]
    grade = next(g for g in runs[0].grades if g.key == "1(a)")
    assert grade.segmentation == "turn"


def test_wrong_order_of_magnitude_and_units(tiny_set: Path, tmp_path: Path) -> None:
    wrong = dict(RIGHT)
    wrong[("1", "a")] = "The weights take **200 TB**."
    wrong[("1", "c")] = "We need **25 GB**."
    _, runs = _run(tiny_set, tmp_path, wrong, ("one-turn",))
    grades = {g.key: g for g in runs[0].grades}
    assert grades["1(a)"].verdict == Verdict.incorrect
    assert grades["1(c)"].verdict in (Verdict.incorrect, Verdict.partial)
    assert grades["1(c)"].score == 0 or grades["1(c)"].verdict == Verdict.incorrect


def test_empty_reply_gets_one_nudge(tiny_set: Path, tmp_path: Path) -> None:
    _, runs = _run(tiny_set, tmp_path, RIGHT, ("per-part",), empty_first={("1", "b")})
    turns = read_runs([tmp_path / "logs"])[0].turns["q1"][0]  # turns live in the log
    nudge = turns[1].nudge
    assert nudge is not None and nudge.reason == "empty" and nudge.first_reply == ""
    assert "Your reply was empty" in nudge.prompt
    grade = next(g for g in runs[0].grades if g.key == "1(b)")
    assert grade.verdict == Verdict.correct and grade.nudged


def test_rerun_does_not_ask_again(tiny_set: Path, tmp_path: Path) -> None:
    first, _ = _run(tiny_set, tmp_path, RIGHT, ("one-turn",))
    again, runs = _run(tiny_set, tmp_path, RIGHT, ("one-turn",))
    assert len(first.calls) == 2 and len(again.calls) == 0
    assert len(runs[0].grades) == 5


def test_grades_jsonl_and_report(tiny_set: Path, tmp_path: Path) -> None:
    _run(tiny_set, tmp_path, RIGHT, ("one-turn", "per-part"))
    out = CliRunner().invoke(main, ["grades", str(tmp_path / "logs"), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert len(rows) == 10
    row = next(r for r in rows if r["question"] == "1" and r["part"] == "a")
    for key in ("set", "model", "strategy", "verdict", "score", "points", "checks"):
        assert key in row
    check = row["checks"][0]
    assert check["kind"] == "numeric" and check["status"] == "passed" and check["label"]
    report = write_report(read_runs([tmp_path / "logs"]), tmp_path / "r.md")
    text = report.read_text()
    assert "| 1(a) |" in text and "one-turn" in text and "per-part" in text


def test_regrade_gives_same_grades(tiny_set: Path, tmp_path: Path) -> None:
    _run(tiny_set, tmp_path, RIGHT, ("hybrid",))
    stored = [g.model_dump(exclude={"log"}) for g in read_runs([tmp_path / "logs"])[0].grades]
    again = [g.model_dump(exclude={"log"})
             for g in read_runs([tmp_path / "logs"], regrade=True)[0].grades]
    assert stored == again


def test_regrading_and_reports_never_call_the_solving_model(tiny_set: Path, tmp_path: Path) -> None:
    from psetbench.grading import regrade

    scripted, _ = _run(tiny_set, tmp_path, RIGHT, ("one-turn", "per-part"))
    calls = len(scripted.calls)
    runs = regrade([str(tmp_path / "logs")])
    assert len(runs) == 2 and all(len(r.grades) == 5 for r in runs)
    write_report(read_runs([tmp_path / "logs"]), tmp_path / "again.md")
    out = CliRunner().invoke(main, ["grades", str(tmp_path / "logs"), "--regrade"])
    assert out.exit_code == 0, out.output
    assert len(scripted.calls) == calls
    # the regraded logs still read back with the same verdicts
    again = {g.key: g.verdict for r in read_runs([tmp_path / "logs"]) for g in r.grades
             if r.strategy == "one-turn"}
    assert again["1(a)"] == Verdict.correct and again["2(b)"] == Verdict.missing


def test_narrated_suggestions_are_labelled(tiny_set: Path, tmp_path: Path) -> None:
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    wrong = dict(RIGHT)
    wrong[("1", "a")] = "The weights take **200 TB**."
    _run(tiny_set, tmp_path, wrong, ("one-turn", "whole-set"))
    out = ModelOutput.from_content(model="mockllm/model", content="Ask per question.")
    out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
    narrator = get_model("mockllm/model", custom_outputs=[out])
    path = write_report(read_runs([tmp_path / "logs"]), tmp_path / "r.md", narrate_with=narrator)
    assert "Ask per question. (written by mockllm/model from the suggestions below)" in \
        path.read_text()


def test_run_reports_from_memory_the_same_grades_as_the_log(tiny_set: Path, tmp_path: Path) -> None:
    _, runs = _run(tiny_set, tmp_path, RIGHT, ("one-turn", "hybrid"))
    from_logs = {r.strategy: r for r in read_runs([tmp_path / "logs"])}
    for run in runs:
        assert run.grades and run.grades == from_logs[run.strategy].grades
        assert run.input_tokens == from_logs[run.strategy].input_tokens


def test_nothing_a_run_or_a_regrade_registers_outlives_it(tiny_set: Path, tmp_path: Path) -> None:
    """The scorer's set reference, the grade sink and the environment are as they were."""
    import os

    from psetbench.grading import _scorer, _sink, regrade

    environ = dict(os.environ)
    _run(tiny_set, tmp_path, RIGHT, ("one-turn", "per-part"))
    regrade([str(tmp_path / "logs")])
    assert _scorer._SETS == {} and _sink._ACTIVE == []
    assert dict(os.environ) == environ


def test_a_scorer_for_a_set_that_is_not_loaded_says_how_to_grade() -> None:
    from psetbench.errors import PsetbenchError
    from psetbench.grading import homework_scorer

    with pytest.raises(PsetbenchError, match="psetbench grade LOG"):
        homework_scorer("tiny@000000000000", "one-turn")
