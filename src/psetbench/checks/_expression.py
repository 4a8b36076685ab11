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
MAX_CHARS = 2000  # longer than any final answer; bounds the worker's parsing
PLAIN = 0  # an "= ..." right-hand side outside math: the least reliable place

_TEXT_CMD = r"\\(?:text|mathrm|textrm|mbox|textbf|textnormal|textit)"
_TRAILING_TEXT = re.compile(
    r"(?:\s|\\[,;!: ]|~)*" + _TEXT_CMD + r"\s*\{(?P<w>[^{}]*)\}[\s.,;]*$")
_TEXT_WORD = re.compile(_TEXT_CMD + r"\s*\{([^{}]*)\}")
_PLAIN_RHS = re.compile(r"=\s*(?P<rhs>[^=\n]*?[A-Za-z0-9)}][^=\n]*?)\s*$")
_PLAIN_TAIL = re.compile(r"(?:\s+[A-Za-z][a-z]{2,}\b[.,;:]?)+\s*$")
_JOINER = re.compile(
    r"[\s,;}$]*(?:\\q?quad|\\text\{\s*and\s*\}|and|[\s,;$])*[\s,;$]*(?:\\boxed\{)?")
# A final answer stated in prose: "the volume is 120.", "Final Answer: the largest n is 34".
_PROSE_FINAL = re.compile(
    r"\b(?:is|are|equals|gives|get|of)\s*:?\s*\**\s*(?P<v>[-−]?\d[\d,]*(?:\.\d+)?(?:/\d+)?)"
    r"(?![\d.,]*\d)(?P<tail>(?:\s*[A-Za-z%€$£²³]+)?)\s*\**\s*[.!]?\s*$")


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


def _clean(text: str) -> tuple[str, str] | None:
    """(expression, trailing words dropped). Relations are kept whole: the worker reads a chain
    'L = A = B' and compares its last side, as math-verify does.

    None when a unit is left inside: math-verify would drop it silently ("3 km" == "3 m"), or
    when the text is too long to be a final answer.
    """
    text = text.strip().rstrip(".,;:").strip()
    dropped: list[str] = []
    while (m := _TRAILING_TEXT.search(text)) is not None:
        dropped.insert(0, m["w"].strip())
        text = text[: m.start()].strip()
    for word in _TEXT_WORD.findall(text):
        if any(term(w) is not None for w in re.findall(r"[A-Za-z$%]+", word)):
            return None
    if len(text) > MAX_CHARS:
        return None
    return (text, " ".join(dropped)) if text else None


def _prose_finals(answer: str, line: str, offset: int) -> list[_Candidate]:
    """Numbers a sentence ends on ("the volume is 120."), ranked where their line is."""
    out: list[_Candidate] = []
    start = 0
    for sentence in re.split(r"(?<=[.!?])\s+", line):
        pos = line.find(sentence, start)
        start = pos + len(sentence)
        if (m := _PROSE_FINAL.search(sentence)) is not None:
            at = offset + pos + m.start("v")
            value = m["v"].replace("−", "-")
            found = re.sub(r"(?<=\d),(?=\d{3}\b)", "", value)
            out.append(_Candidate(found, False, _tier_at(answer, at), at, m["tail"].strip()))
    return out


def _boxed(answer: str) -> list[_Candidate]:
    """Each \\boxed{...}; boxes a few words apart ('\\boxed{1} and \\boxed{2}') also together,
    as one list: an answer given in several boxes."""
    spans = boxed_spans(answer)
    out = [_Candidate(answer[s:e], True, BOXED, s) for s, e in spans]
    run: list[tuple[int, int]] = []
    for span in spans:
        if run and not _JOINER.fullmatch(answer[run[-1][1]: span[0]]):
            out += _joined(answer, run)
            run = []
        run.append(span)
    return out + _joined(answer, run)


def _joined(answer: str, run: list[tuple[int, int]]) -> list[_Candidate]:
    if len(run) < 2:
        return []
    text = ", ".join(answer[s:e] for s, e in run)
    return [_Candidate(text, True, BOXED, run[-1][0] + 1)]


def _bare(answer: str) -> list[_Candidate]:
    """A reply that is only a short answer ('-5', '7,425,000', '28 percent'), no math marks."""
    text = answer.strip()
    if "\n" in text or "$" in text or len(text) > 40 or not re.search(r"\d", text):
        return []
    return [_Candidate(text.rstrip(".").strip(), False, BODY, 0)]


def reference_text(answer: str) -> str:
    """A check's `answer` as the worker reads it: written like a reply ('$[0,1)$ miles',
    '\\boxed{...}'), its most final expression; else as it is."""
    if not re.search(r"\$|\\boxed|\\\(|\\\[", answer):
        return answer
    found = extract_candidates(answer)
    return found[0].text if found else answer


def extract_candidates(answer: str) -> list[_Candidate]:
    """Expressions the answer writes, most final first."""
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    found += _boxed(answer)
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
        found += _prose_finals(answer, line, offset)
        offset += len(line) + 1
    found += _bare(answer)
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
    payload = {"reference": reference_text(check.answer), "variables": list(check.variables),
               "matrices": list(check.matrices),
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
             BODY: "the last expression written", PLAIN: "the last '= ...' or number stated"
             }[chosen.tier]
    if chosen.dropped:
        where += f"; left out {chosen.dropped!r}"
    if result["equal"]:
        return make(status=CheckStatus.passed, score=1.0, found=chosen.text,
                           matched="answer",
                           reason=f"took {chosen.text} ({where}); equivalent to {check.answer}")
    return make(status=CheckStatus.failed, score=0.0, found=chosen.text,
                       reason=f"took {chosen.text} ({where}); not equivalent to {check.answer}")
