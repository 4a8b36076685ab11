"""Sympy objects from a tree `_parse_plain` has checked: constructors only, never `eval`.

Runs in the worker process (sympy is imported there). The shapes match what latex2sympy builds
for the same math, so math-verify's `verify` treats plain and LaTeX answers alike: a chain
'a = b = c' is latex2sympy's `And` of relations, '{1, 2}' and a bare '1, 2' its `FiniteSet`,
'(1, 2)' a `Tuple`, '[a, b]' an `Interval`, 'a ± b' the set {a + b, a - b}.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from psetbench.checks._parse_plain import (
    CLOSED_OPEN,
    OPEN_CLOSED,
    TRANSPOSE,
    GrammarError,
    parse_tree,
)


def parse_plain(text: str, variables: list[str], matrices: list[str]) -> Any:
    """The sympy object for plain text; GrammarError when the grammar cannot read it."""
    tree, source = parse_tree(text, frozenset(matrices), frozenset(variables))
    return _Builder(source, frozenset(matrices), frozenset(variables)).build(tree.body, top=True)


class _Builder:
    def __init__(self, source: str, matrices: frozenset[str], variables: frozenset[str]) -> None:
        import sympy

        self.sp = sympy
        self.source = source
        self.matrices = matrices
        self.variables = variables

    def build(self, node: ast.AST, top: bool = False) -> Any:
        sp = self.sp
        if isinstance(node, ast.Constant):
            return sp.Integer(node.value) if isinstance(node.value, int) \
                else sp.Float(repr(node.value))
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return self.call(node.func.id, [self.build(a) for a in node.args])
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return self.display(node, top)
        raise GrammarError(f"{type(node).__name__} is not allowed")  # check_tree stops these

    def name(self, name: str) -> Any:
        sp = self.sp
        if name in self.variables or name in self.matrices:
            return sp.Symbol(name, commutative=name not in self.matrices)
        constants = {"pi": sp.pi, "e": sp.E, "E": sp.E, "oo": sp.oo, "inf": sp.oo,
                     "infty": sp.oo, "infinity": sp.oo}
        if name in constants:
            return constants[name]
        return sp.Symbol(name)

    def binop(self, node: ast.BinOp) -> Any:
        sp = self.sp
        left = self.build(node.left)
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Name) \
                and node.right.id == TRANSPOSE:
            return sp.transpose(left)
        right = self.build(node.right)
        if isinstance(node.op, ast.Mod):  # '±'
            return _finite_set(left + right, left - right)
        ops: dict[type, Callable[[Any, Any], Any]] = {
            ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
            ast.Pow: lambda a, b: a ** b}
        if isinstance(node.op, ast.Pow):
            _small_power(right)
        return ops[type(node.op)](left, right)

    def compare(self, node: ast.Compare) -> Any:
        sp = self.sp
        from latex2sympy2_extended.logic import And

        kinds: dict[type, Any] = {ast.Eq: sp.Eq, ast.NotEq: sp.Ne, ast.Lt: sp.StrictLessThan,
                                  ast.LtE: sp.LessThan, ast.Gt: sp.StrictGreaterThan,
                                  ast.GtE: sp.GreaterThan}
        sides = [self.build(node.left)] + [self.build(c) for c in node.comparators]
        relations = [kinds[type(op)](a, b, evaluate=False)
                     for op, a, b in zip(node.ops, sides, sides[1:], strict=False)]
        return relations[0] if len(relations) == 1 else And(*relations)

    def call(self, name: str, args: list[Any]) -> Any:
        sp = self.sp
        table: dict[str, Any] = {
            "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "ln": sp.log, "sin": sp.sin,
            "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
            "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "arcsin": sp.asin,
            "arccos": sp.acos, "arctan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh,
            "tanh": sp.tanh, "Abs": sp.Abs, "abs": sp.Abs, "factorial": sp.factorial,
            "binomial": sp.binomial, "floor": sp.floor, "ceiling": sp.ceiling,
            "ceil": sp.ceiling, "min": sp.Min, "max": sp.Max, "Min": sp.Min, "Max": sp.Max,
            "transpose": sp.transpose, "inverse": lambda x: x ** -1,
            CLOSED_OPEN: lambda a, b: sp.Interval(a, b, right_open=True),
            OPEN_CLOSED: lambda a, b: sp.Interval(a, b, left_open=True)}
        return table[name](*args)

    def display(self, node: ast.Tuple | ast.List | ast.Set, top: bool) -> Any:
        sp = self.sp
        items = [self.build(e) for e in node.elts]
        if isinstance(node, ast.Set):
            return _finite_set(*items)
        if isinstance(node, ast.List):
            if len(items) == 2:
                return sp.Interval(items[0], items[1])
            raise GrammarError("a [...] list other than an interval [a, b]")
        parenthesized = self.source[node.col_offset: node.col_offset + 1] == "("
        if top and not parenthesized:
            return _finite_set(*items)  # '1, 2, 3': the answers, as math-verify reads them
        return sp.Tuple(*items)


def _finite_set(*items: Any) -> Any:
    from latex2sympy2_extended.sets import FiniteSet

    return FiniteSet(*items)


def _small_power(exponent: Any) -> None:
    """A huge integer power ('9**9**9') would hang sympy's arithmetic: refuse it up front."""
    if exponent.is_Integer and abs(int(exponent)) > 10_000:
        raise GrammarError("an exponent above 10000")
