"""`psetbench calibrate`: the grades measured against a TA's labels."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import inspect_ai.model
import pytest
from click.testing import CliRunner

from psetbench.calibrate import (
    NO_GRADE,
    Calibration,
    calibrate,
    calibrate_regrade,
    calibrate_runs,
    cohen_kappa,
    method_of,
)
from psetbench.cli import main
from psetbench.grading import read_runs
from psetbench.importers import import_conversation
from tests.test_judge import Call, ScriptedJudge, answer_block, reply

TRANSCRIPTS = Path(__file__).parent / "fixtures" / "transcripts"

# tiny_openai.json, graded by the checks: 1/a correct, 1/b correct, 1/c incorrect,
# 2/a correct, 2/b ungraded (it has no checks: a judge's part)
LABELS = """\
# TA labels for the tiny set
tiny_openai.json:
  strategy: one-turn
  parts:
    1/a: {verdict: correct, kind: hard, note: "2 TB"}
    1/b: {verdict: [incorrect, missing], kind: hard, note: "no reason given"}
    1/c: {verdict: incorrect, kind: hard, note: "says 13 GPUs"}
    2/a: {verdict: partial, score: 0.5, kind: soft, note: "bytes right, factor 4 unexplained"}
    2/b: {verdict: correct, kind: soft, note: "both gradients vanish"}
