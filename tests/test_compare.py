"""Head-to-head comparison: grades decide first, a two-order judge settles ties, paired stats."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
from scipy.stats import binomtest

from psetbench.compare import (
    CompareError,
    Comparison,
    compare_runs,
    format_comparison,
    label_mismatch,
    paired_stats,
)
from psetbench.compare._pairwise import Preference
from psetbench.grading import Run
from psetbench.types import PartGrade, Verdict
from tests.test_judge import Call, ScriptedJudge, answer_block, prefer, pset

ANSWERS_A = {
    ("1", "a"): ("The weights take 2 TB.", Verdict.correct, 1.0),
    ("1", "b"): ("About 10 GPUs.", Verdict.incorrect, 0.0),
    ("2", "a"): ("Both gradients are zero at the start, so nothing moves.", Verdict.correct, 1.0),
    ("2", "b"): ("Fewer trainable parameters.", Verdict.correct, 1.0),
}
ANSWERS_B = {
    ("1", "a"): ("The weights take 1 TB.", Verdict.incorrect, 0.0),
    ("1", "b"): ("2 TB / 80 GB = 25 GPUs.", Verdict.correct, 1.0),
    ("2", "a"): ("Training stalls because the product AB stays zero and both gradients are "
                 "zero.", Verdict.correct, 1.0),
    ("2", "b"): ("It is cheaper to store.", Verdict.correct, 1.0),
}


def make_run(name: str, answers: dict[tuple[str, str], tuple[str, Verdict, float]],
             *, set_id: str | None = None) -> Run:
    problem_set = pset()
    if set_id:
        problem_set = problem_set.model_copy(update={"id": set_id})
    grades = [
        PartGrade(set_id=problem_set.id, question=q, part=p, model=f"mockllm/{name}",
                  strategy=name, verdict=verdict, score=score,
                  points=problem_set.part(q, p).points, reason="scripted", grader="checks",
                  answer=text)
        for (q, p), (text, verdict, score) in answers.items()
    ]
    return Run(path=f"{name}.eval", pset=problem_set, strategy=name, model=f"mockllm/{name}",
               status="success", prompt="default", grades=grades)


def compare(a: Run, b: Run, judge: ScriptedJudge | None = None, **kw: object) -> Comparison:
    model = judge.model() if judge else None
    return asyncio.run(compare_runs(a, b, judge=model, cache=False, **kw))  # type: ignore[arg-type]


def row(c: Comparison, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in c.parts if r.key == key)


# --- grades decide first; without a judge, ties stay ties --------------------------------------

def test_grades_decide_and_ties_stay_ties_without_a_judge() -> None:
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B))
    assert [(r.key, r.winner, r.decided_by) for r in c.parts] == [
        ("1(a)", "A", "grades"), ("1(b)", "B", "grades"), ("2(a)", "tie", "none"),
        ("2(b)", "tie", "none")]
    assert row(c, "1(b)").reason == "A scored 0/2, B 2/2"
    assert (c.wins_a, c.wins_b, c.ties, c.judged, c.flips) == (1, 1, 2, 0, 0)
    assert row(c, "1(a)").length_a == len(ANSWERS_A[("1", "a")][0])
    assert row(c, "2(a)").length_b == len(ANSWERS_B[("2", "a")][0])


def _prefers_gradients(call: Call) -> str:
    """A consistent judge: prefers the answer that mentions gradients, wherever it is shown."""
    prompt = call.first_prompt
    first, second = answer_block(prompt, "first_answer"), answer_block(prompt, "second_answer")
    if ("AB stays zero" in first) == ("AB stays zero" in second):
        return prefer("tie")
    return prefer("first" if "AB stays zero" in first else "second")


def test_a_consistent_judge_decides_a_tie_in_both_orders() -> None:
    judge = ScriptedJudge(respond=_prefers_gradients)
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B), judge)
    r = row(c, "2(a)")
    assert (r.winner, r.decided_by, r.flipped, r.judged) == ("B", "judge", False, True)
    assert [a.order for a in r.asks] == ["AB", "BA"]
    assert [a.preferred for a in r.asks] == ["second", "first"]  # same answer, both orders
    assert row(c, "2(b)").winner == "tie"  # the judge itself called it a tie
    assert row(c, "1(a)").judged is False  # grades decided; the judge was not asked
    assert len(judge.calls) == 4 and c.judged == 2 and c.flips == 0 and c.flip_rate == 0.0
    # both answers sit inside their delimiters, in both orders
    shown = {(answer_block(x.first_prompt, "first_answer"),
              answer_block(x.first_prompt, "second_answer")) for x in judge.calls}
    assert (ANSWERS_A[("2", "a")][0], ANSWERS_B[("2", "a")][0]) in shown
    assert (ANSWERS_B[("2", "a")][0], ANSWERS_A[("2", "a")][0]) in shown


def test_an_order_dependent_preference_becomes_a_tie_and_counts_as_a_flip() -> None:
    always_first = ScriptedJudge(respond=lambda _: prefer("first"))
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B), always_first)
    for key in ("2(a)", "2(b)"):
        r = row(c, key)
        assert (r.winner, r.flipped, r.decided_by) == ("tie", True, "none")
        assert "flipped" in r.reason
    assert (c.wins_a, c.wins_b, c.ties) == (1, 1, 2)
    assert c.flips == 2 and c.flip_rate == 1.0 and c.inconsistent == 0


def test_a_reason_naming_the_other_answer_is_reasked_then_inconsistent() -> None:
    mismatched = prefer("first", "The second answer is better because it derives the gradients.")
    judge = ScriptedJudge(respond=lambda _: mismatched)
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B), judge)
    r = row(c, "2(a)")
    assert (r.winner, r.inconsistent, r.flipped) == ("tie", True, False)
    assert [a.attempts for a in r.asks] == [2, 2]  # each order re-asked once
    assert len(judge.calls) == 8 and c.inconsistent == 2 and c.flip_rate is None
    retry = next(x for x in judge.calls if len(x.messages) > 2).messages[-1].text
    assert retry.startswith("Your comparison was rejected")
    assert "does not name the first answer" in retry


def test_a_reask_that_fixes_the_label_is_accepted() -> None:
    def respond(call: Call) -> str:  # wrong label at first, right once re-asked
        retried = len(call.messages) > 2
        return prefer("first") if retried else prefer("first", "The second answer is better.")
    judge = ScriptedJudge(respond=respond)
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B), judge)
    assert c.inconsistent == 0 and c.flips == 2  # always "first": consistent labels, flipped


@pytest.mark.parametrize(("preferred", "reason", "bad"), [
    ("first", "The first answer is better: it reaches 25 GPUs.", False),
    ("first", "Unlike the second, the first answer justifies each step.", False),
    ("first", "The second answer is better because it derives the gradients.", True),
    ("second", "It derives the gradients.", True),
    ("tie", "A tie: both are equally correct.", False),
    ("tie", "The first answer is better.", True),
])
def test_label_mismatch(preferred: str, reason: str, bad: bool) -> None:
    pref = Preference(critique="c", preferred=preferred, reason=reason)  # type: ignore[arg-type]
    assert (label_mismatch(pref) is not None) is bad


def test_pairwise_all_keeps_grade_decisions_and_records_disagreement() -> None:
    always_b = ScriptedJudge(respond=lambda c: prefer(
        "first" if "1 TB" in answer_block(c.first_prompt, "first_answer") else "second"))
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B), always_b, pairwise="all")
    r = row(c, "1(a)")  # A scored 1/1, B 0/1; the judge prefers B's "1 TB"
    assert (r.winner, r.decided_by, r.judged, r.judge_winner) == ("A", "grades", True, "B")
    assert r.judge_disagrees and "the judge prefers B" in r.reason
    assert c.judged == 4


def test_padding_does_not_win_without_a_judge_and_lengths_are_shown() -> None:
    padded = dict(ANSWERS_A)
    text, verdict, score = padded[("1", "a")]
    padded[("1", "a")] = (text + " The weights take 2 TB." * 5, verdict, score)
    c = compare(make_run("A", padded), make_run("B", ANSWERS_A))
    r = row(c, "1(a)")
    assert r.winner == "tie" and r.length_a > r.length_b
    assert f"| {r.length_a} | {r.length_b} |" in format_comparison(c)


def test_ungraded_parts_are_not_decided_by_their_zero() -> None:
    ungraded = dict(ANSWERS_B)
    ungraded[("1", "a")] = ("The weights take 2 TB.", Verdict.ungraded, 0.0)
    c = compare(make_run("A", ANSWERS_A), make_run("B", ungraded))
    r = row(c, "1(a)")
    assert r.winner == "tie" and "B ungraded" in r.reason
    assert c.unscored == 1 and c.stats.n_parts == 3


def test_runs_of_different_sets_are_a_one_line_error() -> None:
    with pytest.raises(CompareError) as err:
        compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B, set_id="other-set"))
    message = str(err.value)
    assert "\n" not in message and "'judge-set'" in message and "'other-set'" in message


def test_unmatched_parts_are_listed() -> None:
    fewer = {k: v for k, v in ANSWERS_B.items() if k != ("2", "b")}
    c = compare(make_run("A", ANSWERS_A), make_run("B", fewer))
    assert c.unmatched == ["2(b)"] and len(c.parts) == 3


# --- statistics --------------------------------------------------------------------------------

def test_comparison_statistics_match_scipy() -> None:
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B))
    s = c.stats
    assert (s.n_parts, s.n_questions, s.sign_a, s.sign_b) == (4, 2, 1, 1)
    assert s.mean_diff == 0.0
    assert s.sign_p == pytest.approx(binomtest(1, 2, 0.5).pvalue)
    assert (s.mcnemar_a, s.mcnemar_b) == (1, 1)


def test_sign_test_p_value_against_scipy() -> None:
    diffs = {"1": [1.0, 0.5, 0.0], "2": [1.0, -1.0], "3": [0.25, 1.0, 1.0], "4": [0.0, 0.5]}
    s = paired_stats(diffs, n_boot=500, correct_pairs=[(True, False)] * 5 + [(False, True)])
    assert (s.sign_a, s.sign_b, s.n_parts) == (7, 1, 10)
    assert s.sign_p == pytest.approx(binomtest(7, 8, 0.5, alternative="two-sided").pvalue)
    assert s.mcnemar_p == pytest.approx(binomtest(5, 6, 0.5).pvalue)


def _clustered(true_mean: float, questions: int, seed: int) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {}
    for q in range(questions):
        effect = rng.normal(0.0, 0.2)  # parts of one question move together
        out[str(q)] = [float(true_mean + effect + rng.normal(0.0, 0.1)) for _ in range(3)]
    return out


def test_clustered_bootstrap_interval_contains_the_true_mean() -> None:
    diffs = _clustered(0.2, questions=60, seed=3)
    s = paired_stats(diffs, n_boot=2000, seed=0)
    assert s.ci_low is not None and s.ci_high is not None and s.mean_diff is not None
    assert s.ci_low < 0.2 < s.ci_high
    assert s.ci_low < s.mean_diff < s.ci_high
    assert s.ci_high - s.ci_low < 0.2
    assert paired_stats(diffs, n_boot=2000, seed=0) == s  # seeded: reproducible


def test_the_interval_resamples_questions_not_parts() -> None:
    # Each question repeated as 50 identical parts: an interval over parts would shrink ~7x;
    # clustered by question it stays as wide as with one part per question.
    one = {str(q): [d] for q, d in enumerate([0.9, -0.3, 0.4, 0.1, -0.6, 0.8, 0.2, 0.0])}
    many = {q: ds * 50 for q, ds in one.items()}
    a, b = paired_stats(one, seed=1), paired_stats(many, seed=1)
    assert a.ci_low == b.ci_low and a.ci_high == b.ci_high


def test_one_question_gives_no_interval_and_says_why() -> None:
    s = paired_stats({"1": [0.5, 1.0]})
    assert s.ci_low is None and s.ci_note and "two questions" in s.ci_note
    assert s.mean_diff == 0.75


# --- output ------------------------------------------------------------------------------------

def test_format_and_json() -> None:
    judge = ScriptedJudge(respond=lambda _: prefer("first"))
    c = compare(make_run("A", ANSWERS_A), make_run("B", ANSWERS_B), judge)
    text = format_comparison(c)
    assert "| part | A | B | len A | len B | winner | by | reason |" in text
    assert "| 1(b) | 0/2 incorrect | 2/2 correct |" in text
    assert "A wins 1, B wins 1, ties 2" in text
    assert "flip rate 100%" in text and "[flipped]" in text
    assert "sign test" in text and "McNemar" in text and "95% CI" in text
    data = json.loads(json.dumps(c.to_dict()))
    assert data["flips"] == 2 and data["parts"][0]["winner"] == "A"
    assert Comparison.model_validate(data) == c

