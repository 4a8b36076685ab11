"""Plain-text math ('4k(m+l)', 'n*p*(1 - p)', 'W_U W_E T', 'x = 1, 2') read without running it.

Why hand-written: sympy's `parse_expr` / `sympify(str)` build their result by calling Python's
`eval` on the text, so a model's reply line `__import__('os').system(...)` would run. Here the
text is first cut into whitelisted tokens (numbers, names, operators; nothing else gets
through, so no string, attribute, subscript or keyword can reach the parser), implicit
multiplication is made explicit, and the result is parsed with `ast.parse(mode="eval")`, which
only builds a tree. `check_tree` accepts a small grammar (numbers, names, + - * / ** and
relations, calls of whitelisted functions by bare name, tuple/list/set displays) and rejects
everything else. Only `_build` (run in the worker, see `_symbolic`) turns the checked tree into
sympy objects, node by node, with constructors, never by evaluating text.

This module imports no sympy at load time: the problem-set loader uses `grammar_problem` to
reject a reference the grammar cannot read, cheaply.
"""

from __future__ import annotations

import ast
import itertools
import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 2000
MAX_DEPTH = 40  # brackets nested deeper than this are not homework answers

FUNCTIONS = frozenset({
    "sqrt", "exp", "log", "ln", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos",
    "atan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "Abs", "abs", "factorial",
    "binomial", "floor", "ceiling", "ceil", "min", "max", "Min", "Max", "transpose", "inverse",
})
CONSTANTS = frozenset({"pi", "e", "E", "oo", "inf", "infty", "infinity"})
# A name no reply can spell (the tokenizer refuses a trailing '_'): "'", '.T', 'ᵀ', and '^T'
# after a matrix become '** transposed_'.
TRANSPOSE = "transposed_"
# Half-open intervals '[a, b)' and '(a, b]', which Python cannot parse, become calls of these.
CLOSED_OPEN, OPEN_CLOSED = "interval_co_", "interval_oc_"
INTERNAL = frozenset({TRANSPOSE, CLOSED_OPEN, OPEN_CLOSED})

_TOKEN = re.compile(r"""
    (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)
  | (?P<name>[^\W\d][\w]*)
  | (?P<op>\*\*|:=|<=|>=|==|!=|[-+*/^(),=<>\[\]{}'±·×−≤≥≠;])
  | (?P<space>\s+)
""", re.X)
_OPS = {"−": "-", "·": "*", "×": "*", "^": "**", "≤": "<=", "≥": ">=", "≠": "!=", "=": "==",
        ":=": "==", "±": "%", ";": ","}
_BAD_NAME = re.compile(r"__|^_|_$")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.])\d{1,3}(?: \d{3})+\b")
_DECIMAL_COMMA = re.compile(r"-?(?:0,\d+|\d+,\d\d)")
_PERCENT = re.compile(r"(?<=\d)\s*(?:%|percent(?:age)?\b|pct\b)")


class GrammarError(ValueError):
    """The text is not an expression this grammar reads; the message says where."""


@dataclass(frozen=True)
class Token:
    kind: str  # num, name, op
    text: str


def tokenize(text: str, matrices: frozenset[str] = frozenset()) -> list[Token]:
    """Whitelisted tokens; anything else (quotes, dots, backslashes, '@') is an error."""
    if len(text) > MAX_CHARS:
        raise GrammarError(f"longer than {MAX_CHARS} characters")
    text = re.sub(r"(?<=[\w)])\.T\b", "'", text).replace("ᵀ", "'")  # numpy's X.T
    # Python reads identifiers in NFKC form ('＿＿import＿＿' is '__import__'): check that form.
    text = unicodedata.normalize("NFKC", text)
    if _DECIMAL_COMMA.fullmatch(text.strip()):
        text = text.replace(",", ".")  # '0,111', '1000,99': a decimal comma, as math-verify
    text = _THOUSANDS.sub(lambda m: re.sub(r"[, ]", "", m.group(0)), text)
    text = _PERCENT.sub("", text)  # '28 %' is 28: math-verify compares percents leniently
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise GrammarError(f"unexpected {text[pos]!r} at column {pos + 1}")
        pos = m.end()
        kind = m.lastgroup or "space"
        if kind == "space":
            continue
        value = m.group(0)
        if kind == "name" and _BAD_NAME.search(value):
            raise GrammarError(f"the name {value!r} is not allowed")
        if kind == "num":
            value = _plain_number(value)
        tokens.append(Token(kind, _OPS.get(value, value) if kind == "op" else value))
    for left, right in itertools.pairwise(tokens):
        if right.text == {"(": ")", "[": "]", "{": "}"}.get(left.text):
            raise GrammarError(f"empty brackets {left.text}{right.text} are not math")
    return _transposes(_half_open(tokens), matrices)


