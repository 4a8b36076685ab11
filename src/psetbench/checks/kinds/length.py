"""`length`: the answer keeps to the length the question asks for ("in at most two sentences",
"in under 50 words"). Math counts as one word per formula; Markdown marks count as nothing."""

from __future__ import annotations

import re
from typing import Literal, Self

from pydantic import Field, model_validator

from psetbench.checks._config import Answer, CheckConfig
from psetbench.checks._registry import check_kind
from psetbench.checks._text import DISPLAY_MATH, INLINE_MATH
from psetbench.types import CheckResult, CheckStatus

METHOD = "length/words"
_MARKUP = re.compile(r"[*_#>`|]+")
_WORD = re.compile(r"[^\W_][\w'’.-]*|\bMATH\b", re.UNICODE)
# a sentence ends at . ! or ? followed by a space, a line break or the end (not "2.5", "e.g.")
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)[.!?](?=\s|$)")


def _math_as_words(text: str) -> str:
    """Each formula (read as the other checks read them; a lone '$' is money) as one word."""
    return INLINE_MATH.sub(" MATH ", DISPLAY_MATH.sub(" MATH ", text))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def words(text: str) -> int:
    """The answer's word count, each formula counted once."""
    plain = _MARKUP.sub(" ", _math_as_words(text))
    return len(_WORD.findall(plain))


def sentences(text: str) -> int:
    """Sentences, counting a last one without a full stop; formulas are not split."""
    plain = _math_as_words(text).strip()
    if not plain:
        return 0
    ends = len(_SENTENCE_END.findall(plain))
    return ends + (0 if _SENTENCE_END.search(plain[-1:] or "") else 1)


@check_kind
class LengthCheck(CheckConfig):
    """An answer within a length: at most (or at least) so many words or sentences."""

    kind: Literal["length"]
    max_words: int | None = Field(default=None, ge=1, le=100_000)
    min_words: int | None = Field(default=None, ge=1, le=100_000)
    max_sentences: int | None = Field(default=None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _some_bound(self) -> Self:
        if self.max_words is None and self.min_words is None and self.max_sentences is None:
            raise ValueError("give max_words, min_words or max_sentences")
        if self.min_words and self.max_words and self.min_words > self.max_words:
            raise ValueError("min_words is above max_words; swap them")
        return self

    def _bounds(self) -> str:
        said = []
        if self.min_words:
            said.append(f"at least {self.min_words} words")
        if self.max_words:
            said.append(f"at most {self.max_words} words")
        if self.max_sentences:
            said.append(f"at most {_count(self.max_sentences, 'sentence')}")
        return ", ".join(said)

    def describe(self) -> str:
        return f"{self.titled()}: the answer has {self._bounds()}"

    def check(self, answer: Answer) -> CheckResult:
        n_words, n_sentences = words(answer.text), sentences(answer.text)
        found = f"{_count(n_words, 'word')}, {_count(n_sentences, 'sentence')}"
        result = CheckResult(kind="length", label=self.label, weight=self.weight, method=METHOD,
                             expected=self._bounds(), found=found, status=CheckStatus.passed,
                             score=1.0, reason="", matched="answer")
        if n_words == 0:
            return result.model_copy(update={
                "status": CheckStatus.unaddressed, "score": 0.0, "found": None, "matched": None,
                "reason": "the answer is empty"})
        over = [f"{_count(n_words, 'word')}, more than {self.max_words}"
                if self.max_words and n_words > self.max_words else "",
                f"{_count(n_words, 'word')}, fewer than {self.min_words}"
                if self.min_words and n_words < self.min_words else "",
                f"{_count(n_sentences, 'sentence')}, more than {self.max_sentences}"
                if self.max_sentences and n_sentences > self.max_sentences else ""]
        broken = [o for o in over if o]
        if broken:
            return result.model_copy(update={
                "status": CheckStatus.failed, "score": 0.0, "matched": None,
                "reason": "; ".join(broken)})
        return result.model_copy(update={"reason": f"{found}: within {self._bounds()}"})
