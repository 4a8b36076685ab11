"""The key-points check, lexical fallback: is each point's content present in the answer?

A point counts as present when most of its content words (Snowball-stemmed, with a few
synonyms; LaTeX names such as `W_{OV}` read as the word `w_ov`) appear in the answer and every
number it states appears too. This is a fallback for when no
grader model is available; it cannot see negation or meaning, and its reason says so.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from typing import TYPE_CHECKING, Any

import snowballstemmer

from psetbench.checks._numbers import find_numbers
from psetbench.checks._text import normalize, strip_math
from psetbench.segment import latex_words
from psetbench.types import CheckResult, CheckStatus

if TYPE_CHECKING:  # the kind's settings live in kinds/ (which imports this module)
    from psetbench.checks.kinds.keypoints import KeypointsCheck

METHOD = "keypoints/lexical"
COVERAGE = 0.6  # share of a point's content words the answer must contain

_WORD = re.compile(r"[a-z][a-z0-9']*(?:_[a-z0-9]+)*")
_PAREN = re.compile(r"\([^()]*\)")
_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not of off on once only or other our out over own same she should so some such than that
the their them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your one two get gets got make makes
made thing things way use used using since thus hence therefore must may might also even still
give gives giving given show shows showing shown
""".split())
#: stems sharing this many first letters are one word ("multipl" = "multipli")
PREFIX = 6
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
# A Snowball stemmer keeps the word it is working on in itself, and runs grade samples in
# threads: one stemmer per thread.
_LOCAL = threading.local()


def _stemmer() -> Any:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Porter2 (Snowball) stem of a word, after the synonym table; math names stay whole."""
    word = _SYNONYMS.get(word, word)
    if word in _SYNONYMS.values() or "_" in word:
        return word
    return str(_stemmer().stemWord(word))


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(latex_words(text).lower())
            if w not in _STOP and len(w) > 1}


def _numbers(text: str) -> list[float]:
    return [n.value for n in find_numbers(normalize(strip_math(text)))]


def _has_number(value: float, values: list[float]) -> bool:
    return any(math.isclose(value, v, rel_tol=0.02) for v in values)


def _covered(stems: set[str], answer_stems: set[str]) -> bool:
    prefixes = {s[:PREFIX] for s in answer_stems if len(s) >= PREFIX and "_" not in s}
    hit = sum(1 for s in stems if s in answer_stems or (
        len(s) >= PREFIX and "_" not in s and s[:PREFIX] in prefixes))
    need = max(1, math.ceil(COVERAGE * len(stems)))
    if len(stems) >= 3:
        need = max(need, 2)
    return hit >= need


def point_present(point: str, answer_stems: set[str], answer_numbers: list[float]) -> bool:
    """Most of the point's content words are in the answer, and every number it states. A
    parenthetical in the point is an aside: the point is present when its words without the
    aside are (and there are still at least three of them)."""
    stems = content_stems(point)
    numbers = _numbers(point)
    if not stems and not numbers:
        return False
    if any(not _has_number(n, answer_numbers) for n in numbers):
        return False
    if not stems:
        return True
    core = content_stems(_PAREN.sub(" ", point))
    return _covered(stems, answer_stems) or (len(core) >= 3 and _covered(core, answer_stems))


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