def _half_open(tokens: list[Token]) -> list[Token]:
    """'[0, 1)' -> 'interval_co_(0, 1)', '(0, 1]' -> 'interval_oc_(0, 1)'."""
    out = list(tokens)
    stack: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.text in ("(", "["):
            stack.append(i)
        elif tok.text in (")", "]") and stack:
            j = stack.pop()
            if (tokens[j].text == "[") != (tok.text == "]"):
                name = CLOSED_OPEN if tokens[j].text == "[" else OPEN_CLOSED
                out[j], out[i] = Token("call", name), Token("op", ")")
    return [t for tok in out for t in ([Token("name", tok.text), Token("op", "(")]
                                       if tok.kind == "call" else [tok])]


def _plain_number(text: str) -> str:
    """'004' -> '4' (Python rejects leading zeros; the value is what counts)."""
    head, dot, tail = text.partition(".")
    return (head.lstrip("0") or "0") + dot + tail if head.isdigit() else text


def _transposes(tokens: list[Token], matrices: frozenset[str]) -> list[Token]:
    """"X'" and 'X^T' after a matrix or bracket (if there are matrices) -> 'X ** transposed_'."""
    out: list[Token] = []
    for tok in tokens:
        if tok.text in ("'", TRANSPOSE):
            if not out:
                raise GrammarError("a transpose mark with nothing before it")
            out += [Token("op", "**"), Token("name", TRANSPOSE)]
        elif (tok.text == "T" and len(out) > 1 and out[-1].text == "**"
              and (out[-2].text in matrices or (matrices and out[-2].text in (")", TRANSPOSE)))):
            out.append(Token("name", TRANSPOSE))
        else:
            out.append(tok)
    return out


def _needs_times(left: Token, right: Token, functions: frozenset[str]) -> bool:
    left_atom = left.kind in ("num", "name") or left.text in (")", "]", "}")
    right_atom = right.kind in ("num", "name") or right.text in ("(",)
    if not (left_atom and right_atom):
        return False
    if left.kind == "name" and left.text in functions and right.text == "(":
        return False  # a call: sqrt(2)
    return not (left.kind == "num" and right.kind == "num")


def to_source(tokens: list[Token], variables: frozenset[str] = frozenset()) -> str:
    """Python source with explicit '*', ready for `ast.parse` (it contains only tokens)."""
    functions = (FUNCTIONS - variables) | {CLOSED_OPEN, OPEN_CLOSED}
    seq = _split_names(_words(tokens), variables)
    parts: list[str] = []
    prev: Token | None = None
    close_after = -1  # 'sin x' is 'sin(x)': the index of the bare call's one-token argument
    for index, tok in enumerate(seq):
        if prev is not None and _needs_times(prev, tok, functions):
            parts.append("*")
        if tok.text == "%" and (prev is None or prev.text in ("(", ",", "==", "[", "{")):
            parts.append("0")  # a leading '±2' is '0 ± 2'
        parts.append(tok.text)
        prev = tok
        if index == close_after:
            parts.append(")")
            prev = Token("op", ")")
        elif tok.kind == "name" and tok.text in functions:
            following = seq[index + 1] if index + 1 < len(seq) else None
            if following is None:
                raise GrammarError(f"{tok.text} without an argument")
            if following.kind in ("num", "name"):
                parts.append("(")
                prev, close_after = Token("op", "("), index + 1
    return " ".join(parts)


