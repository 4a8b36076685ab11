"""A scripted model for tests: answers each asked part from a table, and counts its calls.

It recognises which parts a user message asks by their prompt text, so it works for every
strategy's conversation shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    Model,
    ModelOutput,
    ModelUsage,
    get_model,
)

from psetbench.problemset import ProblemSet


class Scripted:
    """Answers `(question, part)` from `answers`; records every conversation it sees.

    A plain class with a fixed repr: Inspect records model arguments in the log and in the
    eval-set task identity, which must not change as calls are recorded.
    """

    def __init__(self, pset: ProblemSet, answers: dict[tuple[str, str], str],
                 empty_first: set[tuple[str, str]] | None = None) -> None:
        self.pset = pset
        self.answers = answers
        self.empty_first = set(empty_first or ())
        self.calls: list[list[ChatMessage]] = []

    def __repr__(self) -> str:
        return f"Scripted({self.pset.id})"

    def asked(self, text: str) -> list[tuple[str, str]]:
        return [(q.id, p.id) for q in self.pset.questions for p in q.parts
                if p.prompt.strip() in text]

    def reply(self, keys: list[tuple[str, str]]) -> str:
        if len(keys) == 1:
            return self.answers.get(keys[0], "I am not sure.")
        multi = len({q for q, _ in keys}) > 1
        blocks = []
        for q, p in keys:
            if (q, p) in self.answers:
                label = f"Question {q} ({p})" if multi else f"({p})"
                blocks.append(f"**{label}** {self.answers[(q, p)]}")
        return "\n\n".join(blocks)

    def __call__(self, input: list[ChatMessage], *_: Any) -> ModelOutput:
        self.calls.append(list(input))
        users = [m for m in input if m.role == "user"]
        nudged = users[-1].text.startswith("Your reply was")
        keys = self.asked(users[-2].text if nudged else users[-1].text)
        if not nudged and any(k in self.empty_first for k in keys):
            self.empty_first.difference_update(keys)
            return _output("", input)
        return _output(self.reply(keys), input)

    def model(self) -> Model:
        responder: Callable[..., ModelOutput] = self
        return get_model("mockllm/model", custom_outputs=responder, config=GenerateConfig())


def _output(text: str, input: list[ChatMessage]) -> ModelOutput:
    """A reply with usage set, so Inspect needs no tokenizer (and no network) to count it."""
    output = ModelOutput.from_content(model="mockllm/model", content=text)
    prompt_tokens = sum(len(m.text) for m in input) // 4
    output.usage = ModelUsage(input_tokens=prompt_tokens, output_tokens=len(text) // 4,
                              total_tokens=prompt_tokens + len(text) // 4)
    return output
