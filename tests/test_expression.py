"""The expression check, class by class: matrices, spellings, sets and relations, lenient LaTeX,
finals stated in prose, exact values before '≈', unreadable finals, and the plain grammar."""

from __future__ import annotations

from typing import Any

import pytest

from psetbench.checks import check_expression
from psetbench.checks._parse_plain import GrammarError, expression_problem, parse_tree
from psetbench.problemset import ExpressionCheck
from psetbench.types import CheckStatus

PASSED, FAILED = CheckStatus.passed, CheckStatus.failed
UNADDRESSED, UNGRADED = CheckStatus.unaddressed, CheckStatus.ungraded


def expr(answer: str, **kw: Any) -> ExpressionCheck:
    return ExpressionCheck(kind="expression", answer=answer, **kw)


def grade(check: ExpressionCheck, reply: str) -> CheckStatus:
    result = check_expression(check, reply)
    assert result.reason, "every result says why"
    return result.status


# --- matrices: products keep their order, transposes and inverses count --------------------

LOGITS = expr("W_U W_E T", matrices=["W_U", "W_E", "T"])
QK = expr("W_Q^T W_K", matrices=["W_Q", "W_K"])
INV = expr("A^{-1} B", matrices=["A", "B"])


@pytest.mark.parametrize(("check", "reply", "status"), [
    (LOGITS, "$$L = W_U X^0 = W_U W_E T.$$", PASSED),
    (LOGITS, "So the **final expression**: $L = W_U W_E T$", PASSED),
    (LOGITS, "$W_E W_U T$", FAILED),
    (LOGITS, "L = W_U W_E T", PASSED),
    (LOGITS, "L = W_E W_U T", FAILED),
    (QK, r"$$W_{QK} := W_Q^\top W_K \in \mathbb{R}^{d_{\text{model}} \times d_{\text{model}}}$$",
     PASSED),
    (QK, "$$W_{QK} = W_Q W_K$$", FAILED),  # the transpose is missing
    (QK, "$W_K^\\top W_Q$", FAILED),
    (QK, "$(W_K^\\top W_Q)^\\top$", PASSED),  # (A^T B)^T = B^T A
    (QK, "$W_Q^{T} W_K$", PASSED),
    (QK, "$W_Q^{\\top} W_K \\quad (\\text{a bilinear form})$", PASSED),
    (QK, "W_QK = W_Qᵀ W_K", PASSED),
    (QK, "W_QK = W_Q.T W_K", PASSED),
    (QK, "W_QK = W_Q' W_K", PASSED),
    (INV, "$A^{-1}B$", PASSED),
    (INV, "$B A^{-1}$", FAILED),
])
def test_matrices(check: ExpressionCheck, reply: str, status: CheckStatus) -> None:
    assert grade(check, reply) == status


# --- declared variables in their usual spellings ---------------------------------------------

@pytest.mark.parametrize(("check", "reply"), [
    (expr("4*k*(m + l)", variables=["k", "m", "l"]), r"$4k(m+\ell)$"),
    (expr("4*k*(m + l)", variables=["k", "m", "l"]), "$4k(m+ℓ)$"),
    (LOGITS, "$W_{U} W_{E} T$"),
    (LOGITS, r"$W_\text{U} W_\text{E} T$"),
    (LOGITS, r"$W_{\text{U}} W_{\mathrm{E}} T$"),
    (LOGITS, r"$W_\mathrm{U} W_E T$"),
    (expr("2*d_model**2", variables=["d_model"]), r"$2 d_{\text{model}}^2$"),
    (expr("2*d_model**2", variables=["d_model"]), r"$2 d_\text{model}^2$"),
])
def test_spellings(check: ExpressionCheck, reply: str) -> None:
    assert grade(check, reply) == PASSED


# --- tuples, sets, intervals, ±, equations and relations -------------------------------------

@pytest.mark.parametrize(("reference", "reply", "status"), [
    ("(1, 2)", "$(1, 2)$", PASSED),
    ("(1, 2)", "$(2, 1)$", FAILED),  # a tuple's order counts
    ("{1, 2}", r"$\{2, 1\}$", PASSED),  # a set's does not
    ("[0, 1)", "$[0,1)$", PASSED),
    ("[0, 1)", "$[0,1]$", FAILED),
    ("(0, 1]", r"$\left(0, 1\right]$", PASSED),
    ("1 ± sqrt(19)", r"$x = \boxed{1 \pm \sqrt{19}}$", PASSED),
    ("1 ± sqrt(19)", r"$\{1+\sqrt{19}, 1-\sqrt{19}\}$", PASSED),
    ("1 ± sqrt(19)", r"$1+\sqrt{19}$", FAILED),
    ("x = 2", "so $x = 2$", PASSED),
    ("y = 2x + 1", "$2x - y + 1 = 0$", PASSED),
    ("x >= 5", r"$5 \leq x$", PASSED),
    ("x > 5", "$x < 5$", FAILED),
    ("11", "$x = 5+5+1 = 7 = 11$", PASSED),  # a chain: the last side
    ("1, 2, 3", r"$\boxed{1}, \boxed{2}, \boxed{3}$", PASSED),
])
def test_sets_and_relations(reference: str, reply: str, status: CheckStatus) -> None:
    assert grade(expr(reference), reply) == status


