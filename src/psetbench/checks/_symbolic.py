"""Symbolic comparison, run inside the worker process (see `_worker`).

One parser for references and replies: plain text goes through the whitelisted grammar of
`_parse_plain` (nothing is ever evaluated), LaTeX through latex2sympy2_extended (an ANTLR
grammar; see `_parse_latex` for what was verified about it). For a check with `matrices` LaTeX
is rewritten into the plain grammar, where matrix symbols are non-commutative, so that
'W_E W_U T' differs from 'W_U W_E T'. math-verify's `verify` then decides equivalence of the
sympy objects; it handles relations, chains ('L = A = B': the last right-hand side), sets,
tuples and intervals as Math-Verify does. Symbol names are normalized on both sides
('d_{\\text{model}}' and 'd_model' are the same symbol, as are 'ℓ', '\\ell' and 'l').
"""

from __future__ import annotations

import logging
import re
from typing import Any

from psetbench.checks._parse_build import parse_plain
from psetbench.checks._parse_latex import guard, lenient, to_plain

_NAME_JUNK = re.compile(r"\\(?:text|mathrm|mathit|operatorname|mathbf)|[\\{}\s]")
_ALIASES = {"ell": "l", "ℓ": "l"}
_LATEX_HINT = re.compile(r"[\\{}$]")


def warm(_: Any = None) -> bool:
    """Import the heavy modules once, when the worker starts."""
    import latex2sympy2_extended  # noqa: F401
    import math_verify  # noqa: F401
    import sympy  # noqa: F401

    logging.getLogger("math_verify").setLevel(logging.ERROR)
    logging.getLogger("latex2sympy2_extended").setLevel(logging.ERROR)
    return True


def symbol_name(name: str) -> str:
    name = _NAME_JUNK.sub("", name)
    return _ALIASES.get(name, name)


def _normalize_symbols(expr: Any, matrices: frozenset[str]) -> Any:
    """Symbols renamed to their plain names; relations, chains and sets are rebuilt without
    evaluating (xreplace would turn Eq(n, {1, 2}) into False and lose a chain's order)."""
    import sympy
    from latex2sympy2_extended.logic import And
    from latex2sympy2_extended.sets import FiniteSet

    free: set[Any] = getattr(expr, "free_symbols", set())
    mapping = {}
    for s in free:
        if isinstance(s, sympy.Symbol):
            name = symbol_name(s.name)
            if name != s.name or s.is_commutative != (name not in matrices):
                mapping[s] = sympy.Symbol(name, commutative=name not in matrices)
    return _rename(expr, mapping, (And, FiniteSet)) if mapping else expr


def _rename(expr: Any, mapping: dict[Any, Any], keep_order: tuple[type, ...]) -> Any:
    import sympy

    def again(e: Any) -> Any:
        return _rename(e, mapping, keep_order)

    if isinstance(expr, keep_order):
        args: list[Any] = list(getattr(expr, "_unsorted_args", None) or expr.args)  # type: ignore[attr-defined]
        return type(expr)(*[again(a) for a in args])
    if isinstance(expr, sympy.core.relational.Relational):
        return type(expr)(again(expr.lhs), again(expr.rhs), evaluate=False)
    if isinstance(expr, sympy.Tuple):
        return sympy.Tuple(*[again(a) for a in expr.args])
    return expr.xreplace(mapping) if hasattr(expr, "xreplace") else expr


def _latex(text: str) -> Any:
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    return latex2sympy(
        text,
        normalization_config=NormalizationConfig(
            basic_latex=True, units=False, malformed_operators=True, nits=False,
            boxed="all", equations=False),
        conversion_config=ConversionConfig(lowercase_symbols=False),
    )


def parse(text: str, latex: bool, variables: list[str], matrices: list[str]) -> Any:
    """Reference or reply text as sympy; raises when it cannot be read."""
    guard(text)
    latex = latex or bool(_LATEX_HINT.search(text))
    text = text.strip().strip("$").strip()
    if latex:
        text = lenient(text)
    if matrices:
        return _normalize_symbols(
            parse_plain(to_plain(text) if latex else text, variables, matrices),
            frozenset(matrices))
    if latex:
        return _normalize_symbols(_latex(text), frozenset())
    return _normalize_symbols(parse_plain(text, variables, []), frozenset())


def _is_relation(expr: Any) -> bool:
    import sympy
    from sympy.logic.boolalg import And

    return isinstance(expr, (sympy.core.relational.Relational, And))


def answer_side(expr: Any, reference: Any) -> Any:
    """What of `expr` answers: the last right-hand side of a chain when the reference is not a
    relation itself (as math-verify compares them)."""
    from math_verify.grader import take_last_relation

    if _is_relation(expr) and not _is_relation(reference):
        return take_last_relation(expr).rhs
    return expr


def _usable(expr: Any, reference: Any, variables: set[str]) -> bool:
    """Is this an answer to compare, not a lone number or stray symbol where the reference has
    symbols, nor an expression in other symbols than the declared ones?"""
    import sympy

    side = answer_side(expr, reference)
    if not isinstance(side, sympy.Expr) or not isinstance(reference, sympy.Expr):
        return True  # sets, tuples, relations, matrices: compared as they are
    symbols = {s.name for s in side.free_symbols}
    if reference.free_symbols and not symbols:
        return False
    if variables and not symbols <= variables:
        return False
    return not (isinstance(side, sympy.Symbol) and not isinstance(reference, sympy.Symbol))


def _verify(reference: Any, expr: Any) -> bool:
    from math_verify import verify

    return bool(verify(reference, expr, timeout_seconds=None))


def compare(payload: dict[str, Any]) -> dict[str, Any]:
    """Compare the most final usable candidate with the reference.

    payload: reference, variables, matrices, candidates (list of [text, is_latex]).
    Returns {"reference_error": str} or {"index", "equal", "parsed", "errors", "skipped"};
    "index" is None when no candidate could be compared. A candidate that cannot be read stops
    the search: an earlier line is never graded in place of an unreadable final answer.
    """
    warm()
    variables = [symbol_name(v) for v in payload["variables"]]
    matrices = [symbol_name(m) for m in payload.get("matrices", [])]
    try:
        reference = parse(payload["reference"], False, variables, matrices)
    except Exception as exc:  # any parser failure is reported, never raised
        return {"reference_error": f"{type(exc).__name__}: {exc}".strip()}
    skipped: list[str] = []
    for index, (text, latex) in enumerate(payload["candidates"]):
        try:
            expr = parse(text, latex, variables, matrices)
        except Exception as exc:  # any parser failure is reported, never raised
            return {"index": None, "equal": False, "parsed": None, "skipped": skipped,
                    "errors": [f"{text!r}: {type(exc).__name__} {exc}".strip()]}
        if not _usable(expr, reference, set(variables) | set(matrices)):
            skipped.append(text)
            continue
        return {"index": index, "equal": _verify(reference, expr), "parsed": str(expr),
                "errors": [], "skipped": skipped}
    return {"index": None, "equal": False, "parsed": None, "errors": [], "skipped": skipped}