"""


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}


@pytest.fixture
def logs(tiny_set: Path, tmp_path: Path) -> Path:
    import_conversation([TRANSCRIPTS / "tiny_openai.json"], tiny_set, log_dir=tmp_path / "logs")
    return tmp_path / "logs"


@pytest.fixture
def labels(tmp_path: Path) -> Path:
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    return path


# --- kappa ------------------------------------------------------------------------------------

def _raters(table: dict[tuple[str, str], int]) -> tuple[list[str], list[str]]:
    first: list[str] = []
    second: list[str] = []
    for (a, b), n in table.items():
        first += [a] * n
        second += [b] * n
    return first, second


def test_kappa_of_a_hand_computed_two_by_two() -> None:
    # p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
    a, b = _raters({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    k = cohen_kappa(a, b, resamples=0)
    assert k.value == pytest.approx(0.4) and k.observed == 0.7 and k.expected == 0.5


def test_kappa_known_values() -> None:
    # p_o = 0.6, p_e = 0.6*0.7 + 0.4*0.3 = 0.54: kappa = 0.06 / 0.46
    a, b = _raters({("y", "y"): 45, ("y", "n"): 15, ("n", "y"): 25, ("n", "n"): 15})
    assert cohen_kappa(a, b, resamples=0).value == pytest.approx(0.06 / 0.46, abs=1e-4)
    three = ["c", "p", "i", "c", "p", "i"]
    assert cohen_kappa(three, three, resamples=0).value == 1.0
    assert cohen_kappa(["x", "y"], ["y", "x"], resamples=0).value == -1.0
    # both raters used one and the same verdict: kappa is undefined, not a number
    assert cohen_kappa(["c", "c"], ["c", "c"], resamples=0).value is None
    assert cohen_kappa([], [], resamples=0).value is None


def test_bootstrap_interval_is_seeded() -> None:
    a, b = _raters({("c", "c"): 14, ("c", "p"): 3, ("p", "p"): 4, ("i", "i"): 3, ("i", "p"): 2})
    one = cohen_kappa(a, b, resamples=500, seed=3)
    assert one == cohen_kappa(a, b, resamples=500, seed=3)
    assert one.low is not None and one.high is not None and one.value is not None
    assert one.low <= one.value <= one.high and one.resamples > 0
    others = {(k.low, k.high) for s in range(4, 9)
              if (k := cohen_kappa(a, b, resamples=500, seed=s))}
    assert others != {(one.low, one.high)}  # the seed matters


def test_method_names() -> None:
    assert [method_of(g) for g in ("checks", "judge:openai/gpt-4o+checks", "judge:a+b",
                                   "segmentation", "rule:no-content", "import", "run", None)] \
        == ["checks", "judge", "judge", "segmentation", "segmentation", "import", "other",
            "none"]


# --- calibrate on an imported log ---------------------------------------------------------------

def test_figures_confusion_and_disagreements(logs: Path, labels: Path) -> None:
    result = calibrate([logs], labels, seed=1, resamples=200)
    o = result.overall
    assert o.parts == 5 and (o.verdict.agreed, o.verdict.total) == (2, 5)  # 1/a and 1/c
    assert (o.hard.agreed, o.hard.total, o.soft.agreed, o.soft.total) == (2, 3, 0, 2)
    # credits: 1/a 1 vs 1, 1/b 1 vs 0, 1/c 0 vs 0, 2/a 1 vs 0.5, 2/b 0 vs 1
    assert (o.score.agreed, o.score.total) == (2, 5)
    c = o.confusion
    cell = {(r, col): c.counts[i][j] for i, r in enumerate(c.rows)
            for j, col in enumerate(c.columns)}
    assert c.rows == ["correct", "partial", "incorrect", "missing"]
    assert c.columns == ["correct", "partial", "incorrect", "missing", "ungraded"]
    assert cell["correct", "correct"] == 1 and cell["incorrect", "incorrect"] == 1
    assert cell["incorrect", "correct"] == 1  # 1/b: the first verdict the TA accepts
    assert cell["partial", "correct"] == 1 and cell["correct", "ungraded"] == 1
    assert sum(map(sum, c.counts)) == 5
    # p_o = 2/5; TA shares c .4 p .2 i .4, grader c .6 i .2 u .2: p_e = .24 + .08 = .32
    assert o.kappa.value == pytest.approx((0.4 - 0.32) / 0.68, abs=1e-4)
    wrong = {p.part: p for p in result.disagreements}
    assert set(wrong) == {"1/b", "2/a", "2/b"}
    assert wrong["2/b"].note == "both gradients vanish" and "checks" in wrong["2/b"].reason
    assert set(result.by_method) == {"checks"} and set(result.by_strategy) == {"one-turn"}
    assert not result.warnings


def test_table_output(logs: Path, labels: Path) -> None:
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(labels)])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "hard 2/3, soft 0/2" in text and "Cohen's kappa: 0.12" in text
    assert "Confusion (rows: TA, columns: grader):" in text and "By method:" in text
    assert "tiny_openai.json 2/b [soft] (verdict): TA correct 1.00, grader ungraded" in text
    assert "TA: both gradients vanish" in text


def test_json_shape(logs: Path, labels: Path) -> None:
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(labels),
                                    "--format", "json", "--tolerance", "0.5"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["version"] == 1 and data["tolerance"] == 0.5
    assert set(data) >= {"labels", "logs", "seed", "overall", "by_method", "by_strategy",
                         "disagreements", "pairs", "warnings"}
    overall = data["overall"]
    assert overall["verdict"] == {"agreed": 2, "total": 5, "rate": 0.4}
    assert overall["score"]["agreed"] == 3  # 2/a: 1 vs 0.5 is within 0.5
    assert set(overall["kappa"]) == {"value", "low", "high", "resamples", "observed", "expected"}
    assert set(overall["confusion"]) == {"rows", "columns", "counts"}
    pair = data["pairs"][0]
    assert set(pair) == {"group", "log", "strategy", "model", "part", "kind", "ta",
                         "ta_verdict", "ta_score",
                         "note", "by", "verdict", "score", "grader", "method", "reason",
                         "agrees", "score_agrees"}
    Calibration.model_validate({k: v for k, v in data.items() if k != "version"})


def test_min_kappa_is_a_result_exit_1(logs: Path, labels: Path) -> None:
    base = ["calibrate", str(logs), "--labels", str(labels)]
    low = CliRunner().invoke(main, [*base, "--min-kappa", "0.5"])
    assert low.exit_code == 1 and "below --min-kappa 0.5" in low.output
    assert "Verdicts agree" in low.output  # the figures are still printed
    assert CliRunner().invoke(main, [*base, "--min-kappa", "0.1"]).exit_code == 0


def test_unmatched_groups_and_ungraded_parts_are_warnings(logs: Path, tmp_path: Path) -> None:
    path = tmp_path / "more.yaml"
    path.write_text(LABELS + "elsewhere.txt:\n  parts:\n    1/a: {verdict: correct}\n")
    result = calibrate([logs], path, resamples=0)
    assert result.overall.parts == 5
    assert len(result.warnings) == 1 and result.warnings[0].startswith(f"{path}:10: elsewhere")


def test_a_labelled_part_without_a_grade_is_no_grade(logs: Path, labels: Path) -> None:
    (run,) = read_runs([logs])
    run.grades = [g for g in run.grades if g.question != "2"]  # as a run cut short would be
    result = calibrate_runs([run], labels, resamples=0)
    missing = [p for p in result.pairs if p.verdict == NO_GRADE]
    assert {p.part for p in missing} == {"2/a", "2/b"} and not any(p.agrees for p in missing)
    assert all(p.method == "none" for p in missing) and result.overall.parts == 5
    assert sum("has no grade" in w for w in result.warnings) == 2


def test_questions_a_log_does_not_hold_are_left_out(tiny_set: Path, tmp_path: Path,
                                                    labels: Path) -> None:
    import_conversation([TRANSCRIPTS / "tiny_openai.json"], tiny_set, log_dir=tmp_path / "one",
                        questions=["1"])
    result = calibrate([tmp_path / "one"], labels, resamples=0)
    assert result.overall.parts == 3
    assert sum("holds questions 1 only" in w for w in result.warnings) == 2


BAD = {
    "unknown part": (LABELS + "    2/z: {verdict: correct}\n", 10, "unknown part '2/z'"),
    "question not in the set": (LABELS + "    9/e1: {verdict: correct}\n", 10,
                                "unknown question '9' in '9/e1'"),
    "verdict off the menu": (LABELS.replace("verdict: correct, kind: hard",
                                            "verdict: right, kind: hard"), 5, "not a TA verdict"),
    "wrong type": (LABELS.replace("score: 0.5", "score: half"), 8, "score"),
    "bad YAML": (LABELS + "  parts: [\n", 11, "invalid YAML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_labels_exit_2_untouched(case: str, logs: Path, tmp_path: Path) -> None:
    text, line, words = BAD[case]
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    before = _digest(logs)
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(path)])
    assert out.exit_code == 2, out.output
    first = out.output.splitlines()[0]
    assert first.startswith(f"Error: {path}:{line}: ") and words in first, out.output
    assert path.read_text(encoding="utf-8") == text and _digest(logs) == before


def test_no_labelled_part_in_the_logs_is_exit_2(logs: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("other.txt:\n  parts:\n    1/a: {verdict: correct}\n")
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(path)])
    assert out.exit_code == 2 and "no labelled part is in the logs" in out.output


def test_grader_without_regrade_is_a_usage_error(logs: Path, labels: Path) -> None:
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(labels),
                                    "--grader", "mockllm/model"])
    assert out.exit_code == 2 and "--regrade" in out.output


def test_grading_again_leaves_the_labels(logs: Path) -> None:
    labels = logs / "labels.yaml"  # the default place, inside the log folder
    labels.write_text(LABELS, encoding="utf-8")
    before = calibrate([logs], labels, resamples=100)
    out = CliRunner().invoke(main, ["grade", str(logs)])
    assert out.exit_code == 0, out.output
    assert labels.read_text(encoding="utf-8") == LABELS
    after = calibrate([logs], labels, resamples=100)
    assert after.overall == before.overall
    assert {p.log for p in after.pairs} == {p.log for p in before.pairs}


# --- --regrade with a scripted judge ------------------------------------------------------------

def _script(monkeypatch: pytest.MonkeyPatch, respond: Callable[[Call], str]) -> ScriptedJudge:
    """`mockllm/model` answers with `respond` wherever psetbench asks for it."""
    judge = ScriptedJudge(respond=respond)
    real = inspect_ai.model.get_model

    def get_model(model: Any = None, *args: Any, **kwargs: Any) -> Any:
        if model == "mockllm/model":
            kwargs.pop("memoize", None)
            return real(model, *args, custom_outputs=judge, memoize=False, **kwargs)
        return real(model, *args, **kwargs)

    monkeypatch.setattr(inspect_ai.model, "get_model", get_model)
    return judge


@pytest.fixture
def scripted_judge(monkeypatch: pytest.MonkeyPatch) -> ScriptedJudge:
    """`mockllm/model` answers with the scripted judge wherever psetbench asks for it."""
    def respond(call: Call) -> str:
        answer = answer_block(call.first_prompt).strip()
        return reply(verdict="correct", score=1.0, quotes=[answer[:20]],
                     reason="It says what the official solution says, so it is correct.")

    return _script(monkeypatch, respond)


def test_regrade_prints_before_and_after_and_keeps_the_logs(
        logs: Path, labels: Path, scripted_judge: ScriptedJudge) -> None:
    before = _digest(logs)
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(labels),
                                    "--regrade", "--grader", "mockllm/model"])
    assert out.exit_code == 0, out.output
    assert scripted_judge.calls, "the judge was never asked"
    assert "Regraded with mockllm/model:" in out.output and "After:" in out.output
    assert _digest(logs) == before  # the logs were never rewritten


def test_regrade_figures(logs: Path, labels: Path, scripted_judge: ScriptedJudge) -> None:
    both = calibrate_regrade([logs], labels, grader="mockllm/model", resamples=100)
    was = {p.part: p for p in both.before.pairs}
    now = {p.part: p for p in both.after.pairs}
    assert was["2/b"].verdict == "ungraded" and not was["2/b"].agrees
    assert now["2/b"].verdict == "correct" and now["2/b"].agrees and now["2/b"].method == "judge"
    assert now["1/c"].verdict == "incorrect"  # the failed check stands against the judge
    assert both.after.overall.verdict.agreed == both.before.overall.verdict.agreed + 1
    assert {p.log for p in both.after.pairs} == {p.log for p in both.before.pairs}
    assert both.after.by_method.keys() >= {"judge"}



def _unreachable(call: Call) -> str:
    """A provider failing as Inspect's mockllm does offline, fetching tokenizer data."""
    raise ConnectionError("HTTPSConnectionPool(host='openaipublic.blob.core.windows.net', "
                          "port=443): Max retries exceeded with url: /encodings/o200k_base")


