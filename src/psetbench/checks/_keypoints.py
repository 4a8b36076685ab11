"""The key-points check, lexical fallback: is each point's content present in the answer?

A point counts as present when most of its content words (stemmed, with a few synonyms)
appear in the answer and every number it states appears too. This is a fallback for when no
grader model is available; it cannot see negation or meaning, and its reason says so.
"""

from __future__ import annotations

import functools
import math
import re

from psetbench.checks._numbers import find_numbers
from psetbench.checks._text import normalize, strip_math
from psetbench.problemset import KeypointsCheck
from psetbench.types import CheckResult, CheckStatus

METHOD = "keypoints/lexical"
COVERAGE = 0.6  # share of a point's content words the answer must contain

_WORD = re.compile(r"[a-z][a-z0-9']*")
_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not of off on once only or other our out over own same she should so some such than that
the their them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your one two get gets got make makes
made thing things way use used using since thus hence therefore must may might also even still
""".split())
# Small synonym table: each word maps to a shared key (the first word of its group).
_SYNONYM_GROUPS = [
    "increase increases grow grows rise rises higher larger more greater",
    "decrease decreases reduce reduces lower smaller less fewer shrink shrinks drop drops",
    "zero zeros 0 vanish vanishes",
    "gradient gradients grad grads",
    "memory ram vram",
    "gpu gpus accelerator accelerators device devices",
    "parameter parameters param params weight weights",
    "big large huge",
    "fast faster quick quicker speed",
    "slow slower",
    "cost costs price expensive",
]
_SYNONYMS = {w: group.split()[0] for group in _SYNONYM_GROUPS for w in group.split()}
# A light suffix stripper (no stemming library is a dependency; this is enough for overlap).
_SUFFIXES = ("ational", "ization", "ations", "ation", "ness", "ments", "ment", "ities", "ity",
             "ously", "ous", "ively", "ive", "ingly", "ing", "edly", "ed", "ies", "es", "ly", "s")


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    word = _SYNONYMS.get(word, word)
    if word in _SYNONYMS.values():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _numbers(text: str) -> list[float]:
    return [n.value for n in find_numbers(normalize(strip_math(text)))]


def _has_number(value: float, values: list[float]) -> bool:
    return any(math.isclose(value, v, rel_tol=0.02) for v in values)


def point_present(point: str, answer_stems: set[str], answer_numbers: list[float]) -> bool:
    stems = content_stems(point)
    numbers = _numbers(point)
    if not stems and not numbers:
        return False
    if any(not _has_number(n, answer_numbers) for n in numbers):
        return False
    if not stems:
        return True
    hit = len(stems & answer_stems)
    need = max(1, math.ceil(COVERAGE * len(stems)))
    if len(stems) >= 3:
        need = max(need, 2)
    return hit >= need


def check_keypoints(check: KeypointsCheck, answer: str) -> CheckResult:
    """Score = the share of points present; the reason names the absent ones."""
    make = functools.partial(CheckResult, kind="keypoints", label=check.label,
                             weight=check.weight, method=METHOD, expected="; ".join(check.points))
    answer_stems = content_stems(answer)
    answer_numbers = _numbers(answer)
    if not answer_stems and not answer_numbers:
        return make(status=CheckStatus.unaddressed, score=0.0,
                           reason="the answer has no content words to compare with the points")
    present = [p for p in check.points if point_present(p, answer_stems, answer_numbers)]
    absent = [p for p in check.points if p not in present]
    score = len(present) / len(check.points)
    found = f"{len(present)} of {len(check.points)} points"
    caveat = " (word overlap only; a grader model reads meaning)"
    if not absent:
        return make(status=CheckStatus.passed, score=1.0, found=found,
                           matched="answer", reason=f"all {len(present)} points present{caveat}")
    missing = "; ".join(repr(p) for p in absent)
    status = CheckStatus.failed if not present else CheckStatus.partial
    return make(status=status, score=score, found=found,
                       matched="answer" if present else None,
                       reason=f"{found} present; absent: {missing}{caveat}")
