"""`ask_structured`: ask for a pydantic object, re-ask once with the problem, give up with the
reasons; scripted with Inspect's mockllm model."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from inspect_ai.model import (
    ChatMessage,
    ChatMessageUser,
    GenerateConfig,
    Model,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.model import get_model as inspect_model
from pydantic import BaseModel, Field

from psetbench.models import Asked, ReplyError, ask_structured, parse_reply


class Answer(BaseModel):
    value: int = Field(ge=0)
    unit: str


class Script:
    """A model that gives `replies` in turn and records what it was sent."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[list[ChatMessage], GenerateConfig]] = []

    def __call__(self, input: list[ChatMessage], _tools: Any, _choice: Any,
                 config: GenerateConfig) -> ModelOutput:
        self.calls.append((list(input), config))
        output = ModelOutput.from_content(model="mockllm/model",
                                          content=self.replies[len(self.calls) - 1])
        output.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return output

    def model(self) -> Model:
        return inspect_model("mockllm/model", custom_outputs=self, memoize=False)


QUESTION: list[ChatMessage] = [ChatMessageUser(content="How many GPUs? Reply in JSON.")]
GOOD = '{"value": 25, "unit": "GPU"}'


def ask(script: Script, **kw: Any) -> Asked[Answer]:
    return asyncio.run(ask_structured(script.model(), QUESTION, Answer, **kw))


def test_a_valid_first_reply_is_returned_after_one_call() -> None:
    script = Script(f"Here it is:\n```json\n{GOOD}\n```")
    asked = ask(script, config=GenerateConfig(temperature=0.0, seed=3))
    assert asked.value == Answer(value=25, unit="GPU")
    assert asked.attempts == 1 and asked.problems == [] and asked.reason == ""
    assert asked.replies == [script.replies[0]]
    (messages, config), = script.calls
    assert [m.text for m in messages] == ["How many GPUs? Reply in JSON."]
    assert config.temperature == 0.0 and config.seed == 3 and config.response_schema is None


def test_an_invalid_reply_is_re_asked_once_with_the_validation_error() -> None:
    script = Script('{"value": -1, "unit": "GPU"}', GOOD)
    asked = ask(script, retry=lambda problem: f"Rejected: {problem}")
    assert asked.value == Answer(value=25, unit="GPU") and asked.attempts == 2
    assert asked.problems == ["the JSON does not match the schema (value: Input should be "
                              "greater than or equal to 0)"]
    retried, _ = script.calls[1]
    assert [m.role for m in retried] == ["user", "assistant", "user"]
    assert retried[1].text == '{"value": -1, "unit": "GPU"}'
    assert retried[2].text == f"Rejected: {asked.problems[0]}"


def test_never_valid_fails_with_every_reason_and_reply() -> None:
    script = Script("I think 25.", '{"value": 25}', GOOD)
    asked = ask(script)
    assert asked.value is None and asked.attempts == 2 and len(script.calls) == 2
    assert asked.replies == ["I think 25.", '{"value": 25}']
    assert asked.reason == ("attempt 1: the reply contains no JSON object; attempt 2: the JSON "
                            "does not match the schema (unit: Field required)")
    assert "Your reply was rejected: the reply contains no JSON object" in \
        script.calls[1][0][-1].text


def test_the_callers_check_rejects_a_well_formed_reply() -> None:
    script = Script('{"value": 24, "unit": "GPU"}', GOOD)
    seen: list[int] = []

    def check(answer: Answer) -> str | None:
        seen.append(answer.value)
        return None if answer.value == 25 else f"{answer.value} GPUs hold less than 2 TB"

    asked = ask(script, check=check)
    assert seen == [24, 25] and asked.value is not None and asked.value.value == 25
    assert asked.problems == ["24 GPUs hold less than 2 TB"]
    assert "24 GPUs hold less than 2 TB" in script.calls[1][0][-1].text
    always = ask(Script(GOOD, GOOD), check=lambda answer: "never good enough", attempts=2)
    assert always.value is None and always.reason == ("attempt 1: never good enough; "
                                                      "attempt 2: never good enough")


def test_structured_output_is_sent_only_when_named() -> None:
    script = Script(GOOD)
    ask(script, config=GenerateConfig(seed=1), schema_name="answer")
    config = script.calls[0][1]
    assert config.seed == 1 and config.response_schema is not None
    assert config.response_schema.name == "answer"
    assert set(config.response_schema.json_schema.required or []) == {"value", "unit"}


def test_a_custom_parser_and_attempts() -> None:
    def parse(text: str) -> Answer:
        number, unit = text.split()
        return Answer(value=int(number), unit=unit)

    asked = ask(Script("many GPUs", "x y", "25 GPU"), parse=parse, attempts=3)
    assert asked.value == Answer(value=25, unit="GPU") and asked.attempts == 3
    assert asked.problems[0].startswith("invalid literal for int()")


def test_parse_reply_names_what_is_wrong() -> None:
    assert parse_reply(f"text before {GOOD} and after", Answer).value == 25
    with pytest.raises(ReplyError, match="contains no JSON object"):
        parse_reply("[25]", Answer)
    with pytest.raises(ReplyError, match=r"not valid JSON \(Expecting"):
        parse_reply('{"value": }', Answer)
