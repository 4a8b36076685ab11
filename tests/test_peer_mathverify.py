"""An outside check of the expression check: Math-Verify's own test cases (shared/peer).

Each case's gold becomes an expression check's `answer`, its prediction the model's reply;
`expected` 1 means the check must pass, 0 that it must not. Cases are grouped by what the gold
is (a number, one expression, a set/tuple/interval, a relation, a matrix, a word); the groups
docs/checks.md says the expression check supports must agree with Math-Verify on >= 90%. Words
(`\\text{Evelyn}`, `E`, `odd`) are excluded: they are choice checks, not expressions.

Run `python tests/test_peer_mathverify.py` for the per-category table and every disagreement.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from psetbench.checks import check_expression
from psetbench.problemset import ExpressionCheck
from psetbench.types import CheckStatus

PEER = Path(__file__).resolve().parents[2] / "shared" / "peer" / "math-verify-cases.json"
SUPPORTED = ("number", "expression", "set/tuple/interval", "relation", "matrix")
# Words are choice checks; strict=False cases let math-verify rename variables (f(x) = f(y)),
# which psetbench never does.
EXCLUDED = ("word", "non-strict")
THRESHOLD = 0.90

_MATRIX = re.compile(r"\\begin\{[pbvB]?matrix\}|\\begin\{array\}")
_RELATION = re.compile(r"(?<![\\{])=|<|>|\\[lg]eq?\b|\\[lg]t\b|\\neq?\b|!=|\\in\b|:")
_SET = re.compile(r"\\cup|\\\{|\\pm|\[|\]|,|;|\band\b|\bor\b|\\boxed\{.*\\boxed")
_WORD = re.compile(r"(?:\\text\{\s*\(?([A-Za-z][A-Za-z ]*)\)?\s*\}|[A-Za-z]|odd|Even)")
_NUMBER = re.compile(r"-?(?:\d[\d.,]*|\\frac\{\d+\}\{\d+\}|\d+/\d+)\s*(?:\\?%|\^\\circ)?")
_BOXED = re.compile(r"\\+boxed\{")
_MATH = re.compile(r"\$+([^$]+)\$+|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def core(gold: str) -> str:
    """The gold's final answer: its last boxed content, else its last math, else all of it."""
    starts = list(_BOXED.finditer(gold))
    if len(starts) == 1:
        depth, i = 1, starts[0].end()
        while i < len(gold) and depth:
            depth += {"{": 1, "}": -1}.get(gold[i], 0)
            i += 1
        return gold[starts[0].end(): i - 1].strip()
    if len(starts) > 1:
        return gold.strip()
    maths = [next(g for g in m.groups() if g) for m in _MATH.finditer(gold)]
    return maths[-1].strip() if maths else gold.strip()


def category(gold: str, pred: str, strict: bool = True) -> str:
    """What the gold's final answer is (the reply's form is what is under test)."""
    if not strict:
        return "non-strict"
    answer = core(gold)
    if _MATRIX.search(answer):
        return "matrix"
    if _WORD.fullmatch(answer):
        return "word"
    if _RELATION.search(answer):
        return "relation"
    if _SET.search(re.sub(r"(?<=\d)\{?,\}?(?=\d{3}\b)", "", answer)):
        return "set/tuple/interval"
    if _NUMBER.fullmatch(answer):
        return "number"
    return "expression"


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(PEER.read_text(encoding="utf-8"))
    return cases


def agrees(case: dict[str, Any]) -> tuple[bool, str]:
    """(psetbench agrees with Math-Verify's label, the check's status and reason)."""
    check = ExpressionCheck(kind="expression", answer=case["gold"])
    result = check_expression(check, case["pred"])
    passed = result.status == CheckStatus.passed
    return passed == bool(case["expected"]), f"{result.status.value}: {result.reason}"


def tally(cases: list[dict[str, Any]]) -> dict[str, list[tuple[int, bool, str]]]:
    out: dict[str, list[tuple[int, bool, str]]] = defaultdict(list)
    for index, case in enumerate(cases):
        ok, why = agrees(case)
        out[category(case["gold"], case["pred"], case["strict"])].append((index, ok, why))
    return out


@pytest.fixture(scope="module")
def results() -> dict[str, list[tuple[int, bool, str]]]:
    if not PEER.is_file():
        pytest.skip(f"peer cases not found at {PEER} (CI clones the repo beside shared/)")
    return tally(load_cases())


def test_every_case_is_categorized(results: dict[str, list[tuple[int, bool, str]]]) -> None:
    assert set(results) <= set(SUPPORTED) | set(EXCLUDED), set(results)
    assert sum(len(v) for v in results.values()) == len(load_cases())


@pytest.mark.parametrize("name", SUPPORTED)
def test_agreement_with_math_verify(name: str,
                                    results: dict[str, list[tuple[int, bool, str]]]) -> None:
    rows = results.get(name, [])
    assert rows, f"no peer case in category {name!r}"
    share = sum(ok for _, ok, _ in rows) / len(rows)
    misses = [f"#{i}: {why}" for i, ok, why in rows if not ok]
    print(f"{name}: {share:.0%} of {len(rows)}")
    assert share >= THRESHOLD, f"{name}: {share:.0%} < {THRESHOLD:.0%}\n" + "\n".join(misses)


def main() -> None:  # pragma: no cover - a report for people
    cases = load_cases()
    results = tally(cases)
    for name, rows in sorted(results.items()):
        good = sum(ok for _, ok, _ in rows)
        flag = " (excluded)" if name in EXCLUDED else ""
        print(f"{name:20s} {good:3d}/{len(rows):3d} {good / len(rows):5.0%}{flag}")
    if "-v" in sys.argv:
        for name, rows in sorted(results.items()):
            for index, ok, why in rows:
                if not ok:
                    case = cases[index]
                    print(f"[{name}] #{index} exp={case['expected']} gold={case['gold'][:60]!r} "
                          f"pred={case['pred'][-80:]!r}\n    {why[:200]}")


if __name__ == "__main__":  # pragma: no cover
    main()