def _words(tokens: list[Token]) -> list[Token]:
    """'1, 2 and 3', '6 and 8', '(1,2) or (2,1)': the words are separators."""
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == "name" and tok.text in ("and", "or"):
            if out and out[-1].text != ",":
                out.append(Token("op", ","))
            continue
        out.append(tok)
    return out


def _split_names(tokens: list[Token], variables: frozenset[str]) -> list[Token]:
    """'km' -> 'k', 'm' when both are declared variables and 'km' is not."""
    out: list[Token] = []
    for tok in tokens:
        parts = _split(tok.text, variables) if tok.kind == "name" and variables else None
        out += [Token("name", p) for p in parts] if parts else [tok]
    return out


def _split(name: str, variables: frozenset[str]) -> list[str] | None:
    if name in variables or name in FUNCTIONS or name in CONSTANTS or name == TRANSPOSE:
        return None
    for cut in range(len(name) - 1, 0, -1):
        head, tail = name[:cut], name[cut:]
        if head in variables:
            rest = [tail] if tail in variables else _split(tail, variables)
            if rest:
                return [head, *rest]
    return None


_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod)
_ALLOWED_CMP = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def check_tree(node: ast.AST, depth: int = 0) -> None:
    """Raise GrammarError unless every node is in the whitelisted grammar."""
    if depth > MAX_DEPTH:
        raise GrammarError(f"nested deeper than {MAX_DEPTH}")
    if isinstance(node, ast.Expression):
        return check_tree(node.body, depth + 1)
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise GrammarError(f"{type(node.value).__name__} literals are not allowed")
        return None
    if isinstance(node, ast.Name):
        if node.id not in INTERNAL and _BAD_NAME.search(node.id):
            raise GrammarError(f"the name {node.id!r} is not allowed")
        return None
    children: list[ast.AST]
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ALLOWED_BINOPS):
        children = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        children = [node.operand]
    elif isinstance(node, ast.Compare) and all(isinstance(o, _ALLOWED_CMP) for o in node.ops):
        children = [node.left, *node.comparators]
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        children = list(node.elts)
        if any(isinstance(c, ast.Starred) for c in children):
            raise GrammarError("starred items are not allowed")
    elif isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS | INTERNAL):
            raise GrammarError("only calls of math functions (sqrt, log, sin, ...) by name")
        if node.keywords:
            raise GrammarError("keyword arguments are not allowed")
        children = list(node.args)
    else:
        raise GrammarError(f"{type(node).__name__} is not allowed in an expression")
    for child in children:
        check_tree(child, depth + 1)
    return None


def parse_tree(text: str, matrices: frozenset[str] = frozenset(),
               variables: frozenset[str] = frozenset()) -> tuple[ast.Expression, str]:
    """(checked tree, the source it was parsed from); GrammarError when it cannot be read."""
    source = to_source(tokenize(text, matrices), variables)
    if not source:
        raise GrammarError("empty expression")
    if _depth(source) > MAX_DEPTH:
        raise GrammarError(f"nested deeper than {MAX_DEPTH}")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise GrammarError(f"not an expression ({getattr(exc, 'msg', exc)})") from None
    check_tree(tree)
    return tree, source


def _depth(source: str) -> int:
    depth = deepest = 0
    for ch in source:
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


def grammar_problem(text: str) -> str | None:
    """Why a plain (non-LaTeX) reference cannot be read, or None. No sympy is imported."""
    try:
        parse_tree(text)
    except GrammarError as exc:
        return str(exc)
    return None


_PYTHONISH = re.compile(r"__|\bimport\b|\blambda\b|\b(?:eval|exec|compile|getattr|setattr|globals|"
                        r"locals|vars|open|breakpoint|input|print|system|popen)\s*\(")


def expression_problem(text: str) -> str | None:
    """Why a check's reference cannot be read, or None; cheap (no sympy). LaTeX is left to the
    grader (latex2sympy) except for Python-looking text, which no reference needs."""
    if _PYTHONISH.search(text):
        return "looks like Python code, not math (names with '__', import, lambda, calls " \
               "such as eval/getattr/open are refused)"
    if re.search(r"[\\{}$]", text):
        return None
    why = grammar_problem(text)
    return f"cannot be read as an expression: {why}" if why else None
