"""What a judgment must be, and the checks that reject one: fail closed, never parse with hope."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Literal

from inspect_ai.model import ResponseSchema
from inspect_ai.util import json_schema
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


class JudgmentError(ValueError):
    """A judge reply that cannot be trusted; the message names what is wrong."""


def response_schema(model: type[BaseModel], name: str) -> ResponseSchema:
    """Structured output for providers that support it; every field required, none extra."""
    schema = json_schema(model)
    schema.required = list(schema.properties or {})
    return ResponseSchema(name=name, json_schema=schema)


JUDGMENT_SCHEMA = response_schema(Judgment, "judgment")

_FENCE = re.compile(r"```(?:json|JSON)?\s*(\{.*?\})\s*```", re.DOTALL)


def extract_json(text: str) -> dict[str, Any]:
    """The JSON object in a reply: the whole reply, a ```json fence, or the outermost braces."""
    stripped = text.strip()
    fenced = _FENCE.search(stripped)
    if fenced:
        candidate = fenced.group(1)
    elif "{" in stripped:
        end = stripped.rfind("}")
        start = stripped.index("{")
        candidate = stripped[start: end + 1] if end > start else stripped[start:]
    else:
        raise JudgmentError("the reply contains no JSON object")
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError as exc:
        raise JudgmentError(f"the reply is not valid JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(data, dict):
        raise JudgmentError("the reply's JSON is not an object")
    return data


def parse_model(text: str, model: type[BaseModel]) -> Any:
    """`model` validated from the reply's JSON, or a JudgmentError naming the bad fields."""
    data = extract_json(text)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}" for e in exc.errors())
        raise JudgmentError(f"the JSON does not match the schema ({problems})") from exc


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


def validate_judgment(text: str, answers: Sequence[str]) -> Judgment:
    """The judgment in `text`, or a JudgmentError naming the first problem found.

    `answers` are the texts quotes may come from (the answer as given, and as shown to the judge).
    """
    judgment: Judgment = parse_model(text, Judgment)
    if not score_in_band(judgment.verdict, judgment.score):
        raise JudgmentError(f"verdict {judgment.verdict!r} needs a score "
                            f"{SCORE_BANDS[judgment.verdict][2]}, got {judgment.score}")
    credited = judgment.verdict in ("correct", "partial")
    if credited and not [q for q in judgment.quotes if q.strip()]:
        raise JudgmentError(f"verdict {judgment.verdict!r} needs at least one quote from the "
                            "answer")
    for quote in judgment.quotes:
        if quote.strip() and not quote_found(quote, answers):
            raise JudgmentError(f"the quote {quote!r} does not occur in the answer; "
                                "quote the answer verbatim")
    problem = contradiction(judgment.verdict, judgment.reason)
    if problem:
        raise JudgmentError(problem)
    return judgment


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
