"""The expression check: is the answer's final closed form equivalent to the reference?"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from psetbench.checks._text import (
    ANSWER,
    ANSWER_LINE,
    BODY,
    BOLD,
    BOXED,
    CONCLUSION,
    CONCLUSION_LINE,
    DISPLAY_MATH,
    INLINE_MATH,
    MARKUP,
    boxed_spans,
)
from psetbench.checks._units import term
from psetbench.checks._worker import WorkerError, WorkerTimeout, worker
from psetbench.problemset import ExpressionCheck
from psetbench.types import CheckResult, CheckStatus

METHOD = "expression/math-verify"
TARGET = "psetbench.checks._symbolic:compare"
MAX_CANDIDATES = 8
PLAIN = 0  # an "= ..." right-hand side outside math: the least reliable place

_TRAILING_TEXT = re.compile(
    r"(?:\s|\\[,;!: ]|~)*\\(?:text|mathrm|textrm|mbox)\s*\{(?P<w>[^{}]*)\}[\s.,;]*$")
_TEXT_WORD = re.compile(r"\\(?:text|mathrm|textrm|mbox)\s*\{([^{}]*)\}")
_PLAIN_RHS = re.compile(r"=\s*(?P<rhs>[^=\n]*?[A-Za-z0-9)}][^=\n]*?)\s*$")
_PLAIN_TAIL = re.compile(r"(?:\s+[A-Za-z][a-z]{2,}\b[.,;:]?)+\s*$")
_SPLIT_OR_BRACE = re.compile(r"[{}]|=|\\approx|\\equiv|≈")


@dataclass(frozen=True)
class _Candidate:
    text: str
    latex: bool
    tier: int
    order: int
    dropped: str = ""  # trailing words or unit left out, e.g. "bytes"


def _tier_at(answer: str, pos: int) -> int:
    line_start = answer.rfind("\n", 0, pos) + 1
    line_end = answer.find("\n", pos)
    line = answer[line_start: line_end if line_end >= 0 else len(answer)]
    offset = pos - line_start
    if any(m.start() <= offset < m.end() for m in BOLD.finditer(line)):
        return ANSWER
    head = MARKUP.sub("", line)
    if ANSWER_LINE.match(head):
        return ANSWER
    if CONCLUSION_LINE.match(head):
        return CONCLUSION
    return BODY


def _right_of_last_relation(text: str) -> str:
    """What follows the last '=' (or approx/equiv) outside braces: '\\sum_{i=1}' is kept."""
    depth, cut = 0, 0
    for m in _SPLIT_OR_BRACE.finditer(text):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            cut = m.end()
    return text[cut:]


def _clean(text: str) -> tuple[str, str] | None:
    """(expression, trailing words dropped), the right-hand side of the last '='.

    None when a unit is left inside: math-verify would drop it silently ("3 km" == "3 m").
    """
    text = _right_of_last_relation(text).strip().rstrip(".,;:").strip()
    dropped: list[str] = []
    while (m := _TRAILING_TEXT.search(text)) is not None:
        dropped.insert(0, m["w"].strip())
        text = text[: m.start()].strip()
    for word in _TEXT_WORD.findall(text):
        if any(term(w) is not None for w in re.findall(r"[A-Za-z$%]+", word)):
            return None
    return (text, " ".join(dropped)) if text else None


def extract_candidates(answer: str) -> list[_Candidate]:
    """Expressions the answer writes, most final first."""
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for start, end in boxed_spans(answer):
        found.append(_Candidate(answer[start:end], True, BOXED, start))
    for pattern in (DISPLAY_MATH, INLINE_MATH):
        for m in pattern.finditer(answer):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            body = next(g for g in m.groups() if g is not None)
            found.append(_Candidate(body, True, _tier_at(answer, m.start()), m.start()))
    masked = answer
    for s, e in taken:
        masked = masked[:s] + " " * (e - s) + masked[e:]
    offset = 0
    for line in masked.split("\n"):
        if (eq := _PLAIN_RHS.search(line)) is not None:
            tail = _PLAIN_TAIL.search(eq["rhs"])
            rhs = eq["rhs"][: tail.start() if tail else None].strip("*` ")
            if rhs:
                found.append(_Candidate(rhs, False, PLAIN, offset + eq.start(),
                                        tail.group(0).strip(" .,;:") if tail else ""))
        offset += len(line) + 1
    out: list[_Candidate] = []
    seen: set[str] = set()
    for c in sorted(found, key=lambda c: (c.tier, c.order), reverse=True):
        cleaned = _clean(c.text)
        if cleaned is None or cleaned[0] in seen:
            continue
        seen.add(cleaned[0])
        out.append(_Candidate(cleaned[0], c.latex, c.tier, c.order, cleaned[1] or c.dropped))
    return out[:MAX_CANDIDATES]


def check_expression(check: ExpressionCheck, answer: str, timeout: float = 5.0) -> CheckResult:
    """Symbolic equivalence of the answer's final expression with the reference.

    Runs in a worker process with a timeout: a hung simplification ends as `ungraded`.
    """
    make = functools.partial(CheckResult, kind="expression", label=check.label,
                             weight=check.weight, method=METHOD, expected=check.answer)
    candidates = extract_candidates(answer)
    if not candidates:
        return make(status=CheckStatus.unaddressed, score=0.0,
                           reason="the answer writes no expression ($...$, \\[...\\], "
                                  "\\boxed{...} or '= ...')")
    payload = {"reference": check.answer, "variables": list(check.variables),
               "candidates": [[c.text, c.latex] for c in candidates]}
    try:
        result = worker().call(TARGET, payload, timeout)
    except WorkerTimeout:
        return make(status=CheckStatus.ungraded, score=0.0,
                           reason=f"timed out after {timeout:g}s comparing the expressions")
    except WorkerError as exc:
        return make(status=CheckStatus.ungraded, score=0.0,
                           reason=f"the symbolic checker failed: {exc}")
    if "reference_error" in result:
        return make(status=CheckStatus.ungraded, score=0.0,
                           reason=f"the check's reference expression cannot be read "
                                  f"({result['reference_error']}); fix its answer field")
    if result["index"] is None:
        if result["skipped"]:
            names = ", ".join(check.variables) or "the reference's symbols"
            return make(status=CheckStatus.unaddressed, score=0.0,
                               reason=f"no expression in {names} found (saw "
                                      f"{', '.join(result['skipped'][:3])})")
        return make(status=CheckStatus.ungraded, score=0.0,
                           reason="could not read the answer's expression: "
                                  + "; ".join(result["errors"][:3]))
    chosen = candidates[result["index"]]
    where = {BOXED: "boxed", ANSWER: "bold or answer line", CONCLUSION: "conclusion",
             BODY: "the last expression written", PLAIN: "the last '= ...'"}[chosen.tier]
    if chosen.dropped:
        where += f"; left out {chosen.dropped!r}"
    if result["equal"]:
        return make(status=CheckStatus.passed, score=1.0, found=chosen.text,
                           matched="answer",
                           reason=f"took {chosen.text} ({where}); equivalent to {check.answer}")
    return make(status=CheckStatus.failed, score=0.0, found=chosen.text,
                       reason=f"took {chosen.text} ({where}); not equivalent to {check.answer}")
