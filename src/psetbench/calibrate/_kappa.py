"""Cohen's kappa over verdict categories, with a percentile bootstrap interval.

Written out (a few lines of numpy) rather than taken from scikit-learn, which psetbench does
not otherwise need, and rather than `scipy.stats.bootstrap`, which cannot drop the resamples
where kappa is undefined (every resampled part in one and the same category on both sides):
those must be left out, not turned into NaN intervals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

#: Resamples of the parts for the interval; enough for two stable decimals.
DEFAULT_RESAMPLES = 2000
#: Most resampled part indices held at once (8 bytes each).
_CELLS = 4_000_000


class Kappa(BaseModel):
    """Cohen's kappa of two raters and its bootstrap 95% interval."""

    value: float | None = Field(description="kappa; None when undefined (both sides used one "
                                "and the same category) or there are no parts")
    low: float | None = Field(default=None, description="2.5th percentile of the resamples")
    high: float | None = Field(default=None, description="97.5th percentile of the resamples")
    resamples: int = Field(default=0, description="resamples in which kappa was defined")
    observed: float | None = Field(default=None, description="share of exact agreement, p_o")
    expected: float | None = Field(default=None, description="agreement expected by chance, "
                                   "p_e, from each side's own category shares")


def _codes(first: Sequence[str], second: Sequence[str]) -> tuple[np.ndarray, np.ndarray, int]:
    categories = sorted(set(first) | set(second))
    index = {c: i for i, c in enumerate(categories)}
    return (np.array([index[c] for c in first], dtype=np.int64),
            np.array([index[c] for c in second], dtype=np.int64), len(categories))


def _kappas(a: np.ndarray, b: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kappa, p_o and p_e of each row of `a` against the same row of `b` (rows = resamples)."""
    observed = (a == b).mean(axis=-1)
    expected = np.zeros(a.shape[:-1])
    for category in range(k):
        expected += (a == category).mean(axis=-1) * (b == category).mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(expected < 1.0 - 1e-12, (observed - expected) / (1.0 - expected), np.nan)
    return kappa, observed, expected


def cohen_kappa(first: Sequence[str], second: Sequence[str], *, resamples: int = DEFAULT_RESAMPLES,
                seed: int = 0) -> Kappa:
    """Kappa of two equally long sequences of category names (the TA's and the grader's), with
    a percentile interval from `resamples` resamplings of the parts (seeded: the same inputs
    and seed give the same interval)."""
    if len(first) != len(second):
        raise ValueError("the two raters must rate the same parts")
    if not first:
        return Kappa(value=None)
    a, b, k = _codes(first, second)
    value, observed, expected = (float(x[0]) for x in _kappas(a[None, :], b[None, :], k))
    result = Kappa(value=None if np.isnan(value) else round(value, 4),
                   observed=round(observed, 4), expected=round(expected, 4))
    if resamples <= 0:
        return result
    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS // len(a))  # resamples per block: bounded memory for many labels
    blocks = []
    for start in range(0, resamples, chunk):
        picks = rng.integers(0, len(a), size=(min(chunk, resamples - start), len(a)))
        blocks.append(_kappas(a[picks], b[picks], k)[0])
    kappas = np.concatenate(blocks)
    defined = kappas[~np.isnan(kappas)]
    if defined.size:
        low, high = np.percentile(defined, [2.5, 97.5])
        result.low, result.high = round(float(low), 4), round(float(high), 4)
    result.resamples = int(defined.size)
    return result
