"""Paired statistics on per-part score differences, clustered by question.

Parts of one question share a stem and often a chain of results, so they are not independent:
the bootstrap resamples whole questions (scipy's bootstrap with the per-question sums and
counts as paired data), and the statistic is the mean per-part difference over the resample.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, Field
from scipy.stats import binomtest, bootstrap


class Stats(BaseModel):
    """Paired statistics of run A against run B (differences are A minus B)."""

    n_parts: int
    n_questions: int
    mean_diff: float | None = Field(
        default=None, description="mean per-part score difference, A - B, in [-1, 1]")
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float = 0.95
    n_boot: int = 0
    ci_note: str | None = Field(default=None, description="why there is no interval")
    sign_a: int = Field(default=0, description="parts where A scored higher")
    sign_b: int = Field(default=0, description="parts where B scored higher")
    sign_p: float | None = Field(default=None, description="two-sided exact sign test")
    mcnemar_a: int = Field(default=0, description="parts correct in A only")
    mcnemar_b: int = Field(default=0, description="parts correct in B only")
    mcnemar_p: float | None = Field(default=None, description="two-sided exact McNemar test")


def _ratio(sums: np.ndarray, counts: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.asarray(sums.sum(axis=axis) / counts.sum(axis=axis))


def _exact_binomial_p(k: int, n: int) -> float | None:
    return float(binomtest(k, n, 0.5).pvalue) if n > 0 else None


def paired_stats(
    diffs_by_question: Mapping[str, Sequence[float]],
    n_boot: int = 2000,
    seed: int = 0,
    *,
    correct_pairs: Sequence[tuple[bool, bool]] | None = None,
    level: float = 0.95,
) -> Stats:
    """Sign test, McNemar test and a question-clustered bootstrap CI of the mean difference.

    `diffs_by_question` maps a question id to the score differences (A - B) of its parts.
    `correct_pairs` are (A correct, B correct) per part, for McNemar's test (exact form: a
    binomial test on the discordant parts).
    """
    groups = {q: [float(d) for d in ds] for q, ds in diffs_by_question.items() if ds}
    diffs = [d for ds in groups.values() for d in ds]
    stats = Stats(n_parts=len(diffs), n_questions=len(groups), ci_level=level)
    if diffs:
        stats.mean_diff = round(float(np.mean(diffs)), 6)
    stats.sign_a = sum(1 for d in diffs if d > 0)
    stats.sign_b = sum(1 for d in diffs if d < 0)
    stats.sign_p = _exact_binomial_p(stats.sign_a, stats.sign_a + stats.sign_b)
    if correct_pairs is not None:
        stats.mcnemar_a = sum(1 for a, b in correct_pairs if a and not b)
        stats.mcnemar_b = sum(1 for a, b in correct_pairs if b and not a)
        stats.mcnemar_p = _exact_binomial_p(stats.mcnemar_a, stats.mcnemar_a + stats.mcnemar_b)
    if len(groups) < 2:
        stats.ci_note = "a clustered interval needs parts from at least two questions"
        return stats
    sums = np.array([sum(ds) for ds in groups.values()])
    counts = np.array([len(ds) for ds in groups.values()], dtype=float)
    if np.allclose(sums / counts, sums[0] / counts[0]):
        # Every question has the same mean difference: every resample gives it exactly.
        stats.ci_low = stats.ci_high = stats.mean_diff
        stats.n_boot = n_boot
        return stats
    result = bootstrap(
        (sums, counts), _ratio, paired=True, vectorized=True, n_resamples=n_boot,
        confidence_level=level, method="percentile", rng=np.random.default_rng(seed))
    stats.ci_low = round(float(result.confidence_interval.low), 6)
    stats.ci_high = round(float(result.confidence_interval.high), 6)
    stats.n_boot = n_boot
    return stats
