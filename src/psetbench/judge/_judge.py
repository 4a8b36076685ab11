"""Judge one part's answer against the official solution, with retries, votes and a panel.

Every ask is deterministic where the provider allows it (temperature 0, a fixed seed) and goes
through Inspect's response cache, so regrading a log asks nothing new. A reply that fails
validation is re-asked once with the problem named (`psetbench.models.ask_structured`); a second
failure makes the vote `ungraded`.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from inspect_ai.model import (
    CachePolicy,
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
)
from pydantic import BaseModel, Field

from psetbench.judge._prompts import JUDGE_SYSTEM, RETRY_TEMPLATE, neutralise, render_judge_prompt
from psetbench.judge._validate import Judgment, has_substance, judgment_problem
from psetbench.models import ask_structured, current_limits, limited_model
from psetbench.problemset import ProblemSet
from psetbench.types import CheckResult

# From the least to the most credit: a tie between verdicts goes to the first one listed.
CONSERVATIVE_ORDER: tuple[str, ...] = ("missing", "incorrect", "partial", "correct")
NO_CONTENT = "rule:no-content"


class Vote(BaseModel):
    """One ask of one judge model (with its one retry)."""

    model: str
    seed: int
    status: Literal["ok", "ungraded"]
    judgment: Judgment | None = None
    error: str | None = None
    attempts: int = Field(description="model calls made: 1, or 2 after a rejected reply")


class JudgeOutcome(BaseModel):
    """The judge's decision on one part: a judgment, or `ungraded` with the reason."""

    status: Literal["ok", "ungraded"]
    judgment: Judgment | None = None
    reason: str
    attempts: int = Field(default=0, description="model calls made, over all votes")
    votes: list[Vote] = Field(default_factory=list)
    agreement: float | None = Field(
        default=None, description="share of all votes that gave the final verdict")
    models: list[str] = Field(default_factory=list)
    decided_by: str = Field(default="judge", description="'judge', or a rule such as "
                            f"'{NO_CONTENT}' when no model was needed")


def model_name(model: Model) -> str:
    return str(model)


def _resolve(model: Model | str) -> Model:
    """The judge model, bounded by the current limits (`psetbench.models.Limits`)."""
    return limited_model(model)


async def ask_judge(
    model: Model,
    messages: list[ChatMessage],
    answers: Sequence[str],
    *,
    seed: int,
    cache: bool = True,
) -> Vote:
    """One vote: ask, validate, and re-ask once naming the problem."""
    # Bounded by psetbench's limits, per call: a per-call config wins over what a model
    # inherits from a running (or earlier) eval, so a judge that hangs or keeps failing ends.
    config = current_limits().generate_config().merge(GenerateConfig(temperature=0.0, seed=seed))
    asked = await ask_structured(
        model, messages, Judgment, config=config, schema_name="judgment",
        cache=CachePolicy(expiry=None) if cache else False,
        check=lambda judgment: judgment_problem(judgment, answers),
        retry=lambda problem: RETRY_TEMPLATE.format(error=problem))
    if asked.value is None:
        return Vote(model=model_name(model), seed=seed, status="ungraded", error=asked.reason,
                    attempts=asked.attempts)
    return Vote(model=model_name(model), seed=seed, status="ok", judgment=asked.value,
                attempts=asked.attempts)


