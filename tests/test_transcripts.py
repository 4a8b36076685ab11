"""Real-transcript classes: answered another question, unsure splits, cross-question mapping,
chat-app model names, sub-parts against flat and nested sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.grading import grade_turns
from psetbench.importers import import_conversation
from psetbench.importers._match import match_turn
from psetbench.problemset import ProblemSet, load_problem_set
from psetbench.report import write_report
from psetbench.types import Verdict

HERE = Path(__file__).parent / "fixtures"
SIX_SEVEN = HERE / "transcripts" / "six_seven.yaml"
NESTED = HERE / "nested" / "nested.yaml"

SIX_AGAIN = """You said:
Question 6: Batch size
A training run uses 512 sequences of 2048 tokens per step.
(a) How many tokens are processed per step?
(b) How many steps does it take to process 1e9 tokens?

ChatGPT said:
Thought for 20s >

(a) 512 × 2048 = **1,048,576 tokens** per step.

(b) 10^9 / 1,048,576 ≈ **954 steps**.

You said:
Question 7: Learning rate
(a) Does doubling the batch size usually allow a larger learning rate? Answer Yes or No.

ChatGPT said:
Thought for 9s >

**Question 6 — Batch size**

(a) Tokens per step: 512 sequences × 2048 tokens per sequence = **1,048,576 tokens**.

(b) Steps for 10^9 tokens: 10^9 / 1,048,576 ≈ **954 steps** of training.
"""


def _pset(path: Path) -> ProblemSet:
    return load_problem_set(path).pset


def test_a_reply_to_another_question_leaves_the_asked_one_missing(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(SIX_AGAIN, encoding="utf-8")
    result = import_conversation([chat], SIX_SEVEN, log_dir=tmp_path / "logs")
    grades = {g.key: g for g in result.grades}
    assert grades["6(a)"].verdict == Verdict.correct
    seven = grades["7(a)"]
    assert seven.verdict == Verdict.missing and seven.absence == "another_question"
    assert "answered question 6" in seven.reason
    report = tmp_path / "report.md"
    assert result.run is not None
    write_report([result.run], report)
    text = report.read_text(encoding="utf-8")
    assert "Answered another question" in text and "7(a)" in text


def test_a_split_that_cannot_be_made_is_ungraded_not_missing() -> None:
    pset = _pset(SIX_SEVEN)
    reply = ("Tokens per step: the batch has 512 sequences and each has 2048 tokens, so each "
             "step sees 512 x 2048 of them, a little over a million in all, which is the number "
             "asked for here.\n\nAs for the steps, divide a billion by that and round up.")
    turn = {"parts": [["6", "a"], ["6", "b"]], "reply": reply}
    grades = grade_turns(pset, [("6", "a"), ("6", "b")], [turn], model="m", strategy="one-turn")
    assert {g.verdict for g in grades} <= {Verdict.ungraded, Verdict.correct, Verdict.partial,
                                           Verdict.incorrect}
    unlocated = [g for g in grades if g.verdict == Verdict.ungraded]
    assert all("--grader" in g.reason and g.absence == "unlocated" for g in unlocated)


def test_missing_needs_evidence_every_section_accounted_for() -> None:
    pset = _pset(SIX_SEVEN)
    turn = {"parts": [["6", "a"], ["6", "b"]], "reply": "(a) **1,048,576 tokens** per step."}
    grades = grade_turns(pset, [("6", "a"), ("6", "b")], [turn], model="m", strategy="one-turn")
    b = grades[1]
    assert b.verdict == Verdict.missing and b.absence == "unanswered"
    assert "answers (a) but not this part" in b.reason


def test_a_message_maps_only_to_the_question_it_is_about() -> None:
    pset = _pset(SIX_SEVEN)
    # names question 7 and shares "batch size" words with question 6's stem and prompts
    text = ("Question 7: Learning rate. With a bigger batch size (more tokens processed per "
            "step), does doubling the batch size usually allow a larger learning rate? Yes/No.")
    keys = [m.key for m in match_turn(text, pset, context=[])]
    assert keys == [("7", "a")]


def test_grading_a_log_imported_with_a_chat_app_model_name(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(SIX_AGAIN, encoding="utf-8")
    logs = tmp_path / "logs"
    runner = CliRunner()
    done = runner.invoke(main, ["import", str(chat), "--set", str(SIX_SEVEN),
                                "--model", "gpt-5-thinking", "--log-dir", str(logs)])
    assert done.exit_code == 0, done.output
    for args in (["grade", str(logs)], ["grades", str(logs), "--format", "jsonl"],
                 ["report", str(logs), "-o", str(tmp_path / "r.html")]):
        done = runner.invoke(main, args)
        assert done.exit_code == 0, (args, done.output)
        assert "Traceback" not in done.output
    rows = [json.loads(line) for line in done.output.splitlines() if line.startswith("{")] or [
        json.loads(line) for line in runner.invoke(
            main, ["grades", str(logs), "--format", "jsonl"]).output.splitlines()]
    assert {r["model"] for r in rows} == {"gpt-5-thinking"}


PER_PART_E = """You said:
(e) Formalizing Read and Write Subspaces via SVD
(i) Show that rank(W_OV) <= d_head.
(ii) With the SVD W_OV = U Sigma V^T, show that W_OV X_src = sum_k sigma_k (V_k^T X_src) U_k.
(iii) From this decomposition:
(a) What is the read subspace?
(b) What is the write subspace?
(c) What happens to the information in X_src that is orthogonal to the read subspace?
(iv) How does the read subspace relate to the value projection v = W_V X_src?
(v) Summarize how the SVD of W_OV characterizes the way a head moves information.

