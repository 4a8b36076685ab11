"""The bundled problem sets: they validate, their numbers are right, their keys grade as correct.

Every numeric answer in `psets/*.yaml` is recomputed here from the inputs stated in the
question text, independently of the YAML, and every official solution is read the way a
grader reads an answer (its bold "Answer:" statements, in check order) and compared with the
checks. Only the format models are imported from psetbench, so this file tests the content,
not the graders.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy
import yaml

from psetbench.checks._parse_build import parse_plain
from psetbench.problemset import (
    ChoiceCheck,
    Difficulty,
    ExpressionCheck,
    KeypointsCheck,
    NumericCheck,
    Part,
    ProblemSet,
)

PSETS = Path(__file__).parent.parent / "psets"
SET_FILES = {"dl-hw": PSETS / "dl-hw.yaml", "probability-intro": PSETS / "probability-intro.yaml"}

# --- independent recomputation -----------------------------------------------------------------

# Chinchilla-style fit given in dl-hw question 3.
_A, _B, _ALPHA, _BETA = 406.4, 410.7, 0.34, 0.28
_G = (_ALPHA * _A / (_BETA * _B)) ** (1 / (_ALPHA + _BETA))


def _n_opt(compute: float) -> float:
    return _G * (compute / 6) ** (_BETA / (_ALPHA + _BETA))


def _compute_for(n_params: float) -> float:
    return 6 * (n_params / _G) ** ((_ALPHA + _BETA) / _BETA)


def _softmax_weight(scores: list[float], index: int) -> float:
    exps = [math.exp(s) for s in scores]
    return exps[index] / sum(exps)


_W = [0.9, -0.4, 0.05, -1.2, 0.3, 0.65]


def _errors(reconstructed: list[float]) -> tuple[float, float]:
    diffs = [r - w for r, w in zip(reconstructed, _W, strict=True)]
    return max(abs(d) for d in diffs), sum(d * d for d in diffs) / len(diffs)


def _symmetric_int4() -> tuple[float, float, float]:
    scale = max(abs(w) for w in _W) / 7
    recon = [scale * max(-7, min(7, round(w / scale))) for w in _W]
    return (scale, *_errors(recon))


def _asymmetric_codes() -> list[int]:
    scale = (max(_W) - min(_W)) / 15
    zero = round(-min(_W) / scale)
    return [max(0, min(15, round(w / scale) + zero)) for w in _W]


def _asymmetric_uint4() -> tuple[float, int, float]:
    scale = (max(_W) - min(_W)) / 15
    zero = round(-min(_W) / scale)
    return scale, zero, _errors([scale * (q - zero) for q in _asymmetric_codes()])[1]


def _pruned_energy() -> tuple[int, float]:
    keep = sorted(_W, key=abs)[len(_W) // 2:]
    return len(keep), sum(w * w for w in keep) / sum(w * w for w in _W)


def _binom_tail(n: int, p: float, k: int) -> float:
    return sum(math.comb(n, x) * p**x * (1 - p) ** (n - x) for x in range(k, n + 1))


def _bayes(prior: float, sens: float, spec: float, tests: int = 1) -> float:
    hit = prior * sens**tests
    return hit / (hit + (1 - prior) * (1 - spec) ** tests)


_W_OV = np.array([[0, 0, 0], [0, 0, 0], [2, 2, 0]], dtype=float)
_GPU_HOURS = 3.1e31 / (1e15 * 0.4) / 3600
_KV_PER_TOKEN = 2 * 2000 * 65536 * 2  # K and V, layers, width, fp16 bytes
_FIXED = [round(16 * w) / 16 for w in _W]

# (set, question, part, check label) -> value in the check's unit. Alternatives are keyed by
# the label plus " | alt".
EXPECTED: dict[tuple[str, str, str, str], float] = {
    ("dl-hw", "1", "d", "std of one entry of AB"): math.sqrt(16 * 2 / 1040 * 2 / 1040),
    ("dl-hw", "1", "f", "bytes of A and B"): 4 * 8 * (4096 + 4096),
    ("dl-hw", "1", "f", "memory ratio"): 4096 * 4096 / (8 * (4096 + 4096)),
    ("dl-hw", "2", "a", "maximum rank of W_U W_E"): min(50257, 768),
    ("dl-hw", "2", "d", "head 2 weight on A"): _softmax_weight([2, 0, 0], 0),
    ("dl-hw", "2", "e", "maximum rank of W_OV"): min(768, 64),
    ("dl-hw", "2", "f", "largest singular value"): float(np.linalg.svd(_W_OV)[1][0]),
    ("dl-hw", "3", "b", "N_opt"): _n_opt(5.76e23),
    ("dl-hw", "3", "b", "D_opt"): 5.76e23 / (6 * _n_opt(5.76e23)),
    ("dl-hw", "3", "c", "training compute"): _compute_for(1e14),
    ("dl-hw", "3", "c", "training tokens"): _compute_for(1e14) / (6 * 1e14),
    ("dl-hw", "3", "d", "books"): 5e16 * 0.75 / 1e5,
    ("dl-hw", "3", "e", "weight memory"): 1e14 * 2 / 1e12,  # TB
    ("dl-hw", "3", "e", "GPUs to hold the weights"): 1e14 * 2 / 80e9,
    ("dl-hw", "3", "f", "SSD cost"): 1e14 * 2 / 1e9 * 0.10,
    ("dl-hw", "3", "f", "SSD cost | alt"): 1e12 * 2 / 1e9 * 0.10,
    ("dl-hw", "3", "g", "DRAM cost"): 1e14 * 2 / 1e9 * 3,
    ("dl-hw", "3", "h", "latency on one memory system"): 2e14 / 3e12,  # s
    ("dl-hw", "3", "i", "latency across the GPUs"): (2e14 / 2500) / 3e12 * 1e3,  # ms
    ("dl-hw", "3", "j", "KV cache per token"): _KV_PER_TOKEN / 1e6,  # MB
    ("dl-hw", "3", "k", "compute in petaFLOP/s-days"): 3.1e31 / (1e15 * 86400),
    ("dl-hw", "3", "k", "GPU-hours"): _GPU_HOURS,
    ("dl-hw", "3", "k", "rental cost"): _GPU_HOURS * 2,
    ("dl-hw", "3", "k", "wall-clock time"): _GPU_HOURS / 1e5 / (365.25 * 24),
    ("dl-hw", "4", "a", "first loss position"): 16 - 1,  # first target at 16, predicted by t - 1
    ("dl-hw", "4", "b", "trained parameters"): 20 * 1600,
    ("dl-hw", "4", "b", "bytes per task"): 20 * 1600 * 4,
    ("dl-hw", "5", "a", "maximum absolute error"): _errors(_FIXED)[0],
    ("dl-hw", "5", "b", "symmetric scale"): _symmetric_int4()[0],
    ("dl-hw", "5", "b", "symmetric MSE"): _symmetric_int4()[2],
    ("dl-hw", "5", "c", "asymmetric scale"): _asymmetric_uint4()[0],
    ("dl-hw", "5", "c", "zero point"): _asymmetric_uint4()[1],
    ("dl-hw", "5", "c", "asymmetric MSE"): _asymmetric_uint4()[2],
    ("dl-hw", "5", "d", "saved at 8 bits"): 7e9 * (2 - 1) / 1e9,
    ("dl-hw", "5", "e", "saved at 4 bits"): 7e9 * (2 - 0.5) / 1e9,
    ("dl-hw", "5", "f", "4-bit memory with group scales"): 7e9 * (4 + 16 / 128) / 8 / 1e9,
    ("dl-hw", "5", "g", "weights remaining"): _pruned_energy()[0],
    ("dl-hw", "5", "g", "fraction of squared norm kept"): _pruned_energy()[1],
    ("dl-hw", "5", "h", "compression factor"): 2 * 16 / 4,
    ("probability-intro", "1", "a", "P(positive)"): 0.01 * 0.95 + 0.99 * 0.10,
    ("probability-intro", "1", "b", "P(disease | positive)"): _bayes(0.01, 0.95, 0.90),
    ("probability-intro", "1", "c", "P(disease | two positives)"): _bayes(0.01, 0.95, 0.90, 2),
    ("probability-intro", "2", "b", "Var(X)"): 20 * 0.25 * 0.75,
    ("probability-intro", "2", "c", "P(X >= 10)"): _binom_tail(20, 0.25, 10),
    ("probability-intro", "3", "a", "P(T > 10)"): (5 / 6) ** 10,
    ("probability-intro", "3", "c", "P(both aces)"): 4 / 52 * 3 / 51,
}

_W_QK_HEAD1 = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
_TOKENS = "ABC"


def _listed(values: list[int]) -> str:
    return ", ".join(str(v) for v in values[:-1]) + f" and {values[-1]}"


# Choices that follow from arithmetic, recomputed.
EXPECTED_CHOICES: dict[tuple[str, str, str, str | None], str] = {
    ("dl-hw", "2", "c", "head 1, query B"): _TOKENS[int(np.argmax(_W_QK_HEAD1[1]))],
    ("dl-hw", "2", "f", "direction written to"): _TOKENS[
        int(np.argmax(np.abs(np.linalg.svd(_W_OV)[0][:, 0])))],
    ("dl-hw", "5", "c", "asymmetric MSE lower"): str(
        _asymmetric_uint4()[2] < _symmetric_int4()[2]),
    ("probability-intro", "1", "b", "more likely healthy"): (
        "Yes" if _bayes(0.01, 0.95, 0.90) < 0.5 else "No"),
}

# Numbers that the key points state, recomputed.
EXPECTED_IN_KEYPOINTS: dict[tuple[str, str, str], list[str]] = {
    ("dl-hw", "4", "a"): ["positions 16 to 20", f"positions {16 - 1} to {20 - 1}"],
    ("dl-hw", "5", "a"): [_listed([round(16 * w) for w in _W])],
    ("dl-hw", "5", "b"): [_listed([round(w / _symmetric_int4()[0]) for w in _W])],
    ("dl-hw", "5", "c"): [
        f"scale is {_asymmetric_uint4()[0]:g} and the zero point is {_asymmetric_uint4()[1]}",
        _listed(_asymmetric_codes()),
    ],
    ("dl-hw", "5", "g"): [f"leaving {['zero', 'one', 'two', 'three'][_pruned_energy()[0]]}"],
    ("probability-intro", "3", "c"): [f"{3}/{52 - 1}"],
}

# Each closed form, as an independent Python function of its variables.
EXPRESSIONS: dict[tuple[str, str, str], Callable[..., float]] = {
    ("dl-hw", "1", "e"): lambda **v: 4 * (v["m"] * v["k"] + v["k"] * v["l"]),
    ("dl-hw", "3", "a"): lambda alpha, beta, A, B, C: (
        (alpha * A / (beta * B)) ** (1 / (alpha + beta)) * (C / 6) ** (beta / (alpha + beta))
    ),
    ("probability-intro", "2", "a"): lambda n, p: n * (p - p**2),
}

# --- units, for reading the YAML checks and the solutions -------------------------------------
# A small fixed table rather than pint: this test checks the sets' content against the units
# they actually use, and must not depend on the unit registry psetbench builds.
_UNITS: dict[str, tuple[str, float]] = {
    "": ("1", 1.0),
    "byte": ("byte", 1.0), "bytes": ("byte", 1.0),
    "MB": ("byte", 1e6), "GB": ("byte", 1e9), "TB": ("byte", 1e12),
    "parameter": ("parameter", 1.0), "parameters": ("parameter", 1.0),
    "token": ("token", 1.0), "tokens": ("token", 1.0),
    "FLOP": ("FLOP", 1.0),
    "petaFLOP/s-day": ("FLOP", 1e15 * 86400), "petaFLOP/s-days": ("FLOP", 1e15 * 86400),
    "GPU": ("GPU", 1.0), "GPUs": ("GPU", 1.0),
    "GPU*hour": ("GPU*s", 3600.0), "GPU-hours": ("GPU*s", 3600.0),
    "USD": ("USD", 1.0),
    "s": ("s", 1.0), "ms": ("s", 1e-3), "year": ("s", 365.25 * 86400),
    "years": ("s", 365.25 * 86400),
}


def _base(value: float, unit: str | None) -> tuple[float, str]:
    dimension, factor = _UNITS[unit or ""]
    return value * factor, dimension


def _within(found: float, expected: float, check: NumericCheck) -> bool:
    if check.orders is not None:
        if found <= 0 or expected <= 0:
            return False
        return abs(math.log10(found / expected)) <= check.orders
    tol = check.rel_tol if check.rel_tol is not None else 0.02
    return abs(found - expected) <= tol * abs(expected)


# --- loading -------------------------------------------------------------------------------------


def _load(set_id: str) -> ProblemSet:
    data = yaml.safe_load(SET_FILES[set_id].read_text(encoding="utf-8"))
    return ProblemSet.model_validate(data)


def _parts(set_id: str) -> Iterator[tuple[str, Part]]:
    for question in _load(set_id).questions:
        for part in question.parts:
            yield question.id, part


def _numeric_checks() -> Iterator[tuple[tuple[str, str, str, str], NumericCheck]]:
    for set_id in SET_FILES:
        for qid, part in _parts(set_id):
            for check in part.checks:
                if isinstance(check, NumericCheck):
                    assert check.label, f"{set_id} {qid}({part.id}): numeric check needs a label"
                    yield (set_id, qid, part.id, check.label), check


@pytest.mark.parametrize("set_id", list(SET_FILES))
def test_set_validates(set_id: str) -> None:
    pset = _load(set_id)
    assert pset.id == set_id
    assert pset.psetbench == 1
    # The file name is the set id, so `psetbench run psets/<id>.yaml` reads naturally.
    assert SET_FILES[set_id].stem == set_id


def test_every_numeric_answer_is_recomputed_and_matches() -> None:
    seen: set[tuple[str, str, str, str]] = set()
    for key, check in _numeric_checks():
        assert isinstance(check.answer, float), f"{key}: write the answer as a plain number"
        assert key in EXPECTED, f"{key}: no independent recomputation for this check"
        expected = EXPECTED[key]
        # The stored answer must be precise (0.5%), well inside the check's own tolerance.
        assert check.answer == pytest.approx(expected, rel=0.005), key
        seen.add(key)
        for alt in check.alternatives:
            alt_key = (*key[:3], key[3] + " | alt")
            assert alt_key in EXPECTED, f"{alt_key}: no recomputation for this alternative"
            assert isinstance(alt.answer, float)
            assert alt.note.strip()
            assert _base(alt.answer, alt.unit)[1] == _base(check.answer, check.unit)[1]
            assert alt.answer == pytest.approx(EXPECTED[alt_key], rel=0.005), alt_key
            # An alternative must be a genuinely different reading, not inside the tolerance.
            assert not _within(alt.answer, check.answer, check), alt_key
            seen.add(alt_key)
    assert seen == set(EXPECTED), f"recomputed but not in any set: {set(EXPECTED) - seen}"


def test_quantization_has_no_rounding_ties() -> None:
    """Question 5 says no ties occur, so its codes do not depend on the rounding convention."""
    sym_scale, asym_scale = _symmetric_int4()[0], _asymmetric_uint4()[0]
    rounded = [16 * w for w in _W] + [w / sym_scale for w in _W] + [w / asym_scale for w in _W]
    rounded.append(-min(_W) / asym_scale)
    assert all(abs(abs(x - math.floor(x)) - 0.5) > 1e-3 for x in rounded)


# --- the official solutions grade as correct ------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_NUMBER = re.compile(
    r"(?P<mantissa>-?\d+(?:\.\d+)?)(?:\s*(?:\\times|×)\s*10\^\{?(?P<exp>-?\d+)\}?)?"
)


def _answer_statements(solution: str) -> list[str]:
    return [m.group(1).strip()[len("Answer:"):].strip()
            for m in _BOLD.finditer(solution) if m.group(1).strip().startswith("Answer:")]


def _read_quantity(statement: str) -> tuple[float, str]:
    match = _NUMBER.search(statement)
    assert match, f"no number in {statement!r}"
    # A label before the number must not itself contain digits, or a grader could misread it.
    assert not re.search(r"\d", statement[: match.start()]), statement
    value = float(match.group("mantissa")) * 10 ** int(match.group("exp") or 0)
    return value, statement[match.end():].strip()


def _all_parts() -> list[tuple[str, str, Part]]:
    return [(set_id, qid, part) for set_id in SET_FILES for qid, part in _parts(set_id)]


@pytest.mark.parametrize(
    ("set_id", "qid", "part"), _all_parts(), ids=lambda x: x if isinstance(x, str) else x.id
)
def test_solution_states_each_checked_value(set_id: str, qid: str, part: Part) -> None:
    stated = [c for c in part.checks if isinstance(c, NumericCheck | ChoiceCheck)]
    statements = _answer_statements(part.solution)
    assert len(statements) == len(stated), (
        f"{set_id} {qid}({part.id}): {len(statements)} bold answers for {len(stated)} checks"
    )
    for statement, check in zip(statements, stated, strict=True):
        if isinstance(check, ChoiceCheck):
            assert statement.lower() == check.answer.lower(), (qid, part.id, statement)
            continue
        value, unit = _read_quantity(statement)
        found, dimension = _base(value, unit)
        expected, expected_dimension = _base(float(check.answer), check.unit)
        assert dimension == expected_dimension, (qid, part.id, statement, check.unit)
        assert _within(found, expected, check), (qid, part.id, statement, check.answer)
    # The bold answers are the solution's final lines.
    if statements:
        assert part.solution.rstrip().endswith("**"), (qid, part.id)


def _boxed(text: str) -> str:
    """The contents of the last \\boxed{...}, braces balanced."""
    start = text.rindex(r"\boxed{") + len(r"\boxed{")
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    raise AssertionError("unbalanced \\boxed{")


def _expression_parts() -> list[tuple[str, str, Part, ExpressionCheck]]:
    """Scalar closed forms (matrix products are checked by feeding each set its solutions,
    tests/test_psets_solved.py)."""
    return [(set_id, qid, part, check) for set_id, qid, part in _all_parts()
            for check in part.checks if isinstance(check, ExpressionCheck) and not check.matrices]


@pytest.mark.parametrize(
    ("set_id", "qid", "part", "check"), _expression_parts(),
    ids=lambda x: x if isinstance(x, str) else getattr(x, "id", "check"),
)
def test_expression_answer_and_boxed_solution_agree(
    set_id: str, qid: str, part: Part, check: ExpressionCheck
) -> None:
    # LaTeX to sympy by math-verify's LaTeX grammar only: its plain-expression path evaluates
    from math_verify import LatexExtractionConfig, parse

    # read with psetbench's own grammar: a problem set's text is never evaluated, here too
    answer = parse_plain(check.answer, list(check.variables), [])
    symbols = {s.name: s for s in answer.free_symbols}
    assert {str(s) for s in answer.free_symbols} == set(check.variables), check.answer
    parsed: list[Any] = parse("$$" + _boxed(part.solution) + "$$",
                              extraction_config=[LatexExtractionConfig()])
    boxed = next(p for p in parsed if isinstance(p, sympy.Expr))
    formula = EXPRESSIONS[(set_id, qid, part.id)]
    rng = random.Random(0)
    for _ in range(5):
        values = {name: rng.uniform(0.1, 0.9) for name in check.variables}
        reference = formula(**values)
        assert float(answer.subs({symbols[n]: v for n, v in values.items()})) == pytest.approx(
            reference, rel=1e-9)
        # math-verify lower-cases single capital letters, so match the boxed symbols by name.
        by_name = {n.lower(): v for n, v in values.items()}
        got = boxed.subs({s: by_name[str(s).lower()] for s in boxed.free_symbols})
        assert float(got) == pytest.approx(reference, rel=1e-9), (qid, part.id)


# --- structure the strategies rely on --------------------------------------------------------


def test_dl_hw_shape() -> None:
    pset = _load("dl-hw")
    assert [q.title for q in pset.questions] == [
        "LoRA", "Transformer circuits", "Fermi estimates of scale", "Soft prompting",
        "Quantization and pruning",
    ]
    parts = [p for q in pset.questions for p in q.parts]
    assert {p.difficulty for p in parts} == set(Difficulty)
    # The hybrid strategy batches runs of consecutive easy parts: there must be some.
    runs = [len(list(g)) for d, g in groupby(p.difficulty for p in parts) if d == Difficulty.easy]
    assert max(runs) >= 3
    groups = [p.group for p in parts if p.group]
    assert groups == ["grads", "grads"]
    alternatives = [c for p in parts for c in p.checks
                    if isinstance(c, NumericCheck) and c.alternatives]
    assert alternatives, "the Fermi question has an ambiguous part with alternative readings"
    kinds = {c.kind for p in parts for c in p.checks}
    assert kinds == {"numeric", "choice", "expression", "keypoints"}


def test_probability_set_shape() -> None:
    pset = _load("probability-intro")
    assert len(pset.questions) == 3
    parts = [p for q in pset.questions for p in q.parts]
    assert 7 <= len(parts) <= 10
    assert {c.kind for p in parts for c in p.checks} == {
        "numeric", "choice", "expression", "keypoints"}


def test_every_part_is_checked() -> None:
    for set_id, qid, part in _all_parts():
        assert part.checks, f"{set_id} {qid}({part.id}) has no checks"


def test_computed_choices_match() -> None:
    found: set[tuple[str, str, str, str | None]] = set()
    for set_id, qid, part in _all_parts():
        for check in part.checks:
            key = (set_id, qid, part.id, check.label)
            if isinstance(check, ChoiceCheck) and key in EXPECTED_CHOICES:
                assert check.answer == EXPECTED_CHOICES[key], key
                found.add(key)
    assert found == set(EXPECTED_CHOICES)


def test_numbers_in_key_points_are_right() -> None:
    for (set_id, qid, part_id), snippets in EXPECTED_IN_KEYPOINTS.items():
        part = _load(set_id).part(qid, part_id)
        text = " ".join(point for c in part.checks if isinstance(c, KeypointsCheck)
                        for point in c.points)
        for snippet in snippets:
            assert snippet in text, (set_id, qid, part_id, snippet)


def test_numeric_checks_of_one_dimension_differ_in_their_labels() -> None:
    """Checks of one dimension in a part are resolved by what each asks: every label must have
    a word the part's other labels of that dimension lack."""
    for set_id, qid, part in _all_parts():
        by_dim: dict[str, list[set[str]]] = {}
        for c in part.checks:
            if isinstance(c, NumericCheck):
                by_dim.setdefault(_base(1.0, c.unit)[1], []).append(set(c.label.lower().split()))
        for labels in by_dim.values():
            for i, own in enumerate(labels):
                others = set().union(*(w for j, w in enumerate(labels) if j != i))
                assert own - others, f"{set_id} {qid}({part.id}): {labels}"