# --- lenient LaTeX, finals in prose, rounding, leading zeros ---------------------------------

@pytest.mark.parametrize(("reference", "reply", "status"), [
    ("1/3", r"$\frac13$", PASSED),
    ("1", r"$\frac3{3}$", PASSED),
    ("sqrt(3)", r"$\sqrt3$", PASSED),
    ("sqrt(2) + sqrt(5)", r"The answer is $\boxed{\sqrt 2+\sqrt 5}$", PASSED),
    ("1/3", r"$\dfrac{1}{3}$", PASSED),
    ("1/3", r"$\tfrac{1}{3}$", PASSED),
    ("120", "We add the pieces. So the volume is 120.", PASSED),
    ("120", "We add the pieces. So the volume is 121.", FAILED),
    ("34", "Final Answer: The largest $n$ is 34.", PASSED),
    ("1/3", r"$x = \frac{1}{3} \approx 0.333$", PASSED),
    ("0.333", r"$x = \frac{1}{3} \approx 0.333$", FAILED),  # the exact value is graded
    ("4", r"the answer should be $\boxed{004}$", PASSED),
    ("2045", "The answer is $204_5$.", FAILED),  # base 5, not 2045
    ("7425000", "7,425,000", PASSED),
    ("10455", r"$\boxed{255}$ then ... Final Answer: The final answer is $10,455$.", PASSED),
])
def test_reading_the_final_answer(reference: str, reply: str, status: CheckStatus) -> None:
    assert grade(expr(reference), reply) == status


def test_an_unreadable_final_answer_is_ungraded_not_an_earlier_line() -> None:
    check = expr("4*k*(m + l)", variables=["k", "m", "l"])
    result = check_expression(check, r"First $4k(m+l)$. Final: $\frac{{$")
    assert result.status == UNGRADED and "could not read" in result.reason


def test_the_reason_names_what_was_taken() -> None:
    result = check_expression(LOGITS, "$$L = W_U X^0 = W_U W_E T.$$")
    assert result.found == "L = W_U X^0 = W_U W_E T" and "took" in result.reason


def test_an_oversized_expression_is_not_compared() -> None:
    check = expr("4*k*(m + l)", variables=["k", "m", "l"])
    assert grade(check, "$" + "k+" * 1500 + "k$") == UNADDRESSED


def test_a_huge_power_is_refused_not_computed() -> None:
    assert grade(expr("2"), "x = 9**9**9**9") == UNGRADED


# --- the plain grammar and the loader's check --------------------------------------------------

@pytest.mark.parametrize(("text", "source"), [
    ("4k(m+l)", "4 * k * ( m + l )"),
    ("W_U W_E T", "W_U * W_E * T"),
    ("2x^2", "2 * x ** 2"),
    ("sin x + 1", "sin ( x ) + 1"),
    ("004", "4"),
    ("7,425,000", "7425000"),
    ("0,111", "0.111"),
    ("28 %", "28"),
])
def test_implicit_multiplication_and_numbers(text: str, source: str) -> None:
    assert parse_tree(text)[1] == source


def test_declared_variables_split_run_together_names() -> None:
    assert parse_tree("4km", variables=frozenset({"k", "m"}))[1] == "4 * k * m"
    assert parse_tree("4km")[1] == "4 * km"


@pytest.mark.parametrize(("reference", "ok"), [
    ("4*k*(m + l)", True),
    (r"\frac{1}{3}", True),  # LaTeX is read by latex2sympy in the grader
    ("4*k*(m + l", False),
    ("a.b", False),
    ("x[0]", False),
])
def test_loader_check_of_references(reference: str, ok: bool) -> None:
    assert (expression_problem(reference) is None) == ok


def test_nesting_is_bounded() -> None:
    with pytest.raises(GrammarError, match="nested"):
        parse_tree("(" * 60 + "1" + ")" * 60)


# --- the expression that answers the check's ask ---------------------------------------------

LABELLED = expr("W_U W_E T", matrices=["W_U", "W_E", "T"], label="logits L")


@pytest.mark.parametrize(("reply", "status"), [
    # a later step or a regenerated fragment does not replace the stated answer
    ("$$L = W_U X^0 = W_U W_E T$$\n\nThen again: Step 1, $$X^0 = W_E T$$", PASSED),
    ("$L = W_U W_E T$ ... $X^{0} = W_{E} T$", PASSED),
    # the answer's own last word about L decides
    ("$L = W_U W_E T$, no wait: $L = W_E W_U T$", FAILED),
    ("$$X^0 = W_E T$$", FAILED),  # L is never stated: the last expression is graded
])
def test_the_expression_stating_the_asked_symbol(reply: str, status: CheckStatus) -> None:
    assert grade(LABELLED, reply) == status
