"""Head-to-head comparison of two runs: absolute grades first, a two-order pairwise judge for
ties, and paired statistics clustered by question."""

from psetbench.compare._compare import (
    CompareError,
    Comparison,
    PartComparison,
    RunInfo,
    compare_logs,
    compare_runs,
)
from psetbench.compare._format import format_comparison
from psetbench.compare._stats import Stats, paired_stats
from psetbench.judge import PairwiseAsk, Preference, label_mismatch

__all__ = [
    "CompareError",
    "Comparison",
    "PairwiseAsk",
    "PartComparison",
    "Preference",
    "RunInfo",
    "Stats",
    "compare_logs",
    "compare_runs",
    "format_comparison",
    "label_mismatch",
    "paired_stats",
]
