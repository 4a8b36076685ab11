"""No text reaching the expression check is ever executed: replies and references alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from psetbench.checks import check_expression
from psetbench.checks._parse_plain import GrammarError, expression_problem, parse_tree
from psetbench.problemset import ExpressionCheck
from psetbench.types import CheckStatus
from tests.security.payloads import _TEMPLATES, assert_nothing_ran, payloads, wrapped

LORA = ExpressionCheck(kind="expression", answer="4*k*(m + l)", variables=["k", "m", "l"])


MATRICES = ExpressionCheck(kind="expression", answer="W_U W_E T", matrices=["W_U", "W_E", "T"])


@pytest.mark.parametrize("check", [LORA, MATRICES], ids=["plain", "matrices"])
@pytest.mark.parametrize("index", range(len(_TEMPLATES)))
def test_reply_payloads_never_run(index: int, check: ExpressionCheck, tmp_path: Path) -> None:
    payload = payloads(tmp_path)[index]
    for reply in wrapped(payload):
        result = check_expression(check, reply)
        assert result.status != CheckStatus.passed, (reply, result.reason)
    assert_nothing_ran(tmp_path)


@pytest.mark.parametrize("index", range(len(_TEMPLATES)))
def test_reference_payloads_never_run(index: int, tmp_path: Path) -> None:
    payload = payloads(tmp_path)[index]
    check = ExpressionCheck(kind="expression", answer=payload, variables=["k"])
    result = check_expression(check, "$4k$")
    assert result.status != CheckStatus.passed, result.reason
    assert_nothing_ran(tmp_path)


@pytest.mark.parametrize("index", range(len(_TEMPLATES)))
def test_the_loader_refuses_payload_references(index: int, tmp_path: Path) -> None:
    assert expression_problem(payloads(tmp_path)[index]) is not None


@pytest.mark.parametrize("text", [
    "().__class__", "x.y", "a[0]", "lambda: 1", "'abc'", "sqrt(*x)", "x if y else z", "not x",
    "True", "None", "x @ y", "x := 1 +", "__import__", "_private", "x_", "(1)(2)" * 400,
    "(" * 100 + "1" + ")" * 100, "9" * 3000, "a\\b", "`ls`", "x; import os",
])
def test_the_grammar_refuses_what_is_not_math(text: str) -> None:
    with pytest.raises(GrammarError):
        parse_tree(text)


def test_the_grammar_still_reads_math() -> None:
    for text in ["4k(m+l)", "n*p*(1 - p)", "W_U W_E T", "sqrt(2)/2", "x = 1", "1 < x <= 2",
                 "(1, 2)", "{1, 2}", "2^10", "sin x + cos(y)", "004"]:
        parse_tree(text, frozenset({"W_U", "W_E", "T"}), frozenset({"k", "m", "l"}))
