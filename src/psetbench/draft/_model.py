"""`--model`: a model rewords prompts and proposes checks, one question at a time.

Its reply is JSON validated with pydantic against the set's own check models; each check is
then run against the part's solution like the rule-based ones, and kept only if the
solution passes it. What survives is labelled as the model's (`# draft check (model M)`,
`# review: prompt reworded by M`). A reply that cannot be used, or a failed call, leaves
that question's deterministic draft in place, with a warning.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError

from psetbench._bounds import MAX_TEXT_CHARS
from psetbench.draft._assemble import Key, Plan
from psetbench.draft._propose import Proposed, passing
from psetbench.draft._types import DraftDocument, DraftError, DraftQuestion, Node, Proposal
from psetbench.problemset import Check

if TYPE_CHECKING:
    from inspect_ai.model import Model

SYSTEM = """\
You turn a course's homework into a machine-checkable problem set for a teaching assistant. \
For each part you get its path, prompt and official solution. Return only JSON:
{"parts": [{"path": "a", "prompt": "...", "checks": [...]}]}
- "prompt": the part's question, made self-contained and clear; keep its meaning, its math \
(LaTeX) and its numbers; return it unchanged when it is already clear.
- "checks": checks the official solution supports, each one of
  {"kind": "numeric", "answer": "2 TB", "label": "what is asked"} (a final value with its unit),
  {"kind": "expression", "answer": "4*k*(m + l)", "variables": ["k", "m", "l"]},
  {"kind": "choice", "answer": "True", "options": ["True", "False"]},
  {"kind": "keypoints", "points": ["a statement a right answer must make"]}.
Propose no check the solution does not support."""


class ModelPart(BaseModel):
    path: str
    prompt: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    checks: list[Check] = Field(default_factory=list, max_length=20)


class ModelReply(BaseModel):
    parts: list[ModelPart]


def _leaves(nodes: list[Node], prefix: tuple[str, ...]) -> list[tuple[tuple[str, ...], Node]]:
    out: list[tuple[tuple[str, ...], Node]] = []
    for node in nodes:
        path = (*prefix, node.label)
        out += _leaves(node.children, path) if node.children else [(path, node)]
    return out


def _request(question: DraftQuestion) -> str:
    parts = [{"path": ".".join(path), "prompt": node.prompt_text,
              "solution": node.solution_text} for path, node in _leaves(question.parts, ())]
    stem = "\n".join(question.stem).strip()
    return json.dumps({"question": question.number, "stem": stem, "parts": parts},
                      ensure_ascii=False, indent=1)


def parse_reply(text: str) -> ModelReply:
    """The reply's JSON object (a ```json fence around it is fine), validated."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match is None:
        raise ValueError("no JSON object in the reply")
    return ModelReply.model_validate_json(match.group(0))


def _check_spec(model: str | Model) -> str:
    if not isinstance(model, str):
        return str(model)
    if model == "local" or model.startswith("local/"):
        raise DraftError(f"--model {model}: the embedded models are too weak to draft a set; "
                         "name a provider model such as openai/gpt-4o-mini")
    from psetbench.models import check_model

    check_model(model, role="model")
    return model


class Outcome(BaseModel):
    """What came of asking the model, question by question."""

    name: str
    questions: int = 0
    failed: int = 0  # calls that raised
    unusable: int = 0  # replies that were not the JSON asked for
    used: int = 0  # prompts reworded and parts whose checks are the model's

    @property
    def unused(self) -> str | None:
        """Why none of the model's proposals are in the draft (None when some are)."""
        if self.used:
            return None
        if self.failed == self.questions:
            return "every call to it failed"
        if self.failed + self.unusable == self.questions:
            return "no reply from it could be used" if not self.failed else \
                "its calls failed or its replies could not be used"
        return "it reworded no prompt and the solutions passed none of its checks"


def improve(document: DraftDocument, plan: Plan, model: str | Model,
            warnings: list[str]) -> Outcome:
    """Apply the model's proposals to `plan`; return what came of them."""
    outcome = Outcome(name=_check_spec(model), questions=len(document.questions))
    asyncio.run(_improve_all(document, plan, model, outcome, warnings))
    return outcome


async def _improve_all(document: DraftDocument, plan: Plan, model: str | Model,
                       outcome: Outcome, warnings: list[str]) -> None:
    from inspect_ai.model import ChatMessageSystem, ChatMessageUser, GenerateConfig

    from psetbench.models import limited_model

    bounded = limited_model(model)
    name = outcome.name
    for question in document.questions:
        try:
            output = await bounded.generate(
                [ChatMessageSystem(content=SYSTEM), ChatMessageUser(content=_request(question))],
                config=GenerateConfig(temperature=0.0))
            reply = parse_reply(output.completion)
        except (ValueError, ValidationError) as exc:
            outcome.unusable += 1
            warnings.append(f"question {question.number}: {name}'s reply could not be used "
                            f"({_short(exc)}); kept the deterministic draft")
            continue
        except Exception as exc:  # a failed call must not lose the deterministic draft
            outcome.failed += 1
            warnings.append(f"question {question.number}: {name} failed ({_short(exc)}); "
                            "kept the deterministic draft")
            continue
        outcome.used += _apply(question, reply, plan, name, warnings)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _apply(question: DraftQuestion, reply: ModelReply, plan: Plan, name: str,
           warnings: list[str]) -> int:
    """Put the reply's prompts and surviving checks in `plan`; return how many were put."""
    used = 0
    leaves = {".".join(path): (path, node) for path, node in _leaves(question.parts, ())}
    for part in reply.parts:
        if part.path not in leaves:
            warnings.append(f"question {question.number}: {name} answered for a part "
                            f"({part.path}) the homework does not have; ignored")
            continue
        path, node = leaves[part.path]
        key: Key = (question.number, *path)
        prompt = (part.prompt or "").strip()
        if prompt and prompt != node.prompt_text.strip():
            plan.prompts[key] = (prompt, f"model {name}")
            used += 1
        if not part.checks or node.solution_confidence == 0.0:
            continue
        proposals = [Proposed(check, Proposal(kind=check.kind, origin=f"model:{name}",
                                              reason=f"{name}'s reading of the solution"))
                     for check in part.checks]
        found: list[str] = []
        kept = passing(proposals, node.prompt_text, node.solution_text, found)
        warnings += [f"{'.'.join(key)}: {name}: {w}" for w in found]
        if kept:
            plan.checks[key] = kept
            used += 1
    return used