@pytest.mark.parametrize("command", ["calibrate", "grade", "report"])
def test_a_provider_failure_is_one_line(command: str, logs: Path, labels: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A model psetbench calls outside an eval (the judge of calibrate --regrade and grade,
    report's narrator) failing in its provider: one Error line naming it, exit 2."""
    judge = _script(monkeypatch, _unreachable)
    before = _digest(logs)
    role = "narrate" if command == "report" else "grader"
    args = {"calibrate": ["calibrate", str(logs), "--labels", str(labels), "--regrade"],
            "grade": ["grade", str(logs)],
            "report": ["report", str(logs), "-o", str(logs.parent / "r.md")]}[command]
    out = CliRunner().invoke(main, [*args, f"--{role}", "mockllm/model", "--max-retries", "0"])
    assert judge.calls, "the model was never asked"
    assert out.exit_code == 2, out.output
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: --{role} mockllm/model: "), \
        out.output
    assert not (logs.parent / "r.md").exists()
    assert "ConnectionError" in lines[0] and "network" in lines[0]
    assert "Traceback" not in out.output and _digest(logs) == before


def test_a_bug_beside_the_model_call_keeps_its_traceback(logs: Path, labels: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         scripted_judge: ScriptedJudge) -> None:
    import psetbench.judge._judge as judge_module

    def broken(*args: Any, **kwargs: Any) -> str:
        raise ConnectionError("a bug in psetbench, not a model call")

    monkeypatch.setattr(judge_module, "render_judge_prompt", broken)
    out = CliRunner().invoke(main, ["calibrate", str(logs), "--labels", str(labels),
                                    "--regrade", "--grader", "mockllm/model"])
    assert isinstance(out.exception, ConnectionError) and out.exit_code == 1