ChatGPT said:
Thought for 56s >

(i) rank(W_O W_V) <= min(rank W_O, rank W_V) <= d_head.

(ii) Expanding Sigma: W_OV X_src = sum_k sigma_k (V_k^T X_src) U_k.

(iii)
(a) The read subspace is span(V_1, ..., V_r).
(b) The write subspace is span(U_1, ..., U_r).
(c) Orthogonal information gives V_k^T x = 0 and is ignored.

(iv) The output is W_O v, so the read subspace lies in the row space of W_V.

(v) V reads, Sigma scales, U writes; the attention pattern picks the tokens.
"""


def test_restarted_labels_in_a_message_are_not_other_parts(tmp_path: Path) -> None:
    chat = tmp_path / "e.txt"
    chat.write_text(PER_PART_E, encoding="utf-8")
    flat = import_conversation([chat], NESTED, log_dir=tmp_path / "n",
                               dry_run=True)
    asked = [p["part"] for t in flat.turns for p in t.parts]
    assert asked == ["2(e)(i)", "2(e)(ii)", "2(e)(iii)(a)", "2(e)(iii)(b)", "2(e)(iii)(c)",
                     "2(e)(iv)", "2(e)(v)"]
    assert flat.strategy == "one-turn"


def test_a_reply_with_no_part_located_is_ungraded_not_missing() -> None:
    pset = _pset(SIX_SEVEN)
    turn = {"parts": [["6", "a"], ["6", "b"]], "reply": "Sure, see below."}
    grades = grade_turns(pset, [("6", "a"), ("6", "b")], [turn], model="m", strategy="one-turn")
    assert [g.verdict for g in grades] == [Verdict.ungraded, Verdict.ungraded]
    assert all(g.absence == "unlocated" and "--grader" in g.reason for g in grades)
    empty = grade_turns(pset, [("6", "a"), ("6", "b")], [{**turn, "reply": "  "}], model="m",
                        strategy="one-turn")
    assert [(g.verdict, g.absence) for g in empty] == [(Verdict.missing, "empty")] * 2


REALISTIC = HERE / "realistic"
EXPECTED = {
    "one-turn.txt": ("one-turn", {"3(a1)": "correct", "3(a2)": "correct", "3(b)": "correct",
                                  "3(c1)": "correct", "3(c2)": "correct",
                                  "4(a)": "not_asked", "4(b)": "not_asked"}),
    "per-part.txt": ("per-part", {"3(a1)": "correct", "3(a2)": "correct", "3(b)": "correct",
                                  "3(c1)": "correct", "3(c2)": "correct",
                                  "4(a)": "not_asked", "4(b)": "not_asked"}),
    "whole-set.txt": ("whole-set", {"3(a1)": "correct", "3(a2)": "correct", "3(b)": "correct",
                                    "3(c1)": "correct", "3(c2)": "correct",
                                    "4(a)": "correct", "4(b)": "correct"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_copied_conversations_with_sub_parts(name: str, tmp_path: Path) -> None:
    """Sub-parts asked inline ("(a) (i) ... (ii) ..."), answered with bold or dotted labels,
    a numbered list, a retracted first attempt, math closed after a space, a self-check."""
    strategy, want = EXPECTED[name]
    result = import_conversation([REALISTIC / name], REALISTIC / "fermi.yaml",
                                 log_dir=tmp_path, model="gpt-5-thinking")
    assert result.strategy == strategy
    got = {g.key: g.verdict.value for g in result.grades}
    assert got == want, {k: (g.verdict, g.reason) for g in result.grades
                         if (k := g.key) in got and got[k] != want.get(k)}
