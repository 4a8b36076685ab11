"""A scripted model for tests: answers each asked part from a table, and counts its calls.

It recognises which parts a user message asks by their prompt text, so it works for every
strategy's conversation shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, get_model

from psetbench.problemset import ProblemSet


@dataclass
class Scripted:
    """Answers `(question, part)` from `answers`; records every conversation it sees."""

    pset: ProblemSet
    answers: dict[tuple[str, str], str]
    empty_first: set[tuple[str, str]] = field(default_factory=set)
    label_questions: bool = False
    calls: list[list[ChatMessage]] = field(default_factory=list)

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
            return ModelOutput.from_content(model="mockllm/model", content="")
        return ModelOutput.from_content(model="mockllm/model", content=self.reply(keys))

    def model(self) -> Model:
        responder: Callable[..., ModelOutput] = self
        return get_model("mockllm/model", custom_outputs=responder, config=GenerateConfig())
