"""The homework solver: runs a unit's plan as real conversations and records every turn.

Each turn's record says which parts it asked, what the model replied, and whether a nudge
was needed, so grading never has to guess which reply answered which part.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from inspect_ai.model import (
    CachePolicy,
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    Content,
    ContentImage,
    ContentText,
    Model,
    ModelOutput,
    get_model,
)
from inspect_ai.solver import Generate, Solver, TaskState, solver

from psetbench.problemset import LoadedSet
from psetbench.record import TURNS_KEY, Nudge, TurnRecord, Usage, dump_turns
from psetbench.strategies._prompts import (
    Prompt,
    labels,
    render,
    render_system,
    render_turn,
)
from psetbench.strategies._units import Unit

TRUNCATED = {"max_tokens", "model_length"}


def _image_content(path: Path) -> ContentImage:
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return ContentImage(image=f"data:{mime};base64,{data}")


def _user_message(text: str, figures: list[Path]) -> ChatMessageUser:
    if not figures:
        return ChatMessageUser(content=text)
    content: list[Content] = [ContentText(text=text)]
    content += [_image_content(p) for p in figures]
    return ChatMessageUser(content=content)


def _usage(output: ModelOutput) -> Usage:
    if output.usage is None:
        return Usage()
    return Usage(input_tokens=output.usage.input_tokens,
                 output_tokens=output.usage.output_tokens)


async def _ask(
    model: Model, messages: list[ChatMessage], cache: CachePolicy | bool
) -> ModelOutput:
    output = await model.generate(messages, cache=cache)
    messages.append(output.message)
    return output


@solver
def homework(
    loaded: LoadedSet, prompt: Prompt, attach_figures: bool = True, cache: bool = True
) -> Solver:
    """Ask a unit's parts as its plan says, nudging once after an empty or cut-off reply."""
    pset = loaded.pset
    policy: CachePolicy | bool = CachePolicy(expiry=None) if cache else False

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        unit = Unit.from_dict(state.metadata["unit"])
        model = get_model()
        system = render_system(prompt, pset)
        records: list[TurnRecord] = []
        transcript: list[ChatMessage] = []
        for ci, conversation in enumerate(unit.conversations):
            messages: list[ChatMessage] = [ChatMessageSystem(content=system)] if system else []
            seen: set[str] = set()
            for ti, turn in enumerate(conversation.turns):
                new_questions = {q for q, _ in turn.parts} - seen
                text = render_turn(prompt, pset, turn.parts, seen, first_turn=ti == 0)
                figures = [
                    loaded.figure_path(f.path)
                    for qid in sorted(new_questions)
                    for f in pset.question(qid).figures
                ] if attach_figures else []
                messages.append(_user_message(text, figures))
                output = await _ask(model, messages, policy)
                record = TurnRecord(
                    conversation=ci, turn=ti, parts=list(turn.parts), prompt=text,
                    reply=output.completion, stop_reason=output.stop_reason,
                    usage=_usage(output),
                )
                failure = _failure(output)
                if failure is not None:
                    template = prompt.nudge_empty if failure == "empty" else prompt.nudge_truncated
                    nudge_text = render(template, labels=labels(turn.parts, pset))
                    messages.append(ChatMessageUser(content=nudge_text))
                    retry = await _ask(model, messages, policy)
                    first = output.completion
                    reply = retry.completion if failure == "empty" else first + retry.completion
                    record.nudge = Nudge(
                        reason=failure, prompt=nudge_text, first_reply=first,
                        stop_reason=retry.stop_reason,
                        still_failed=_failure(retry) is not None or not reply.strip(),
                        still_truncated=_failure(retry) == "truncated",
                    )
                    record.reply = reply
                    record.stop_reason = retry.stop_reason
                    record.usage = record.usage + _usage(retry)
                    output = retry
                records.append(record)
                state.output = output
            transcript.extend(messages)
        state.messages = transcript
        state.store.set(TURNS_KEY, dump_turns(records))
        return state

    return solve


def _failure(output: ModelOutput) -> str | None:
    if not output.completion.strip():
        return "empty"
    if output.stop_reason in TRUNCATED:
        return "truncated"
    return None
