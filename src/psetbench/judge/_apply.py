"""Combine the judge with the machine checks, and judge every part of a sample or a run.

The checks decide what they can (numbers, choices, expressions); the judge decides the rest
(explanations, keypoints) and the overall verdict. Each decided check fixes its own share of
the part's score, so the judge's score is bounded to the range the checks leave open, and
every place where the judge and a check disagree is written down for review.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from inspect_ai.model import Model

from psetbench.checks import is_deterministic
from psetbench.judge._judge import NO_CONTENT, JudgeOutcome, judge_part
from psetbench.problemset import ProblemSet
from psetbench.record import Run, TurnLike, TurnRecord, load_turns
from psetbench.types import CheckResult, CheckStatus, PartGrade, Verdict

# A note in a part's reason when its reply was still cut off after the nudge; kept whatever
# the judge says, since the judge graded a fragment.
CUT_OFF_NOTE = "the reply was cut off (max tokens) even after a nudge"
NOT_JUDGED = frozenset({Verdict.missing, Verdict.not_asked})
_WRONG = (CheckStatus.failed, CheckStatus.unaddressed)


def _name(check: CheckResult) -> str:
    return f"{check.kind} '{check.label}'" if check.label else check.kind


def judge_summary(outcome: JudgeOutcome) -> dict[str, Any]:
    """What a report keeps of the judge's decision."""
    j = outcome.judgment
    return {
        "status": outcome.status,
        "verdict": j.verdict if j else None,
        "score": j.score if j else None,
        "reason": j.reason if j else outcome.reason,
        "critique": j.critique if j else None,
        "quotes": list(j.quotes) if j else [],
        "agreement": outcome.agreement,
        "models": list(outcome.models),
        "decided_by": outcome.decided_by,
        "attempts": outcome.attempts,
        "votes": [{"model": v.model, "seed": v.seed, "status": v.status,
                   "verdict": v.judgment.verdict if v.judgment else None,
                   "score": v.judgment.score if v.judgment else None, "error": v.error}
                  for v in outcome.votes],
    }


def _grader(outcome: JudgeOutcome, with_checks: bool) -> str:
    who = NO_CONTENT if outcome.decided_by == NO_CONTENT else "judge:" + "+".join(outcome.models)
    return who + ("+checks" if with_checks else "")


def apply_judgment(grade: PartGrade, outcome: JudgeOutcome) -> PartGrade:
    """`grade` (from the checks) combined with the judge's outcome. See the module docstring.

    - `missing`/`not_asked` parts keep their verdict (there was nothing to judge).
    - A judge that failed makes the part `ungraded` (score 0, never counted as right); the reason
      keeps what the checks alone said.
    - Otherwise each graded deterministic check (a kind whose `deterministic` is set: numeric,
      choice, expression, length) fixes its weight's share of the score: the final score is
      the judge's score clamped to [floor, cap], where floor is the credit the checks give
      and cap is 1 minus the credit they already deny. Keypoints and ungraded checks are the
      judge's to decide. Carried-forward credit lifts the cap of failed checks, and is listed
      for review. A part with a failed or unaddressed check is never `correct`
      unless the credit was carried forward.
    """
    if grade.verdict in NOT_JUDGED:
        return grade
    decided = [c for c in grade.checks
               if is_deterministic(c.kind) and c.status != CheckStatus.ungraded]
    summary = judge_summary(outcome)
    update: dict[str, Any] = {"judge": summary, "grader": _grader(outcome, bool(decided))}
    j = outcome.judgment
    if outcome.status != "ok" or j is None:
        update.update(verdict=Verdict.ungraded, score=0.0, reason=(
            f"the judge could not grade this part ({outcome.reason}); the checks alone said "
            f"{grade.verdict.value} ({grade.score:.2f}): {grade.reason}"))
        return grade.model_copy(update=update)

    total = sum(c.weight for c in grade.checks) or 1.0
    floor = sum(c.weight * c.score for c in decided) / total
    denied = 0.0
    disagreements: list[str] = []
    for c in decided:
        found = f", found {c.found}" if c.found else ""
        if c.status == CheckStatus.passed and j.verdict in ("incorrect", "missing"):
            disagreements.append(f"{_name(c)} passed (expected {c.expected}{found}) but the judge "
                                 f"says {j.verdict}; the check's credit stands")
        elif c.status in _WRONG and j.verdict == "correct" and not j.carried_forward:
            disagreements.append(f"{_name(c)} {c.status.value} (expected {c.expected}{found}) but "
                                 "the judge says correct; the check's result stands")
        if c.status != CheckStatus.passed and j.carried_forward:
            disagreements.append(f"{_name(c)} {c.status.value} against the official value, but "
                                 "the judge gives carried-forward credit; please review")
            continue
        denied += c.weight * (1.0 - c.score)
    cap = 1.0 - denied / total
    score = round(min(max(j.score, floor), cap), 4)
    if decided and score != round(j.score, 4):
        disagreements.append(f"the judge scored {j.score:.2f}; the checks bound the score to "
                             f"[{floor:.2f}, {cap:.2f}], so it is {score:.2f}")

    blocked = any(c.status in _WRONG for c in decided) and not j.carried_forward
    verdict = Verdict(j.verdict)
    if score != round(j.score, 4) or (verdict == Verdict.correct and blocked):
        verdict = _band(score, j.verdict, blocked)
    reason = j.reason if not grade.checks else f"{j.reason} Checks: {grade.reason}"
    if outcome.agreement is not None and len(outcome.votes) > 1:
        reason = f"{reason} (judge agreement {outcome.agreement:.0%})"
    if CUT_OFF_NOTE in grade.reason and CUT_OFF_NOTE not in reason:
        reason = f"{reason} ({CUT_OFF_NOTE})"
    update.update(verdict=verdict, score=score, reason=reason, disagreements=disagreements,
                  ambiguity=j.ambiguity, better_than_solution=j.better_than_solution,
                  carried_forward=j.carried_forward)
    return grade.model_copy(update=update)


