"""LaTeX answers made readable: lenient spellings repaired, decorations cut, and (for checks with
matrices) LaTeX turned into the plain grammar so that products keep their order.

Security: LaTeX is parsed by latex2sympy2_extended, an ANTLR grammar whose visitor builds sympy
objects with constructors. Verified by reading its source (latex2sympy2.py, logic.py, sets.py,
math_normalization.py) and math_verify's `verify` path (grader.py): the only `parse_expr` call is
on `variable_values`, which psetbench never passes; `sympify` is applied only to objects the
visitor already built (And/FiniteSet arguments); `verify` compares sympy objects and falls back
to plain string equality, never to parsing. math_verify's `parse` is not used: its expression
extraction calls `parse_expr`. As a second wall, `guard` refuses Python-looking text (dunders,
`import`, `lambda`) before any parser sees it.
"""

from __future__ import annotations

import re

from psetbench.checks._parse_plain import GrammarError

_DUNDER = re.compile(r"__|\bimport\b|\blambda\b")

# (pattern, replacement) applied in order to every LaTeX candidate.
_LENIENT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\\[dtc]frac(?![A-Za-z])"), r"\\frac"),
    (re.compile(r"\\frac\s*(\d)\s*(\d)"), r"\\frac{\1}{\2}"),  # \frac13
    (re.compile(r"\\frac\s*(\d)\s*(?=\{)"), r"\\frac{\1}"),  # \frac3{3}
    (re.compile(r"\\frac\s*(\{[^{}]*\})\s*(\d)"), r"\\frac\1{\2}"),  # \frac{9}4
    (re.compile(r"\\sqrt\s*(\d+|[A-Za-z])(?![\w{])"), r"\\sqrt{\1}"),  # \sqrt3, \sqrt 2
    (re.compile(r"\\(?:textnormal|textrm|mbox)(?![A-Za-z])"), r"\\text"),
    (re.compile(r"\\(?:ell)(?![A-Za-z])"), "l"),
    (re.compile(r"ℓ"), "l"),
    (re.compile(r":="), "="),
    (re.compile(r"(?:\\q?quad|\\[,;]|\s)*\\text\s*\{\s*(?:and|or)\s*\}(?:\\q?quad|\\[,;]|\s)*"),
     ", "),
    (re.compile(r"\\(?:colon)?eqq(?![A-Za-z])|\\coloneqq(?![A-Za-z])|\\triangleq(?![A-Za-z])"),
     "="),
]
# Tails that are not part of the answer: a shape, a qualification, a closing stop.
_TAILS = [
    re.compile(r"\s*\\in\s*\\mathbb\s*\{?\s*[RCNZQ]\s*\}?(?:\s*\^\s*(?:\{.*\}|\S+))?\s*$", re.S),
    re.compile(r"\s*(?:\\q?quad|\\,|\\;|~|\s)+\(?\s*\\text\s*\{[^{}]*\}\s*\)?\s*$"),
    re.compile(r"\s*(?:\\q?quad)\s*\(.*\)\s*$"),
    re.compile(r"(?:\s|\\[,;!: ]|\\q?quad)*[.,;:]*$"),
]
_APPROX = re.compile(r"\\approx|\\simeq|≈|\\sim(?![A-Za-z])")


def guard(text: str) -> None:
    """Refuse text that looks like Python, whatever parser comes next (defense in depth)."""
    if _DUNDER.search(text):
        raise GrammarError("Python-like text (a dunder, import or lambda) is not math")


def lenient(text: str) -> str:
    """'\\frac13' -> '\\frac{1}{3}', '\\sqrt3' -> '\\sqrt{3}', ':=' -> '=', tails cut."""
    for pattern, replacement in _LENIENT:
        text = pattern.sub(replacement, text)
    for tail in _TAILS:
        text = tail.sub("", text)
    return exact_before_approx(text).strip()


def exact_before_approx(text: str) -> str:
    """'x = 1/3 \\approx 0.33' -> 'x = 1/3': the exact value, not the rounded one.
    'x \\approx 11' (nothing exact) -> 'x = 11'."""
    m = _APPROX.search(text)
    if m is None:
        return text
    if "=" in text[: m.start()]:
        return text[: m.start()].rstrip()
    return text[: m.start()] + "=" + _APPROX.split(text[m.end():])[0]


_TO_PLAIN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\\(?:left|right|displaystyle|mathbf|boldsymbol|bm|mathbb|mathcal)"
                r"(?![A-Za-z])"), ""),
    (re.compile(r"\\(?:[,;:! ]|q?quad(?![A-Za-z]))|~"), " "),
    (re.compile(r"\^\s*\{?\s*(?:\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\\mathrm\s*\{\s*T\s*\}"
                r"|T)\s*\}?(?![A-Za-z0-9_])"), "'"),
    (re.compile(r"_\s*\{?\s*\\(?:text|mathrm|mathit|operatorname|rm)\s*\{\s*([^{}]*?)\s*\}(?:\s*\})?"),
     r"_\1"),
    (re.compile(r"\\(?:text|mathrm|mathit|operatorname)\s*\{\s*([^{}]*?)\s*\}"), r"\1"),
    (re.compile(r"_\s*\{\s*([A-Za-z0-9]+)\s*\}"), r"_\1"),
    (re.compile(r"\\(?:cdot|times)(?![A-Za-z])"), "*"),
    (re.compile(r"\\(?:le|leq)(?![A-Za-z])"), "<="),
    (re.compile(r"\\(?:ge|geq)(?![A-Za-z])"), ">="),
    (re.compile(r"\\(?:ne|neq)(?![A-Za-z])"), "!="),
    (re.compile(r"\\infty(?![A-Za-z])"), "oo"),
    (re.compile(r"\\([A-Za-z]+)"), r" \1 "),  # \alpha, \sqrt, \exp: the grammar's names
    (re.compile(r"\{"), "("),
    (re.compile(r"\}"), ")"),
]
_FRAC = re.compile(r"\\frac\s*(?=\{)")


def to_plain(text: str) -> str:
    """LaTeX in the plain grammar, for checks with matrices: 'W_{\\text{U}} W_E^\\top' ->
    "W_U W_E'". latex2sympy would make every symbol commutative and lose the order."""
    text = _fracs(text)
    for pattern, replacement in _TO_PLAIN:
        text = pattern.sub(replacement, text)
    return text


def _fracs(text: str) -> str:
    """'\\frac{a}{b}' -> '{a}/{b}' (braces balanced, nested fractions too)."""
    while (m := _FRAC.search(text)) is not None:
        first_end = _group_end(text, m.end())
        second_end = _group_end(text, first_end)
        if first_end < 0 or second_end < 0:
            raise GrammarError("an unbalanced \\frac")
        text = (text[: m.start()] + "{" + text[m.end(): first_end] + "/"
                + text[first_end: second_end] + "}" + text[second_end:])
    return text


def _group_end(text: str, start: int) -> int:
    """The index after the brace group opening at `start`, or -1."""
    if start >= len(text) or text[start] != "{":
        return -1
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return -1
