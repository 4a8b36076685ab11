"""Head-to-head comparison of two runs of the same problem set, part by part.

A part is decided first by the absolute grades (points earned). Only where those tie (or for
every part with `pairwise="all"`) is a pairwise judge asked, in both orders; a preference that
flips with the order is a tie. Ungraded parts are never decided by their zero score.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Literal

from inspect_ai.model import Model
from pydantic import BaseModel, Field

from psetbench.compare._stats import Stats, paired_stats
from psetbench.errors import PsetbenchError
from psetbench.judge import PairwiseAsk, ask_order
from psetbench.problemset import ProblemSet, path_label
from psetbench.types import PartGrade, Verdict

if TYPE_CHECKING:
    from psetbench.grading import Run

Winner = Literal["A", "B", "tie"]
UNSCORED = frozenset({Verdict.ungraded, Verdict.not_asked})


class CompareError(PsetbenchError, ValueError):
    pass


class RunInfo(BaseModel):
    path: str
    model: str
    strategy: str
    prompt: str = ""


class Heading(BaseModel):
    """A part that holds sub-parts (format version 2): its rows sit under it."""

    question: str
    part: str = Field(description="its dotted id, 'e' or 'e.iii'")
    label: str = Field(description="as the homework writes it, '(e)(iii)'")
    prompt: str


class PartComparison(BaseModel):
    """One part (and epoch) compared."""

    question: str
    part: str
    label: str = Field(default="", description="as the homework writes it, '(e)(iii)(a)'")
    epoch: int = 1
    points: float
    earned_a: float
    earned_b: float
    verdict_a: Verdict
    verdict_b: Verdict
    length_a: int = Field(description="answer length in characters")
    length_b: int
    winner: Winner
    decided_by: Literal["grades", "judge", "none"]
    reason: str
    judged: bool = False
    flipped: bool = Field(default=False, description="the judge's preference changed with order")
    inconsistent: bool = Field(
        default=False, description="the judge's label and reason disagreed, even after a re-ask")
    judge_winner: Winner | None = Field(default=None, description="the judge's two-order result")
    judge_disagrees: bool = Field(
        default=False, description="with pairwise='all': the judge prefers the other side")
    asks: list[PairwiseAsk] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.question}{self.label or f'({self.part})'}"


class Comparison(BaseModel):
    """Run A against run B."""

    set_id: str
    a: RunInfo
    b: RunInfo
    judge: str | None = None
    pairwise: Literal["ties", "all"] = "ties"
    parts: list[PartComparison]
    headings: list[Heading] = Field(
        default_factory=list, description="the parts holding sub-parts, in the set's order")
    wins_a: int
    wins_b: int
    ties: int
    judged: int = Field(description="parts the pairwise judge was asked about")
    flips: int
    flip_rate: float | None = Field(
        default=None, description="flips over judged parts with a valid answer in both orders")
    inconsistent: int
    unscored: int = Field(default=0, description="parts ungraded in either run (not in stats)")
    unmatched: list[str] = Field(
        default_factory=list, description="parts graded in only one run (not compared)")
    stats: Stats

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _fmt(x: float) -> str:
    return f"{x:g}"


def _by_grades(ga: PartGrade, gb: PartGrade) -> tuple[Winner | None, str]:
    """The winner by points earned, or None when grades cannot decide."""
    if ga.verdict in UNSCORED or gb.verdict in UNSCORED:
        which = ", ".join(f"{s} {g.verdict.value}" for s, g in (("A", ga), ("B", gb))
                          if g.verdict in UNSCORED)
        return None, f"no grade to compare ({which})"
    pts = _fmt(ga.points)
    text = f"A scored {_fmt(round(ga.earned, 4))}/{pts}, B {_fmt(round(gb.earned, 4))}/{pts}"
    if abs(ga.earned - gb.earned) < 1e-9:
        return None, text
    return ("A" if ga.earned > gb.earned else "B"), text


def _combine_orders(ab: PairwiseAsk, ba: PairwiseAsk) -> tuple[Winner, bool, bool, str]:
    """(winner, flipped, inconsistent, reason) from the two orders."""
    if ab.status != "ok" or ba.status != "ok":
        bad = "; ".join(f"{x.order}: {x.reason}" for x in (ab, ba) if x.status != "ok")
        return "tie", False, True, f"judge inconsistent, counted as a tie ({bad})"
    if ab.winner == ba.winner:
        assert ab.winner is not None
        said = "a tie" if ab.winner == "tie" else f"{ab.winner} in both orders"
        return ab.winner, False, False, f"judge: {said} ({ab.reason})"
    return ("tie", True, False,
            f"judge preference flipped with the order (A first: {ab.winner}, B first: "
            f"{ba.winner}), counted as a tie")


async def _compare_part(
    pset: ProblemSet, ga: PartGrade, gb: PartGrade, judge: Model | None,
    pairwise: Literal["ties", "all"], seed: int, cache: bool,
) -> PartComparison:
    winner, reason = _by_grades(ga, gb)
    row = PartComparison(
        question=ga.question, part=ga.part, label=pset.label(ga.question, ga.part),
        epoch=ga.epoch, points=ga.points,
        earned_a=round(ga.earned, 4), earned_b=round(gb.earned, 4), verdict_a=ga.verdict,
        verdict_b=gb.verdict, length_a=len(ga.answer), length_b=len(gb.answer),
        winner=winner or "tie", decided_by="grades" if winner is not None else "none",
        reason=reason)
    has_answer = bool(ga.answer.strip() or gb.answer.strip())
    if judge is None or not has_answer or (winner is not None and pairwise == "ties"):
        if winner is None and not has_answer:
            row.reason += "; neither run answered"
        return row
    ab, ba = await asyncio.gather(
        ask_order(judge, pset, ga.question, ga.part, ga.answer, gb.answer, order="AB",
                  seed=seed, cache=cache),
        ask_order(judge, pset, ga.question, ga.part, ga.answer, gb.answer, order="BA",
                  seed=seed, cache=cache))
    judge_winner, flipped, inconsistent, judge_reason = _combine_orders(ab, ba)
    update: dict[str, Any] = dict(judged=True, flipped=flipped, inconsistent=inconsistent,
                                  judge_winner=judge_winner, asks=[ab, ba])
    if winner is not None:  # pairwise="all": the grades stand, the judge is on record
        disagrees = judge_winner not in ("tie", winner)
        note = f"; the judge prefers {judge_winner}" if disagrees else ""
        update.update(judge_disagrees=disagrees, reason=f"{reason}{note}")
    else:
        update.update(winner=judge_winner, reason=f"{reason}; {judge_reason}",
                      decided_by="judge" if judge_winner != "tie" else "none")
    return row.model_copy(update=update)


def _info(run: Run) -> RunInfo:
    return RunInfo(path=run.path, model=run.model, strategy=run.strategy, prompt=run.prompt)


def _headings(pset: ProblemSet) -> list[Heading]:
    return [Heading(question=q.id, part=".".join(path), label=path_label(path), prompt=p.prompt)
            for q in pset.questions for path, p in q.outline() if p.parts]


def _order(pset: ProblemSet) -> dict[tuple[str, str], int]:
    keys = [(q.id, p.id) for q in pset.questions for p in q.leaves]
    return {k: i for i, k in enumerate(keys)}


async def compare_runs(
    a: Run,
    b: Run,
    *,
    judge: Model | None = None,
    pairwise: Literal["ties", "all"] = "ties",
    seed: int = 0,
    cache: bool = True,
    n_boot: int = 2000,
) -> Comparison:
    """Compare run A with run B part by part (see the module docstring)."""
    if a.pset.id != b.pset.id:
        raise CompareError(f"{a.path} is a run of set {a.pset.id!r} but {b.path} is a run of set "
                           f"{b.pset.id!r}; compare two runs of the same problem set")
    if pairwise not in ("ties", "all"):
        raise CompareError(f"pairwise must be 'ties' or 'all', not {pairwise!r}")
    grades_a = {(g.question, g.part, g.epoch): g for g in a.grades}
    grades_b = {(g.question, g.part, g.epoch): g for g in b.grades}
    order = _order(a.pset)
    keys = sorted(grades_a.keys() & grades_b.keys(),
                  key=lambda k: (order.get((k[0], k[1]), len(order)), k))
    if not keys:
        raise CompareError(f"{a.path} and {b.path} have no graded part in common; "
                           "compare runs that asked the same questions")
    unmatched = sorted(f"{q}({p})" + (f" epoch {e}" if e != 1 else "")
                       for q, p, e in grades_a.keys() ^ grades_b.keys())
    rows = list(await asyncio.gather(*(
        _compare_part(a.pset, grades_a[k], grades_b[k], judge, pairwise, seed, cache)
        for k in keys)))
    diffs: dict[str, list[float]] = {}
    correct: list[tuple[bool, bool]] = []
    for k in keys:
        ga, gb = grades_a[k], grades_b[k]
        if ga.verdict in UNSCORED or gb.verdict in UNSCORED:
            continue
        diffs.setdefault(k[0], []).append(ga.score - gb.score)
        correct.append((ga.verdict == Verdict.correct, gb.verdict == Verdict.correct))
    judged = [r for r in rows if r.judged]
    valid = [r for r in judged if not r.inconsistent]
    flips = sum(r.flipped for r in judged)
    return Comparison(
        set_id=a.pset.id, a=_info(a), b=_info(b), judge=str(judge) if judge else None,
        pairwise=pairwise, parts=rows, headings=_headings(a.pset),
        wins_a=sum(r.winner == "A" for r in rows), wins_b=sum(r.winner == "B" for r in rows),
        ties=sum(r.winner == "tie" for r in rows), judged=len(judged), flips=flips,
        flip_rate=round(flips / len(valid), 4) if valid else None,
        inconsistent=sum(r.inconsistent for r in judged),
        unscored=sum(1 for k in keys if grades_a[k].verdict in UNSCORED
                     or grades_b[k].verdict in UNSCORED),
        unmatched=unmatched,
        stats=paired_stats(diffs, n_boot=n_boot, seed=seed, correct_pairs=correct),
    )


def _one_run(path: str) -> Run:
    from psetbench.grading import read_runs

    runs = read_runs([path])
    if len(runs) != 1:
        names = ", ".join(f"{r.strategy} ({r.path})" for r in runs)
        raise CompareError(f"{path} holds {len(runs)} runs ({names}); name one log file")
    return runs[0]


def compare_logs(
    log_a: str, log_b: str, *, judge: str | None = None, pairwise: str = "ties"
) -> Comparison:
    """Compare the runs in two log files (the CLI's `compare`)."""
    from inspect_ai.model import get_model

    from psetbench.models import check_model

    model = get_model(check_model(judge, role="judge")) if judge else None
    mode: Literal["ties", "all"] = "all" if pairwise == "all" else "ties"
    return asyncio.run(compare_runs(_one_run(log_a), _one_run(log_b), judge=model, pairwise=mode))
