"""Agreement between the grades and a TA's labels: exact verdicts, hard and soft, credit
within a tolerance, Cohen's kappa and a confusion matrix, overall and split by the method
that decided and by strategy."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field, computed_field

from psetbench.calibrate._kappa import DEFAULT_RESAMPLES, Kappa, cohen_kappa
from psetbench.calibrate._pairs import METHODS, NO_GRADE, Pair
from psetbench.labels import TA_VERDICTS
from psetbench.types import Verdict

#: How far the grader's credit may be from the TA's and still agree (out of 1).
DEFAULT_TOLERANCE = 0.1
#: The grader's verdict columns, in reading order; the TA's rows are the first four.
CATEGORIES = (*(v.value for v in TA_VERDICTS), Verdict.ungraded.value, Verdict.not_asked.value,
              NO_GRADE)


class Count(BaseModel):
    """How many of some parts agree."""

    agreed: int
    total: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        """agreed / total; None when there are no parts."""
        return round(self.agreed / self.total, 4) if self.total else None


class Confusion(BaseModel):
    """Parts counted by the TA's verdict (rows) and the grader's (columns)."""

    rows: list[str] = Field(description="the TA's verdicts")
    columns: list[str] = Field(description="the grader's verdicts")
    counts: list[list[int]] = Field(description="counts[row][column]")


class Agreement(BaseModel):
    """The figures for one set of labelled parts."""

    parts: int = Field(description="labelled parts compared")
    verdict: Count = Field(description="exact verdict agreement (any accepted verdict)")
    hard: Count = Field(description="the same, over the parts labelled kind: hard")
    soft: Count = Field(description="the same, over the parts labelled kind: soft")
    score: Count = Field(description="credit within the tolerance, over the labels that stand "
                         "for one credit")
    kappa: Kappa
    confusion: Confusion


class Calibration(BaseModel):
    """`psetbench calibrate`'s result: see docs/calibrate.md for every field."""

    labels: str = Field(description="the labels file")
    logs: list[str] = Field(description="the logs the grades came from")
    tolerance: float
    seed: int
    overall: Agreement
    by_method: dict[str, Agreement]
    by_strategy: dict[str, Agreement]
    disagreements: list[Pair] = Field(description="parts whose verdict or credit disagrees")
    pairs: list[Pair] = Field(description="every labelled part compared")
    warnings: list[str] = Field(default_factory=list)


def _count(pairs: Sequence[Pair], test: Callable[[Pair], bool | None]) -> Count:
    results = [test(p) for p in pairs]
    known = [r for r in results if r is not None]
    return Count(agreed=sum(bool(r) for r in known), total=len(known))


def confusion(pairs: Sequence[Pair]) -> Confusion:
    """The TA's four verdicts as rows; the grader's verdicts that occur (and the TA's four) as
    columns."""
    rows = [v.value for v in TA_VERDICTS]
    used = {p.verdict for p in pairs}
    columns = [c for c in CATEGORIES if c in rows or c in used]
    columns += sorted(used - set(columns))
    counts = [[0] * len(columns) for _ in rows]
    for p in pairs:
        counts[rows.index(p.ta_category)][columns.index(p.verdict)] += 1
    return Confusion(rows=rows, columns=columns, counts=counts)


def agreement(pairs: Sequence[Pair], *, resamples: int = DEFAULT_RESAMPLES,
              seed: int = 0) -> Agreement:
    return Agreement(
        parts=len(pairs),
        verdict=_count(pairs, lambda p: p.agrees),
        hard=_count([p for p in pairs if p.kind == "hard"], lambda p: p.agrees),
        soft=_count([p for p in pairs if p.kind == "soft"], lambda p: p.agrees),
        score=_count(pairs, lambda p: p.score_agrees),
        kappa=cohen_kappa([p.ta_category for p in pairs], [p.verdict for p in pairs],
                          resamples=resamples, seed=seed),
        confusion=confusion(pairs),
    )


def summarise(pairs: Sequence[Pair], *, labels: str, logs: Sequence[str], tolerance: float,
              seed: int = 0, resamples: int = DEFAULT_RESAMPLES,
              warnings: Sequence[str] = ()) -> Calibration:
    """Every figure of a calibration from its labelled parts."""
    def split(key: Callable[[Pair], str], order: Sequence[str] = ()) -> dict[str, Agreement]:
        names = [n for n in order if any(key(p) == n for p in pairs)]
        names += sorted({key(p) for p in pairs} - set(names))
        return {n: agreement([p for p in pairs if key(p) == n], resamples=resamples, seed=seed)
                for n in names}

    return Calibration(
        labels=labels, logs=list(logs), tolerance=tolerance, seed=seed,
        overall=agreement(pairs, resamples=resamples, seed=seed),
        by_method=split(lambda p: p.method, METHODS),
        by_strategy=split(lambda p: p.strategy),
        disagreements=[p for p in pairs if not p.agrees or p.score_agrees is False],
        pairs=list(pairs), warnings=list(warnings))
