"""Check labels against the runs they label: every group names a run, every part a part."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from psetbench.labels._model import LabelsFile, part_keys, run_names

if TYPE_CHECKING:
    from psetbench.grading import Run


def validate_labels(labels: LabelsFile, runs: Sequence[Run]) -> list[str]:
    """One line per group that names no run and per part key the run's set lacks, each
    starting `file:line: ` when the labels were read from a file."""
    problems: list[str] = []
    matched: dict[str, list[Run]] = {}
    for run in runs:
        name = labels.group_name(run)
        if name is not None:
            matched.setdefault(name, []).append(run)
    known = sorted({n for run in runs for n in run_names(run)[:1]})
    for name, group in labels.groups.items():
        if name not in matched:
            problems.append(f"{labels.where(name)}unknown group {name!r}: no log given is that "
                            f"log or imported from that file; the logs are "
                            f"{', '.join(known) or 'none'}")
            continue
        keys = {k for run in matched[name] for k in part_keys(run)}
        for key in group.parts:
            if key not in keys:
                problems.append(f"{labels.where(name, key)}{name}: unknown part {key!r}; the "
                                f"set's parts are {', '.join(_ordered(keys, matched[name]))}")
    return problems


def _ordered(keys: set[str], runs: list[Run]) -> list[str]:
    return [k for k in part_keys(runs[0]) if k in keys]