def _band(score: float, judge_verdict: str, blocked: bool) -> Verdict:
    if score >= 0.9 and not blocked:
        return Verdict.correct
    if score <= 0.1:
        return Verdict.missing if judge_verdict == "missing" else Verdict.incorrect
    return Verdict.partial


def earlier_answers(
    grades: Sequence[PartGrade], turns: Sequence[TurnRecord]
) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """For each part, the answers the model gave before it in the same conversation.

    `grades` and `turns` belong to one sample and epoch. A part answered in the same reply as
    another comes after it when it is listed later in that turn.
    """
    position: dict[tuple[str, str], tuple[int, int, int]] = {}
    for turn in turns:
        for i, key in enumerate(turn.keys):
            position[key] = (turn.conversation, turn.turn, i)
    answered = [(position[(g.question, g.part)], g) for g in grades
                if (g.question, g.part) in position and g.answer.strip()
                and g.verdict not in NOT_JUDGED]
    result: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for g in grades:
        where = position.get((g.question, g.part))
        if where is None:
            continue
        before = sorted((pos, e) for pos, e in answered if pos[0] == where[0] and pos < where)
        result[(g.question, g.part)] = [(e.question, e.part, e.answer) for _, e in before]
    return result


async def judge_grades(
    model: Model | str | None,
    pset: ProblemSet,
    grades: Sequence[PartGrade],
    turns: Sequence[TurnLike] | None = None,
    *,
    votes: int = 1,
    judges: Sequence[Model | str] | None = None,
    seed: int = 0,
    cache: bool = True,
) -> list[PartGrade]:
    """Judge every answered part of one sample concurrently and combine with its checks.

    `turns` are the sample's turn records (as the solver stores them); without them no earlier
    answers are shown, so no carried-forward credit can be given.
    """
    earlier = earlier_answers(grades, load_turns(turns)) if turns else {}

    async def one(grade: PartGrade) -> PartGrade:
        if grade.verdict in NOT_JUDGED or not grade.answer.strip():
            return grade
        outcome = await judge_part(
            model, pset, grade.question, grade.part, grade.answer,
            earlier=earlier.get((grade.question, grade.part), []), checks=grade.checks,
            votes=votes, judges=judges, seed=seed, cache=cache)
        return apply_judgment(grade, outcome)

    return list(await asyncio.gather(*(one(g) for g in grades)))


def _sample_turns(run: Run, grade: PartGrade) -> list[TurnRecord] | None:
    """The turn records that produced `grade`: the sample asking its part whose replies
    contain its answer (epochs are matched by content, not by list position)."""
    for epochs in run.turns.values():
        wanted = (grade.question, grade.part)
        candidates = [t for t in epochs if any(wanted in r.keys for r in t)]
        for turns in candidates:
            if any(grade.answer.strip() and grade.answer.strip() in r.reply for r in turns):
                return turns
        if len(candidates) == 1:
            return candidates[0]
    return None


async def judge_run(
    model: Model | str | None,
    run: Run,
    *,
    votes: int = 1,
    judges: Sequence[Model | str] | None = None,
    seed: int = 0,
    cache: bool = True,
) -> list[PartGrade]:
    """Every grade of a run, judged, in the run's order (samples concurrently)."""
    groups: dict[int, tuple[list[TurnRecord] | None, list[int]]] = {}
    for index, grade in enumerate(run.grades):
        turns = _sample_turns(run, grade)
        key = id(turns) if turns is not None else -1 - index
        groups.setdefault(key, (turns, []))[1].append(index)

    async def one(turns: list[TurnRecord] | None, indices: list[int]) -> list[PartGrade]:
        return await judge_grades(model, run.pset, [run.grades[i] for i in indices], turns,
                                  votes=votes, judges=judges, seed=seed, cache=cache)

    keys = list(groups)
    judged = await asyncio.gather(*(one(*groups[k]) for k in keys))
    result: list[PartGrade | None] = [None] * len(run.grades)
    for key, grades in zip(keys, judged, strict=True):
        for i, grade in zip(groups[key][1], grades, strict=True):
            result[i] = grade
    return [g for g in result if g is not None]
