"""What a judgment must be, and the checks that reject one: fail closed, never parse with hope."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from psetbench.models import ReplyError, parse_reply

JudgeVerdict = Literal["correct", "partial", "incorrect", "missing"]
VERDICTS: tuple[str, ...] = ("correct", "partial", "incorrect", "missing")


class Judgment(BaseModel):
    """What the judge must return. Field order matters: the critique comes before the verdict."""

    model_config = ConfigDict(extra="ignore")

    critique: str = Field(min_length=1, description="a short critique, written before deciding")
    verdict: JudgeVerdict
    score: float = Field(ge=0.0, le=1.0)
    reason: str = Field(min_length=1, description="the last sentence states the verdict")
    quotes: list[str] = Field(description="verbatim passages of the answer supporting the verdict")
    better_than_solution: bool = False
    ambiguity: str | None = None
    carried_forward: bool = False


class JudgmentError(ReplyError):
    """A judge reply that cannot be trusted; the message names what is wrong."""


M = TypeVar("M", bound=BaseModel)


def parse_model(text: str, model: type[M]) -> M:
    """`model` validated from the reply's JSON, or a JudgmentError naming the bad fields."""
    try:
        return parse_reply(text, model)
    except ReplyError as exc:
        raise JudgmentError(str(exc)) from exc


def normalise_ws(text: str) -> str:
    return " ".join(text.split())


# Quote marks and ellipses a judge may wrap around a quote; not part of the quote itself.
_QUOTE_EDGES = "\"'`“”‘’….\u00a0 "


def quote_found(quote: str, answers: Sequence[str]) -> bool:
    needle = normalise_ws(quote).strip(_QUOTE_EDGES)
    if not needle:
        return False
    return any(needle.casefold() in normalise_ws(a).casefold() for a in answers)


SCORE_BANDS: dict[str, tuple[float, float, str]] = {
    "correct": (0.9, 1.0, ">= 0.9"),
    "partial": (0.1, 0.9, "strictly between 0.1 and 0.9"),
    "incorrect": (0.0, 0.1, "<= 0.1"),
    "missing": (0.0, 0.1, "<= 0.1"),
}


def score_in_band(verdict: str, score: float) -> bool:
    low, high, _ = SCORE_BANDS[verdict]
    if verdict == "partial":
        return low < score < high
    return low <= score <= high


# The contradiction check is deliberately simple: it reads only the reason's conclusion (its last
# sentence or clause) and looks for words that state the opposite verdict. The prompt asks the
# judge to end the reason with the verdict in words, so a sound judgment passes; a false alarm
# costs a retry, and at worst an `ungraded` part, never a wrong grade.
_NEGATIVE = re.compile(
    r"\b(incorrect|wrong|erroneous|does not|doesn't|fails? to|not correct|not right|"
    r"no answer)\b", re.IGNORECASE)
_POSITIVE = re.compile(r"\b(correct|right|matches|agrees with)\b", re.IGNORECASE)
_CLAUSES = re.compile(r"(?<=[.!?;])\s+")


def conclusion(reason: str) -> str:
    clauses = [c for c in _CLAUSES.split(reason.strip()) if c.strip()]
    return clauses[-1] if clauses else ""


def contradiction(verdict: str, reason: str) -> str | None:
    """Why the reason's conclusion contradicts the verdict, or None."""
    last = conclusion(reason)
    negative = _NEGATIVE.search(last)
    if verdict == "correct" and negative:
        return (f"the verdict is 'correct' but the reason concludes {last!r} "
                f"('{negative.group(0)}')")
    if verdict in ("incorrect", "missing") and not negative:
        positive = _POSITIVE.search(last)
        if positive:
            return (f"the verdict is {verdict!r} but the reason concludes {last!r} "
                    f"('{positive.group(0)}')")
    return None


def judgment_problem(judgment: Judgment, answers: Sequence[str]) -> str | None:
    """The first problem that makes a well-formed judgment untrustworthy, or None.

    `answers` are the texts quotes may come from (the answer as given, and as shown to the judge).
    """
    if not score_in_band(judgment.verdict, judgment.score):
        return (f"verdict {judgment.verdict!r} needs a score "
                f"{SCORE_BANDS[judgment.verdict][2]}, got {judgment.score}")
    credited = judgment.verdict in ("correct", "partial")
    if credited and not [q for q in judgment.quotes if q.strip()]:
        return f"verdict {judgment.verdict!r} needs at least one quote from the answer"
    for quote in judgment.quotes:
        if quote.strip() and not quote_found(quote, answers):
            return f"the quote {quote!r} does not occur in the answer; quote the answer verbatim"
    return contradiction(judgment.verdict, judgment.reason)


# Headings and filler that say an answer is coming without giving one. An answer made only of
# these (plus punctuation and Markdown) has no content to grade.
_FILLER = re.compile(
    r"\b(thought process|thinking|thought for \d+\s*s(econds)?|reasoning|final answer|answer|"
    r"solution|working|explanation|step(\s*\d+)?|let me think( about this)?|"
    r"let'?s think( step by step)?|here is my answer)\b", re.IGNORECASE)


def has_substance(answer: str) -> bool:
    """Whether an answer says anything beyond headings like "Thought process:" and punctuation."""
    rest = _FILLER.sub(" ", answer)
    return any(ch.isalnum() for ch in rest)
