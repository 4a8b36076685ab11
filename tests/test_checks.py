"""The deterministic checks: unit traps, final-answer selection, choices, expressions, points."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest

from psetbench.checks import _expression as expression_module
from psetbench.checks import (
    check_choice,
    check_expression,
    check_keypoints,
    check_numeric,
    run_check,
    run_checks,
)
from psetbench.problemset import (
    ChoiceCheck,
    ExpressionCheck,
    KeypointsCheck,
    NumericAlternative,
    NumericCheck,
    Part,
)
from psetbench.types import CheckResult, CheckStatus

PASSED, PARTIAL, FAILED = CheckStatus.passed, CheckStatus.partial, CheckStatus.failed
UNADDRESSED, UNGRADED = CheckStatus.unaddressed, CheckStatus.ungraded


def numeric(answer: float | str, unit: str | None = None, **kw: Any) -> NumericCheck:
    return NumericCheck(kind="numeric", answer=answer, unit=unit, **kw)


# --- numeric: the unit traps -------------------------------------------------------------

@pytest.mark.parametrize(("reference", "answer", "status"), [
    ("2 TB", "The weights take 2 Tb.", FAILED),  # terabit: 8x too small
    ("2 TB", "16e12", UNADDRESSED),  # a bare number is not a data size
    ("312 TFLOP/s", "The A100 peaks at 312 TFLOPs in bf16.", PASSED),  # FLOPs read as a rate
    ("2 TB", "That is 2,000 GB.", PASSED),
    ("2 TB", "That is 200 TB.", FAILED),
    ("1.7e15 FLOP", r"$C = 1.7 \times 10^{15}\,\text{FLOP}$", PASSED),
    ("1.5 USD/hour", "It costs $1.50/hour.", PASSED),
    ("2 TB", "About 2 TiB.", FAILED),  # 10% off: binary is not decimal
    ("2 TB", "Roughly 2e12 bytes.", PASSED),
    ("2 TB", "2 TB", PASSED),
    ("1e30 FLOP", "~1e30 FLOPs", PASSED),  # FLOPs read as a count for a count reference
    ("1.98 PFLOP/s", "1.98 petaFLOPS", PASSED),
    ("2 TB", "The weights need 2 TB/s of bandwidth.", UNADDRESSED),  # a rate, not a size
])
def test_unit_traps(reference: str, answer: str, status: CheckStatus) -> None:
    result = check_numeric(numeric(reference), answer)
    assert result.status == status, result.reason
    assert result.method == "numeric/pint"


@pytest.mark.parametrize(("reference", "answer"), [
    ("6e9 token", "We need ~6e9 tokens."),
    ("6e23 FLOP", r"$C \approx 6 \times 10^{23}\ \mathrm{FLOP}$"),
    ("2000 GB", r"$2{,}000\,\text{GB}$"),
    ("1e24 FLOP", r"Compute: $10^{24}$ FLOP"),
    ("1.5 USD/hour", r"The rate is \$1.50 per hour."),
    ("1.7e15 FLOP", "C ≈ 1.7 × 10¹⁵ FLOP"),
    ("200e9 token", "Train on 200 billion tokens."),
    ("70e9 parameter", "A 70B-parameter model has 70B parameters."),
])
def test_answers_in_latex_and_words(reference: str, answer: str) -> None:
    result = check_numeric(numeric(reference), answer)
    assert result.status == PASSED, result.reason


def test_numeric_checks_never_load_sympy() -> None:
    code = ("import sys\n"
            "from psetbench.checks import check_numeric\n"
            "from psetbench.problemset import NumericCheck\n"
            "check_numeric(NumericCheck(kind='numeric', answer='2 TB'), 'It is 2 TB.')\n"
            "print('sympy' in sys.modules, 'math_verify' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]


def test_gpu_hours_are_a_product() -> None:
    result = check_numeric(numeric(1000, "GPU*hour"), "Total: 1000 GPU-hours")
    assert result.status == PASSED and result.found == "1000 GPU-hours"


def test_terabit_reason_names_the_conversion() -> None:
    result = check_numeric(numeric("2 TB"), "The weights take 2 Tb.")
    assert result.score == 0.0 and result.found == "2 Tb"
    assert "0.25 TB" in result.reason and "8x too small" in result.reason


def test_bare_number_for_a_data_size_is_unaddressed_and_says_why() -> None:
    result = check_numeric(numeric("2 TB"), "16e12")
    assert result.score == 0.0 and result.found is None
    assert "no unit" in result.reason and "16e12" in result.reason


def test_no_number_at_all_is_unaddressed() -> None:
    result = check_numeric(numeric("2 TB"), "It is big.")
    assert result.status == UNADDRESSED and "no number" in result.reason


# --- numeric: which value is the answer --------------------------------------------------

def test_final_value_decides_over_an_earlier_right_one() -> None:
    result = check_numeric(numeric("2 TB"),
                           "Memory is 2 TB. Wait, with optimizer state it is 16 TB total.")
    assert result.status == FAILED and result.found == "16 TB"
    assert "2 TB also appears" in result.reason


def test_boxed_beats_a_later_value() -> None:
    answer = (r"$$M = 10^{12} \times 2\,\text{B} = \boxed{2\,\text{TB}}$$ An 80 GB GPU is "
              "smaller; 160 GB would be two.")
    result = check_numeric(numeric("2 TB"), answer)
    assert result.status == PASSED and "boxed" in result.reason


def test_bold_beats_a_later_value() -> None:
    result = check_numeric(numeric("2 TB"), "So **2,000 GB** in all. (Compare 80 GB per GPU.)")
    assert result.status == PASSED and result.found == "2,000 GB"


def test_answer_line_beats_body() -> None:
    answer = "Answer: 25 GPUs\nEach has 80 GB, and a spare 3 GPUs is common."
    result = check_numeric(numeric(25, "GPU"), answer)
    assert result.status == PASSED and result.found == "25 GPUs"


def test_value_only_compared_against_is_not_the_answer() -> None:
    answer = "1e12 params × 2 bytes = 2e12 bytes = 2 TB. That is more than an 80 GB GPU holds."
    result = check_numeric(numeric("2 TB"), answer)
    assert result.status == PASSED and result.found == "2 TB"


def test_wrong_dimension_values_are_skipped() -> None:
    answer = "Training uses 6e23 FLOP on 1000 GPUs over 30 days, costing $2M, so 2 TB of weights."
    assert check_numeric(numeric("2 TB"), answer).status == PASSED
    assert check_numeric(numeric("30 day"), answer).status == PASSED
    assert check_numeric(numeric(1000, "GPU"), answer).status == PASSED
    assert check_numeric(numeric("2e6 USD"), answer).status == PASSED


def test_gpu_model_name_between_number_and_unit() -> None:
    assert check_numeric(numeric(8, "GPU"), "You need 8 H100 GPUs.").status == PASSED


def test_bare_number_counts_for_a_count_reference() -> None:
    result = check_numeric(numeric(25, "GPU"), "We need 25.")
    assert result.status == PASSED and "no unit given" in result.reason


def test_count_answer_for_a_dimensionless_reference() -> None:
    assert check_numeric(numeric(25), "We need 25 GPUs.").status == PASSED


def test_percent_and_fraction_agree() -> None:
    assert check_numeric(numeric("5%"), "The overhead is 0.05 of the total.").status == PASSED
    assert check_numeric(numeric(0.05), "The overhead is 5%.").status == PASSED


def test_a_range_is_read_with_both_ends() -> None:
    result = check_numeric(numeric(2e24, "FLOP", orders=0.3), "Roughly 1–3 × 10^24 FLOP.")
    assert result.status == PASSED and result.found == "1-3 × 10^24 FLOP"


def test_reason_quotes_the_value_and_its_sentence() -> None:
    result = check_numeric(numeric("2 TB"), "Weights: 1e12 × 2 B. So the total is 2 TB. Done.")
    assert "took 2 TB" in result.reason and "“So the total is 2 TB.”" in result.reason


# --- numeric: several asks of one part ---------------------------------------------------

PF_PART = Part(
    id="a", solution="-",
    prompt="How many FLOP are in one petaFLOP/s-day, and how much compute does the 100T "
           "model need? Is it feasible?",
    checks=[numeric(8.64e19, "FLOP", label="FLOP per petaFLOP-day"),
            numeric(1e30, "FLOP", label="100T model compute"),
            ChoiceCheck(kind="choice", answer="No", options=["Yes", "No"])])


@pytest.mark.parametrize("reply", [
    "One petaFLOP/s-day is 8.64e19 FLOP. The 100T model needs 1e30 FLOP. No.",
    "The 100T model needs 1e30 FLOP. One petaFLOP/s-day is 8.64e19 FLOP. No.",
    "**Answer:** 8.64e19 FLOP per PF-day; 1e30 FLOP for the 100T model. No.",
])
def test_run_checks_gives_each_ask_its_own_value(reply: str) -> None:
    results = run_checks(PF_PART, reply)
    assert [r.status for r in results] == [PASSED, PASSED, PASSED], [r.reason for r in results]
    assert [r.kind for r in results] == ["numeric", "numeric", "choice"]


def test_one_value_does_not_answer_two_asks() -> None:
    results = run_checks(PF_PART, "The 100T model needs 1e30 FLOP. No.")
    assert [r.status for r in results] == [UNADDRESSED, PASSED, PASSED]
    assert "not answered" in results[0].reason


def test_an_absent_count_is_not_answered_by_an_unrelated_number() -> None:
    part = Part(id="a", prompt="Latency per token, and tokens until the cache fills?",
                solution="-", checks=[numeric(43.75, "ms", label="latency per token"),
                                      numeric(74176, "token", label="tokens until full")])
    results = run_checks(part, "With 96 layers the latency is 43.75 ms per token.")
    assert [r.status for r in results] == [PASSED, UNADDRESSED]
    assert "not answered" in results[1].reason and "96" not in results[1].reason


def test_a_restated_given_is_not_the_answer() -> None:
    part = Part(id="a", prompt="The weights take 350 GB. How much memory do one token's "
                "activations take?", solution="-",
                checks=[numeric(4.72, "MB", label="activations")])
    result = run_checks(part, "The weights take 350 GB, far more than anything else.")[0]
    assert result.status == UNADDRESSED and "restates" in result.reason


# --- numeric: tolerance, sign, alternatives ----------------------------------------------

def test_default_tolerance_is_two_percent() -> None:
    assert check_numeric(numeric(100), "101").status == PASSED
    assert check_numeric(numeric(100), "103").status == FAILED


def test_rel_tol_widens_the_band() -> None:
    assert check_numeric(numeric(100, rel_tol=0.05), "104").status == PASSED


@pytest.mark.parametrize(("answer", "status", "score"), [
    ("About 5.9e23 FLOPs.", PASSED, 1.0),
    ("About 1e24 FLOPs.", PASSED, 1.0),  # within 2x
    ("About 3e24 FLOPs.", PARTIAL, 0.5),  # 5x: within 10x of the band
    ("About 3e26 FLOPs.", FAILED, 0.0),  # 500x
    ("About 6e20 FLOPs.", FAILED, 0.0),
])
def test_fermi_estimates_with_orders(answer: str, status: CheckStatus, score: float) -> None:
    result = check_numeric(numeric("6e23 FLOP", orders=0.3), answer)
    assert (result.status, result.score) == (status, score), result.reason


def test_sign_is_checked_first() -> None:
    assert check_numeric(numeric(-3.5), "The change is -3.5.").status == PASSED
    result = check_numeric(numeric(-3.5), "The change is 3.5.")
    assert result.status == FAILED and "sign" in result.reason
    assert check_numeric(numeric(-3.5, orders=1), "3.5").status == FAILED


def test_alternative_reading_is_reported() -> None:
    check = numeric("2 TB", alternatives=[NumericAlternative(answer="200 TB",
                                                             note="per-token reading")])
    result = check_numeric(check, "It comes to 200 TB.")
    assert result.status == PASSED and result.matched == "per-token reading"
    main = check_numeric(check, "It comes to 2 TB.")
    assert main.status == PASSED and main.matched == "answer"
    wrong = check_numeric(check, "It comes to 20 TB.")
    assert wrong.status == FAILED and wrong.matched is None


def test_alternative_with_its_own_unit() -> None:
    check = numeric(25, "GPU", alternatives=[NumericAlternative(answer=2, unit="TB",
                                                                note="memory instead")])
    assert check_numeric(check, "You need 2 TB.").matched == "memory instead"


def test_unreadable_reference_is_ungraded_not_failed() -> None:
    result = check_numeric(numeric(2, "fooB"), "2 TB")
    assert result.status == UNGRADED and "fooB" in result.reason


def test_result_carries_the_check_fields() -> None:
    check = numeric("2 TB", label="weight bytes", weight=2.0)
    result = check_numeric(check, "2 TB")
    assert (result.kind, result.label, result.weight, result.expected) == (
        "numeric", "weight bytes", 2.0, "2 TB")
    assert result.matched == "answer" and result.found == "2 TB" and result.score == 1.0


# --- choice ----------------------------------------------------------------------------

def choice(answer: str, options: list[str] | None = None) -> ChoiceCheck:
    return ChoiceCheck(kind="choice", answer=answer, options=options)


@pytest.mark.parametrize(("answer", "status"), [
    ("**True**. Because the weights need 2 TB.", PASSED),
    ("Answer: True", PASSED),
    ("The statement is true.", PASSED),
    ("This is not true: 2 TB is too much.", FAILED),  # "not true" is False
    ("False. It would be true only with 8-bit weights.", FAILED),  # the opening word decides
    ("True or false? Consider the memory. The claim is false.", FAILED),
    (r"$\boxed{\text{False}}$", FAILED),
    ("The claim is incorrect.", FAILED),
    ("Hmm, I think so.", UNADDRESSED),
])
def test_true_false(answer: str, status: CheckStatus) -> None:
    result = check_choice(choice("True"), answer)
    assert result.status == status, result.reason
    assert result.method == "choice"


@pytest.mark.parametrize(("answer", "status"), [
    ("No, it does not fit.", PASSED),
    ("Yes — 2 TB fits easily.", FAILED),
    ("It cannot. So the answer is no.", PASSED),
    ("There is no way to tell.", UNADDRESSED),  # a stray "no" is not an answer
    ("**No**", PASSED),
    ("False: it does not fit.", PASSED),  # yes/no and true/false are interchangeable
])
def test_yes_no(answer: str, status: CheckStatus) -> None:
    assert check_choice(choice("No"), answer).status == status


@pytest.mark.parametrize(("answer", "status"), [
    ("The answer is (B).", PASSED),
    ("Answer: C", FAILED),
    ("B) is right because the others overcount.", PASSED),
    ("I'd pick a different approach. **B**", PASSED),
    ("A good choice is hard to make.", UNADDRESSED),  # the article "A" is not option A
    (r"\boxed{D}", FAILED),
])
def test_letters(answer: str, status: CheckStatus) -> None:
    assert check_choice(choice("B", ["A", "B", "C", "D"]), answer).status == status


def test_named_options() -> None:
    check = choice("decreases", ["increases", "decreases"])
    assert check_choice(check, "The loss **decreases**.").status == PASSED
    assert check_choice(check, "It increases at first.").status == FAILED


# --- expression ------------------------------------------------------------------------

LORA = ExpressionCheck(kind="expression", answer="4*k*(m + l)", variables=["k", "m", "l"])


@pytest.mark.parametrize(("answer", "status"), [
    ("$4k(l+m)$", PASSED),
    ("$4km + 4kl$", PASSED),
    ("$2k(m+l)$", FAILED),
    (r"$\frac{4k}{m+l}$", FAILED),
    (r"The total is $M = 4k(m+l)\text{ bytes}$.", PASSED),
    ("Memory = 4k(m+l) bytes", PASSED),
    (r"$$\boxed{4k(m + l)}$$ where $k$ is the rank", PASSED),
    (r"First $4km$, then $4kl$, so $4km + 4kl$ in all.", PASSED),
    (r"It is $4k(m+l)$... no wait, halve it: $2k(m+l)$.", FAILED),  # the final one decides
    ("I don't know.", UNADDRESSED),
])
def test_expression_equivalence(answer: str, status: CheckStatus) -> None:
    result = check_expression(LORA, answer)
    assert result.status == status, result.reason
    assert result.method == "expression/math-verify"


def test_expression_parse_failure_is_ungraded_not_failed() -> None:
    result = check_expression(LORA, r"$\frac{{{$")
    assert result.status == UNGRADED and "could not read" in result.reason


def test_expression_with_a_unit_inside_is_not_compared() -> None:
    result = check_expression(LORA, r"$4k(m+l)\text{ GB} + 3\text{ GB}$")
    assert result.status != PASSED


def test_expression_bad_reference_is_ungraded() -> None:
    bad = ExpressionCheck(kind="expression", answer=r"\frac{{", variables=["k"])
    assert check_expression(bad, "$k$").status == UNGRADED


def test_expression_latex_symbol_names_match_plain_names() -> None:
    check = ExpressionCheck(kind="expression", answer="2*d_model**2", variables=["d_model"])
    assert check_expression(check, r"$2 d_{\text{model}}^2$").status == PASSED


def _hang(payload: object) -> None:
    """Runs in the worker process: a computation that never ends."""
    time.sleep(3600)


def test_hung_comparison_ends_as_ungraded_and_the_worker_recovers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(expression_module, "TARGET", f"{__name__}:_hang")
    result = check_expression(LORA, "$4k(m+l)$", timeout=1.0)
    assert result.status == UNGRADED and "timed out" in result.reason
    monkeypatch.undo()
    assert check_expression(LORA, "$4k(m+l)$").status == PASSED


# --- keypoints --------------------------------------------------------------------------

POINTS = KeypointsCheck(kind="keypoints", points=[
    "Both gradients are zero",
    "Training stalls because nothing updates",
    "The model has 7 billion parameters",
])


def test_keypoints_all_present() -> None:
    answer = ("With A=0 and B=0 both gradients vanish: each factor's gradient is zero, so "
              "training stalls since nothing updates. The 7 billion parameters stay frozen.")
    result = check_keypoints(POINTS, answer)
    assert result.status == PASSED and result.score == 1.0
    assert result.method == "keypoints/lexical"


def test_keypoints_partial_names_the_absent_points() -> None:
    result = check_keypoints(POINTS, "The gradients are zero, and the 7 billion parameter model "
                                     "is fine.")
    assert result.status == PARTIAL and result.score == pytest.approx(2 / 3)
    assert "Training stalls" in result.reason


def test_keypoints_not_fooled_by_one_word() -> None:
    assert check_keypoints(POINTS, "zero").status == FAILED
    assert check_keypoints(POINTS, "gradients").status == FAILED


def test_keypoints_numbers_must_match() -> None:
    result = check_keypoints(POINTS, "The model has 13 billion parameters.")
    assert "7 billion" in result.reason and result.status == FAILED


def test_keypoints_empty_answer_is_unaddressed() -> None:
    assert check_keypoints(POINTS, "...").status == UNADDRESSED


# --- dispatch ---------------------------------------------------------------------------

@pytest.mark.parametrize(("check", "answer", "kind"), [
    (numeric("2 TB"), "2 TB", "numeric"),
    (choice("True"), "True", "choice"),
    (LORA, "$4k(m+l)$", "expression"),
    (POINTS, "Both gradients are zero; training stalls as nothing updates; 7 billion "
             "parameters.", "keypoints"),
])
def test_run_check_dispatches(check: Any, answer: str, kind: str) -> None:
    result = run_check(check, answer)
    assert isinstance(result, CheckResult)
    assert result.kind == kind and result.status == PASSED


def test_key_point_stems_are_right_when_samples_grade_in_threads() -> None:
    """Runs grade samples in threads; a shared Snowball stemmer raised IndexError there."""
    import threading

    from psetbench.checks._keypoints import stem

    words = [f"concatenat{i}ionally" for i in range(8000)]
    expected = {w: stem.__wrapped__(w) for w in words}
    errors: list[str] = []
    found: dict[str, str] = {}

    def work(k: int) -> None:
        try:
            for w in words[k::4]:
                found[w] = stem.__wrapped__(w)
        except Exception as exc:  # any failure is the finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and found == expected
