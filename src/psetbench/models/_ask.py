"""Ask a model for a reply that must validate as a pydantic model, re-asking with the problem.

The judge, the pairwise judge and the segmentation fallback all ask for one JSON object, check
it (its schema, then the caller's own rules) and, when it fails, ask again in the same
conversation with the problem named. What a final failure means stays the caller's: the
judge's vote is `ungraded`, a pairwise order `inconsistent`, the label-based split stands.

pydantic and Inspect are imported when a model is asked, not when `psetbench.models` is
imported: the CLI imports this package to print its help, which stays fast.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from inspect_ai.model import CachePolicy, ChatMessage, GenerateConfig, Model, ResponseSchema
    from pydantic import BaseModel

T = TypeVar("T", bound="BaseModel")

_FENCE = re.compile(r"```(?:json|JSON)?\s*(\{.*?\})\s*```", re.DOTALL)


class ReplyError(ValueError):
    """A model's reply that does not validate; the message names what is wrong."""


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
        raise ReplyError("the reply contains no JSON object")
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError as exc:
        raise ReplyError(f"the reply is not valid JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(data, dict):
        raise ReplyError("the reply's JSON is not an object")
    return data


def parse_reply(text: str, schema: type[T]) -> T:
    """`schema` validated from the reply's JSON, or a ReplyError naming the bad fields."""
    from pydantic import ValidationError

    data = extract_json(text)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}" for e in exc.errors())
        raise ReplyError(f"the JSON does not match the schema ({problems})") from exc


@functools.cache
def response_schema(schema: type[BaseModel], name: str) -> ResponseSchema:
    """Structured output for providers that support it; every field required, none extra."""
    from inspect_ai.model import ResponseSchema
    from inspect_ai.util import json_schema

    found = json_schema(schema)
    found.required = list(found.properties or {})
    return ResponseSchema(name=name, json_schema=found)


def _retry(problem: str) -> str:
    return (f"Your reply was rejected: {problem}\n"
            "Reply again with only the corrected JSON object.")


@dataclass(frozen=True)
class Asked(Generic[T]):
    """What asking gave: the validated object, or None with each rejected reply's problem.

    A dataclass rather than a pydantic model: it is returned to the caller, never stored, and
    keeps pydantic out of `psetbench.models`' import.
    """

    value: T | None
    replies: list[str]  # every reply's text, in order
    problems: list[str]  # why each rejected reply was rejected, in order

    @property
    def attempts(self) -> int:
        """Model calls made."""
        return len(self.replies)

    @property
    def reason(self) -> str:
        """The problems as one line: 'attempt 1: ...; attempt 2: ...'."""
        return "; ".join(f"attempt {n}: {p}" for n, p in enumerate(self.problems, 1))


async def ask_structured(
    model: Model,
    messages: Sequence[ChatMessage],
    schema: type[T],
    *,
    config: GenerateConfig | None = None,
    cache: bool | CachePolicy = False,
    attempts: int = 2,
    schema_name: str | None = None,
    parse: Callable[[str], T] | None = None,
    check: Callable[[T], str | None] | None = None,
    retry: Callable[[str], str] = _retry,
) -> Asked[T]:
    """Ask `model` until a reply validates as `schema`, at most `attempts` times.

    A reply is parsed with `parse` (default: the JSON object in it, validated as `schema`);
    a ValueError it raises (pydantic's ValidationError is one) rejects the reply, and so does a
    problem returned by `check`, the caller's own rules. A rejected reply is answered, in the
    same conversation, with `retry(problem)` and asked again. With `schema_name`, the schema
    is also sent as Inspect structured output (`GenerateConfig.response_schema`) under that
    name, for providers that support it.
    """
    from inspect_ai.model import ChatMessageUser, GenerateConfig

    if schema_name is not None:
        structured = GenerateConfig(response_schema=response_schema(schema, schema_name))
        config = structured if config is None else config.merge(structured)
    history = list(messages)
    replies: list[str] = []
    problems: list[str] = []
    for _attempt in range(attempts):
        output = await model.generate(history, config=config or GenerateConfig(), cache=cache)
        replies.append(output.completion)
        try:
            value = parse(output.completion) if parse else parse_reply(output.completion, schema)
            problem = check(value) if check else None
        except ValueError as exc:
            problem = str(exc)
        if problem is None:
            return Asked(value=value, replies=replies, problems=problems)
        problems.append(problem)
        history = [*history, output.message, ChatMessageUser(content=retry(problem))]
    return Asked(value=None, replies=replies, problems=problems)
