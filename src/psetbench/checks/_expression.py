"""The expression check: is the answer's final closed form equivalent to the reference?"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from psetbench.types import CheckResult, CheckStatus

if TYPE_CHECKING:  # the kind's settings live in kinds/ (which imports this module)
    from psetbench.checks.kinds.expression import ExpressionCheck

METHOD = "expression/math-verify"
TARGET = "psetbench.checks._symbolic:compare"
MAX_CANDIDATES = 8
MAX_CHARS = 2000  # longer than any final answer; bounds the worker's parsing
PLAIN = 0  # an "= ..." right-hand side outside math: the least reliable place

_TEXT_CMD = r"\\(?:text|mathrm|textrm|mbox|textbf|textnormal|textit)"
_TRAILING_TEXT = re.compile(
    r"(?:\s|\\[,;!: ]|~)*" + _TEXT_CMD + r"\s*\{(?P<w>[^{}]*)\}[\s.,;]*$")
_TEXT_WORD = re.compile(_TEXT_CMD + r"\s*\{([^{}]*)\}")
_SUBSCRIPT_TEXT = re.compile(r"_\s*\{?\s*" + _TEXT_CMD + r"\s*\{[^{}]*\}\s*\}?")
_PLAIN_RHS = re.compile(r"=\s*(?P<rhs>[^=\n]*?[A-Za-z0-9)}][^=\n]*?)\s*$")
_PLAIN_TAIL = re.compile(r"(?:\s+[A-Za-z][a-z]{2,}\b[.,;:]?)+\s*$")
_BARE = re.compile(r"[$€£]?\s*(?P<v>[-−]?[\d.][\d., ]*)\s*(?P<tail>%|percent|pct|[$€£])?\.?")
_BARE_LATEX = re.compile(r"[-+]?\\[A-Za-z]+\{[^\n$]{0,80}")
_NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?(?![\d.,]*\d)")
_REFERENCE_JOINER = re.compile(r"\s*(?:,|;|and|or)?\s*(?:,|;|and|or)?\s*")
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")
# '$ 9 $', '$\\frac13 $': spaced inline math that the money-safe pattern leaves out; taken
# only when it holds LaTeX or a bare number, never words ('costs $5 and $10').
_LOOSE_INLINE = re.compile(r"(?<![\\$])\$(?!\$)[ \t]*((?:\\.|[^$\n])+?)[ \t]*\$(?!\d)")
_MATHY = re.compile(r".*\\[A-Za-z].*|[-+]?[\d(](?:[-+\d.,/()^ ]*[\d)])?")
_JOINER = re.compile(
    r"[\s,;}$]*(?:\\[()\[\]]|\\q?quad|\\text\{\s*and\s*\}|(?:[A-Za-z]+\s+)?and|[\s,;$])*"
    r"[\s,;$]*(?:\\boxed\{)?")
# A final answer stated in prose: "the volume is 120.", "Final Answer: the largest n is 34".
_PROSE_FINAL = re.compile(
    r"(?:\b(?:is|are|was|were|be|equals|gives|get|of|by|to)|'s)\s*:?\s*\**\s*"
    r"(?P<v>[-−]?\d[\d,]*(?:\.\d+)?(?:/\d+)?)"
    r"(?![\d.,]*\d)(?P<tail>(?:\s*[A-Za-z%€$£²³]+)?)\s*\**\s*[.!]?\s*$")


@dataclass(frozen=True)
class _Candidate:
    text: str
    latex: bool
    tier: int
    order: int
    dropped: str = ""  # trailing words or unit left out, e.g. "bytes"


def _tier_at(answer: str, pos: int) -> int:
    """How final the text at `pos` is: inside bold, or on a line or in a sentence that starts
    'Answer'/'Final answer' (ANSWER), 'So'/'Therefore' (CONCLUSION), else BODY."""
    line_start = answer.rfind("\n", 0, pos) + 1
    line_end = answer.find("\n", pos)
    line = answer[line_start: line_end if line_end >= 0 else len(answer)]
    offset = pos - line_start
    if any(m.start() <= offset < m.end() for m in BOLD.finditer(line)):
        return ANSWER
    stops = [m.end() for m in _SENTENCE_END.finditer(line, 0, offset)]
    heads = [MARKUP.sub("", line), line[stops[-1]:]] if stops else [MARKUP.sub("", line)]
    if any(ANSWER_LINE.match(h) for h in heads):
        return ANSWER
    if any(CONCLUSION_LINE.match(h) for h in heads):
        return CONCLUSION
    return BODY


def _rank(c: _Candidate) -> tuple[int, int]:
    """Boxed and stated-as-final rank alike; then the later one wins ('\\boxed{255} ...
    Final Answer: $10,455$' is 10,455)."""
    return (ANSWER if c.tier == BOXED else c.tier, c.order)


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
    for word in _TEXT_WORD.findall(_SUBSCRIPT_TEXT.sub("_x", text)):  # W_\text{U} is a name
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
            at, value, tail = offset + pos + m.start("v"), m["v"], m["tail"].strip()
        elif ANSWER_LINE.match(MARKUP.sub("", sentence)) and (n := _last_number(sentence)):
            at, value, tail = offset + pos + n.start(), n.group(0), ""  # 'Final Answer: ... 3 h'
        else:
            continue
        value = re.sub(r"(?<=\d),(?=\d{3}\b)", "", value.replace("−", "-"))
        out.append(_Candidate(value, False, _tier_at(answer, at), at, tail))
    return out


def _last_number(sentence: str) -> re.Match[str] | None:
    found = list(_NUMBER.finditer(sentence))
    return found[-1] if found else None


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
    """A reply that is only a number ('-5', '7,425,000', '$1,000.99', '28 percent') or only a
    short LaTeX expression without delimiters ('\\frac{10}{9}')."""
    text = answer.strip()
    if (m := _BARE.fullmatch(text)) is not None:
        return [_Candidate(m["v"], False, BODY, 0, m["tail"] or "")]
    if _BARE_LATEX.fullmatch(text):
        return [_Candidate(text, True, BODY, 0)]
    return []


def reference_text(answer: str) -> str:
    """A check's `answer` as the worker reads it: written like a reply ('$[0,1)$ miles',
    '\\boxed{...}'), its most final expression; else as it is."""
    if not re.search(r"\$|\\boxed|\\\(|\\\[", answer):
        return answer
    spans = list(INLINE_MATH.finditer(answer))
    gaps = [answer[a.end(): b.start()] for a, b in itertools.pairwise(spans)]
    if len(spans) > 1 and all(_REFERENCE_JOINER.fullmatch(g) for g in gaps) \
            and not (answer[: spans[0].start()] + answer[spans[-1].end():]).strip(" ."):
        return "$" + ", ".join(m[1] or m[2] for m in spans) + "$"  # "$1$ and $2$ or $3$"
    found = extract_candidates(answer)
    if not found:
        return answer
    return f"${found[0].text}$" if found[0].latex else found[0].text


def extract_candidates(answer: str, label: str | None = None) -> list[_Candidate]:
    """Expressions the answer writes, most final first (those stating the label's symbol
    first, see `_answering`)."""
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    found += _boxed(answer)
    for pattern in (DISPLAY_MATH, INLINE_MATH, _LOOSE_INLINE):
        for m in pattern.finditer(answer):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if pattern is _LOOSE_INLINE and not _MATHY.fullmatch(m[1]):
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
    for c in sorted(found, key=_rank, reverse=True):
        cleaned = _clean(c.text)
        if cleaned is None or cleaned[0] in seen:
            continue
        seen.add(cleaned[0])
        out.append(_Candidate(cleaned[0], c.latex, c.tier, c.order, cleaned[1] or c.dropped))
    return _answering(out, label)[:MAX_CANDIDATES]


_SYMBOL = re.compile(r"^[A-Za-z](?:_\{?\w+\}?|\^\{?\w+\}?)*$")
_NAME_NOISE = re.compile(r"\\(?:text|mathrm|mathit|operatorname)|[{}\s$\\]")
_RELATION = re.compile(r":=|=|\\approx|≈")


def _answering(candidates: list[_Candidate], label: str | None) -> list[_Candidate]:
    """The candidates that answer the check's ask first: a check labelled "logits L" is
    answered by "L = W_U W_E T", not by a later "X^0 = W_E T" (a step, or a fragment of a
    regenerated answer). Most final first within each group; unchanged when the label names
    no symbol or no candidate states one."""
    asked = {_NAME_NOISE.sub("", w) for w in (label or "").split() if _SYMBOL.match(w)}
    if not asked:
        return candidates

    def states(c: _Candidate) -> bool:
        parts = _RELATION.split(c.text, maxsplit=1)
        return len(parts) == 2 and _NAME_NOISE.sub("", parts[0]) in asked

    first = [c for c in candidates if states(c)]
    return first + [c for c in candidates if not states(c)] if first else candidates


def check_expression(check: ExpressionCheck, answer: str, timeout: float = 5.0) -> CheckResult:
    """Symbolic equivalence of the answer's final expression with the reference.

    Runs in a worker process with a timeout: a hung simplification ends as `ungraded`.
    """
    make = functools.partial(CheckResult, kind="expression", label=check.label,
                             weight=check.weight, method=METHOD, expected=check.answer)
    candidates = extract_candidates(answer, check.label)
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
