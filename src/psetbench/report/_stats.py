"""Confidence intervals for a score: a bootstrap over parts, clustered by question.

Parts of one question share a stem and often a chain of reasoning, so they are not independent;
resampling whole questions (with every epoch of their parts) keeps that dependence in the
interval. With fewer than two questions there is nothing to resample, so the parts themselves
are the clusters and the interval says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

N_BOOT = 2000
SEED = 0
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    level: float
    clusters: int
    unit: str  # "question" or "part"
    n_boot: int

    @property
    def note(self) -> str:
        return (f"{self.level:.0%} bootstrap interval over {self.clusters} {self.unit}s "
                f"({self.n_boot} resamples, seed {SEED})")


def cluster_bootstrap(
    clusters: Sequence[tuple[float, float]],
    *,
    unit: str = "question",
    n_boot: int = N_BOOT,
    seed: int = SEED,
    level: float = LEVEL,
) -> Interval | None:
    """Percentile interval of sum(earned) / sum(points), resampling (earned, points) clusters.

    None when there are fewer than two clusters or no points: no interval can be drawn.
    """
    if len(clusters) < 2:
        return None
    earned = np.array([c[0] for c in clusters], dtype=float)
    points = np.array([c[1] for c in clusters], dtype=float)
    if points.sum() <= 0:
        return None
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(clusters), size=(n_boot, len(clusters)))
    totals = points[picks].sum(axis=1)
    ratios = np.divide(earned[picks].sum(axis=1), totals, out=np.zeros(n_boot),
                       where=totals > 0)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(ratios, [tail, 100.0 - tail])
    return Interval(low=float(low), high=float(high), level=level, clusters=len(clusters),
                    unit=unit, n_boot=n_boot)


def describe(intervals: Sequence[Interval | None]) -> str:
    """One sentence on how a report's intervals were drawn."""
    drawn = [i for i in intervals if i is not None]
    if not drawn:
        return "No intervals: they need at least two questions (or parts)."
    units = {i.unit for i in drawn}
    how = ("resampling whole questions (every part and epoch of a question together)"
           if units == {"question"} else "resampling questions, or parts where a column has "
           "only one question")
    return (f"{drawn[0].level:.0%} intervals: percentile bootstrap {how}, {drawn[0].n_boot} "
            f"resamples, seed {SEED}.")
