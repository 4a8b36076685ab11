"""Grading: per-part answers, checks and verdicts, as an Inspect scorer and from logs."""

from psetbench.grading._grade import grade_turns, not_asked_grade
from psetbench.grading._logs import (
    read_run,
    read_runs,
    run_from_sink,
)
from psetbench.grading._regrade import regrade, regrade_log
from psetbench.grading._scorer import homework_scorer, sample_score, scorer_for
from psetbench.grading._sink import collecting
from psetbench.record import LogError, Run  # the log contract, re-exported for readers

__all__ = [
    "LogError",
    "Run",
    "collecting",
    "grade_turns",
    "homework_scorer",
    "not_asked_grade",
    "read_run",
    "read_runs",
    "regrade",
    "regrade_log",
    "run_from_sink",
    "sample_score",
    "scorer_for",
]