def aggregate(votes: Sequence[Vote], models: Sequence[str]) -> JudgeOutcome:
    """The majority verdict of the votes.

    Rules: the verdict with the most valid votes wins; a tie between verdicts goes to the more
    conservative one (less credit, `CONSERVATIVE_ORDER`); if more votes failed (`ungraded`) than
    the winner has, the part is `ungraded`. The final score is the mean score of the winning
    votes (it stays inside the verdict's band); the flags hold if most winning votes set them.
    Agreement is the winner's share of all votes, failed ones included.
    """
    attempts = sum(v.attempts for v in votes)
    valid = [v for v in votes if v.status == "ok" and v.judgment is not None]
    failed = [v for v in votes if v.status != "ok"]
    base = JudgeOutcome(status="ungraded", reason="", attempts=attempts, votes=list(votes),
                        models=list(models))
    if not valid:
        reasons = "; ".join(v.error or "no judgment" for v in failed)
        return base.model_copy(update={"reason": f"the judge failed twice: {reasons}"})
    counts: Counter[str] = Counter(v.judgment.verdict for v in valid if v.judgment)
    top = max(counts.values())
    winner = next(v for v in CONSERVATIVE_ORDER if counts.get(v, 0) == top)
    agreement = round(top / len(votes), 4)
    if len(failed) > top:
        return base.model_copy(update={
            "agreement": agreement,
            "reason": f"{len(failed)} of {len(votes)} judge votes failed, more than the "
                      f"{top} for {winner!r}: " + "; ".join(v.error or "" for v in failed)})
    winners = [v.judgment for v in valid if v.judgment and v.judgment.verdict == winner]
    first = winners[0]
    half = len(winners) / 2
    judgment = first.model_copy(update={
        "score": round(sum(j.score for j in winners) / len(winners), 4),
        "better_than_solution": sum(j.better_than_solution for j in winners) > half,
        "carried_forward": sum(j.carried_forward for j in winners) > half,
    })
    tie_note = (" (a tie between verdicts, settled toward less credit)"
                if sum(1 for n in counts.values() if n == top) > 1 else "")
    reason = (f"{top} of {len(votes)} votes: {winner}{tie_note}" if len(votes) > 1
              else judgment.reason)
    return base.model_copy(update={"status": "ok", "judgment": judgment,
                                   "agreement": agreement, "reason": reason})


def no_content_outcome(answer: str) -> JudgeOutcome:
    shown = answer.strip()[:60]
    judgment = Judgment(
        critique=f"The answer ({shown!r}) has no content beyond headings and punctuation.",
        verdict="missing", score=0.0, quotes=[],
        reason="Nothing in it answers the part, so the answer is missing.")
    return JudgeOutcome(status="ok", judgment=judgment, reason=judgment.reason,
                        agreement=1.0, decided_by=NO_CONTENT)


async def judge_part(
    model: Model | str | None,
    pset: ProblemSet,
    qid: str,
    pid: str,
    answer: str,
    *,
    earlier: Sequence[tuple[str, str, str]] = (),
    checks: Sequence[CheckResult] = (),
    votes: int = 1,
    judges: Sequence[Model | str] | None = None,
    seed: int = 0,
    cache: bool = True,
) -> JudgeOutcome:
    """Judge `answer` to part `pid` of question `qid` against the official solution.

    `earlier` holds (question, part, answer text) of the parts answered before this one in the
    same conversation, for carried-forward credit. Each judge (`judges`, or `model` alone) is
    asked `votes` times with seeds `seed`, `seed + 1`, ...; see `aggregate` for the majority
    rule. An answer with no content (e.g. only "Thought process:") is `missing` without asking.
    """
    if votes < 1:
        raise ValueError(f"votes must be at least 1, got {votes}")
    panel = [_resolve(m) for m in judges] if judges else []
    if not panel:
        if model is None:
            raise ValueError("judge_part needs a judge model: pass `model` or `judges`")
        panel = [_resolve(model)]
    pset.part(qid, pid)  # a KeyError names an unknown part before any model is asked
    if not has_substance(answer):
        return no_content_outcome(answer)
    prompt = render_judge_prompt(pset, qid, pid, answer, earlier=earlier, checks=checks)
    messages: list[ChatMessage] = [ChatMessageSystem(content=JUDGE_SYSTEM),
                                   ChatMessageUser(content=prompt)]
    answers = (answer, neutralise(answer))
    asks = [ask_judge(m, list(messages), answers, seed=seed + i, cache=cache)
            for m in panel for i in range(votes)]
    results = await asyncio.gather(*asks)
    return aggregate(results, [model_name(m) for m in panel])
