"""Runs: a problem set asked under strategies on a model, through Inspect eval sets."""

from psetbench.runs._run import (
    DEFAULT_STRATEGIES,
    RunError,
    RunOptions,
    RunResult,
    default_log_dir,
    run_set,
)
from psetbench.runs._summary import grade_rows, print_grades, print_summary
from psetbench.runs._task import task_name

__all__ = [
    "DEFAULT_STRATEGIES",
    "RunError",
    "RunOptions",
    "RunResult",
    "default_log_dir",
    "grade_rows",
    "print_grades",
    "print_summary",
    "run_set",
    "task_name",
]
