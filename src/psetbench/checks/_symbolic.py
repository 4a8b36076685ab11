"""Symbolic comparison, run inside the worker process (see `_worker`).

The reference is parsed with sympy (or as LaTeX when it looks like LaTeX); candidates from the
answer are LaTeX, parsed by latex2sympy (math-verify's parser) with unit stripping off and
symbol case kept; math-verify's `verify` decides equivalence. Symbol names are normalized on
both sides ('d_{\\text{model}}' and 'd_model' are the same symbol).
"""

from __future__ import annotations

import logging
import re
from typing import Any

_NAME_JUNK = re.compile(r"\\(?:text|mathrm|mathit|operatorname)|[\\{}\s]")


def warm(_: Any = None) -> bool:
    """Import the heavy modules once, when the worker starts."""
    import latex2sympy2_extended  # noqa: F401
    import math_verify  # noqa: F401
    import sympy  # noqa: F401

    logging.getLogger("math_verify").setLevel(logging.ERROR)
    return True


def _normalize_symbols(expr: Any) -> Any:
    import sympy

    mapping = {s: sympy.Symbol(_NAME_JUNK.sub("", s.name)) for s in expr.free_symbols
               if isinstance(s, sympy.Symbol)}
    return expr.xreplace(mapping)


def _latex(text: str) -> Any:
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    return latex2sympy(
        text,
        normalization_config=NormalizationConfig(
            basic_latex=True, units=False, malformed_operators=False, nits=False,
            boxed="all", equations=False),
        conversion_config=ConversionConfig(lowercase_symbols=False),
    )


def _plain(text: str, variables: list[str]) -> Any:
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    names = {v: sympy.Symbol(v) for v in variables}
    return parse_expr(text, local_dict=names, evaluate=True, transformations=(
        *standard_transformations, implicit_multiplication_application, convert_xor))


def parse_reference(text: str, variables: list[str]) -> Any:
    if "\\" in text or "{" in text:
        return _normalize_symbols(_latex(text))
    try:
        return _normalize_symbols(_plain(text, variables))
    except Exception:  # not sympy syntax after all; try LaTeX before giving up
        return _normalize_symbols(_latex(text))


def parse_candidate(text: str, latex: bool, variables: list[str]) -> Any:
    if latex:
        return _normalize_symbols(_latex(text))
    try:
        return _normalize_symbols(_plain(text, variables))
    except Exception:  # plain text that is LaTeX-like ("4k(m+l)", "k^2")
        return _normalize_symbols(_latex(text))


def _usable(expr: Any, reference: Any, variables: set[str]) -> bool:
    """Is this an answer to compare, not a relation, a lone number or a stray symbol?"""
    import sympy

    if not isinstance(expr, sympy.Expr):
        return False
    symbols = {s.name for s in expr.free_symbols}
    if reference.free_symbols and not symbols:
        return False
    if variables and not symbols <= variables:
        return False
    return not (isinstance(expr, sympy.Symbol) and not isinstance(reference, sympy.Symbol))


def compare(payload: dict[str, Any]) -> dict[str, Any]:
    """Compare the first usable candidate with the reference.

    payload: reference, variables, candidates (list of [text, is_latex]).
    Returns {"reference_error": str} or {"index", "equal", "parsed", "errors", "skipped"}.
    """
    from math_verify import verify

    warm()
    variables = [_NAME_JUNK.sub("", v) for v in payload["variables"]]
    try:
        reference = parse_reference(payload["reference"], variables)
    except Exception as exc:  # any parser failure is reported, never raised
        return {"reference_error": f"{type(exc).__name__}: {exc}".strip()}
    errors: list[str] = []
    skipped: list[str] = []
    for index, (text, latex) in enumerate(payload["candidates"]):
        try:
            expr = parse_candidate(text, latex, variables)
        except Exception as exc:  # any parser failure is reported, never raised
            errors.append(f"{text!r}: {type(exc).__name__}")
            continue
        if not _usable(expr, reference, set(variables)):
            skipped.append(text)
            continue
        equal = bool(verify(reference, expr, timeout_seconds=None))
        return {"index": index, "equal": equal, "parsed": str(expr),
                "errors": errors, "skipped": skipped}
    return {"index": None, "equal": False, "parsed": None, "errors": errors, "skipped": skipped}
