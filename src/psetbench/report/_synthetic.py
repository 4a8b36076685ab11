"""Synthetic graded runs: for the report benchmark, the tests and trying a report's look.

Deterministic for a seed. The grades exercise every part of a report: each verdict, wrong
numbers off by a power of ten, unit errors, alternative readings, nudges, judge notes and
disagreements, carried-forward credit and several epochs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from psetbench.problemset import ProblemSet
from psetbench.types import CheckResult, CheckStatus, PartGrade, Verdict

if TYPE_CHECKING:
    from psetbench.record import Run

STRATEGIES = ("one-turn", "per-part", "hybrid", "isolated", "whole-set")
SKILL = {"one-turn": 0.62, "per-part": 0.74, "hybrid": 0.7, "isolated": 0.66, "whole-set": 0.5}
LEVELS = ("easy", "medium", "hard")
FILLER = ("We start from the definitions and keep the units through every step. ", "Then ",
          "the total follows by multiplying the per-item size by the count. ")


def synthetic_set(questions: int = 10, parts: int = 4) -> ProblemSet:
    qs = []
    for qi in range(1, questions + 1):
        ps = []
        for pi in range(parts):
            pid = chr(ord("a") + pi % 26) + ("" if pi < 26 else str(pi // 26))
            value = (qi * 7 + pi * 3) % 50 + 2
            ps.append({
                "id": pid, "points": 1 + (pi % 3 == 2),
                "difficulty": LEVELS[(qi + pi) % 3],
                "prompt": f"A model has ${value} \\times 10^{{9}}$ parameters in bf16. How many "
                          f"bytes do its weights take? Explain in one line (part {pid}).",
                "solution": f"Each parameter takes 2 bytes, so $2 \\times {value} \\times 10^9 = "
                            f"{2 * value} \\times 10^9$ bytes, i.e. **{2 * value} GB**.",
                "checks": [{"kind": "numeric", "label": "weight bytes", "answer": f"{2 * value} GB",
                            "alternatives": [{"answer": f"{4 * value} GB",
                                              "note": "fp32 weights"}]}],
            })
        qs.append({"id": str(qi), "title": f"Memory {qi}",
                   "stem": "Assume 1 GB = $10^9$ bytes.", "parts": ps})
    return ProblemSet.model_validate({"psetbench": 1, "id": "synthetic",
                                      "title": "Synthetic homework", "questions": qs})


def _answer(rng: random.Random, value: str, chars: int) -> str:
    n = rng.randrange(10, 10_000)  # a different formula in every answer, as in real replies
    text = (f"**Answer.** The weights take {value}, since each of the $N = {n} \\times 10^6$ "
            "parameters takes $2$ bytes.\n\n")
    while len(text) < chars:
        text += rng.choice(FILLER)
    return text + f"\n\n$$ \\frac{{{n}}}{{2}} \\times 10^{{{rng.randrange(3, 12)}}} $$\n"


def _grade(rng: random.Random, pset: ProblemSet, qid: str, pid: str, model: str, strategy: str,
           epoch: int, chars: int) -> PartGrade:
    part = pset.part(qid, pid)
    check = part.checks[0]
    want = str(getattr(check, "answer", "1 GB"))
    number = float(want.split()[0])
    skill = SKILL.get(strategy, 0.6) - 0.12 * LEVELS.index(part.difficulty.value)
    roll = rng.random()
    common: dict[str, Any] = dict(set_id=pset.id, question=qid, part=pid, model=model,
                                  strategy=strategy, epoch=epoch, points=part.points)
    base: dict[str, Any] = dict(kind="numeric", label="weight bytes", weight=1.0,
                                expected=want, method="numeric/pint")
    if roll > 0.97 or (strategy == "whole-set" and roll > 0.9):
        return PartGrade(**common, verdict=Verdict.missing, score=0.0, grader="segmentation",
                         reason="no answer to this part was found in the reply",
                         nudged=roll > 0.985)
    common["grader"] = "checks"
    if roll < skill:
        alt = rng.random() < 0.05
        shown = f"{2 * number:g} GB" if alt else want
        check_result = CheckResult(**base, status=CheckStatus.passed, score=1.0, found=shown,
                                   matched="fp32 weights" if alt else "answer",
                                   reason=f"took {shown}: within 2% of {shown}")
        judge = None
        if rng.random() < 0.3:
            judge = {"status": "ok", "verdict": "correct", "score": 1.0,
                     "reason": "states the right size with its unit",
                     "quotes": [f"The weights take {shown}"], "agreement": 1.0,
                     "models": ["judge/model"], "critique": None}
        return PartGrade(**common, verdict=Verdict.correct, score=1.0, reason="all checks passed",
                         checks=[check_result], answer=_answer(rng, shown, chars), judge=judge,
                         better_than_solution=rng.random() < 0.01)
    if roll < skill + 0.08:
        found = "3 hours"
        check_result = CheckResult(**base, status=CheckStatus.unaddressed, score=0.0,
                                   reason=f"the answer states no amount of information; it gives "
                                          f"{found} (an amount of time)")
        return PartGrade(**common, verdict=Verdict.incorrect, score=0.0,
                         reason="the answer addresses none of the checks: weight bytes",
                         checks=[check_result], answer=_answer(rng, found, chars))
    factor = rng.choice((1000.0, 0.001, 2.0, 1.3))
    found = f"{number * factor:g} GB"
    partial = rng.random() < 0.25
    check_result = CheckResult(**base, status=CheckStatus.partial if partial else
                               CheckStatus.failed, score=0.5 if partial else 0.0, found=found,
                               reason=f"took {found}: {factor:g}x vs {want}")
    disagreements = (["numeric 'weight bytes' failed but the judge says correct; the check's "
                      "result stands"] if rng.random() < 0.1 else [])
    return PartGrade(**common, verdict=Verdict.partial if partial else Verdict.incorrect,
                     score=0.5 if partial else 0.0, reason=f"wrong: weight bytes ({found})",
                     checks=[check_result], answer=_answer(rng, found, chars),
                     disagreements=disagreements, carried_forward=partial and rng.random() < 0.2,
                     ambiguity="reads 'bytes' as bits" if rng.random() < 0.03 else None)


def synthetic_runs(
    *,
    questions: int = 10,
    parts: int = 4,
    strategies: Sequence[str] = STRATEGIES,
    models: Sequence[str] = ("demo/model",),
    epochs: int = 1,
    seed: int = 0,
    answer_chars: int = 600,
) -> list[Run]:
    """One run per model x strategy, every part graded `epochs` times."""
    from psetbench.record import Run, RunMeta

    pset = synthetic_set(questions, parts)
    rng = random.Random(seed)
    runs = []
    for model in models:
        for strategy in strategies:
            grades = [_grade(rng, pset, q.id, p.id, model, strategy, e, answer_chars)
                      for e in range(1, epochs + 1) for q in pset.questions for p in q.leaves]
            for g in grades:
                g.log = f"logs/{pset.id}_{strategy}.eval"
            runs.append(Run(
                path=f"logs/{pset.id}_{strategy}.eval", pset=pset, strategy=strategy,
                model=model, status="success", prompt="expert", grades=grades,
                input_tokens=120 * len(grades), output_tokens=90 * len(grades),
                started="2026-01-05T10:00:00+00:00", completed="2026-01-05T10:12:30+00:00",
                meta=RunMeta(set=pset, strategy=strategy, version="0.1.0"),
            ))
    return runs
