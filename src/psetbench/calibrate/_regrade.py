"""Grade the labelled parts again, on copies of the logs, for the judge-tuning loop.

`psetbench grade` rewrites logs in place; calibrating a judge must never touch the user's
logs, so each log with labels is copied (keeping only the samples that hold a labelled part,
in the first epoch, so the judge is asked only what the TA labelled) into a temporary folder
and regraded there with `psetbench.grading.regrade_log`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from inspect_ai.log import read_eval_log, write_eval_log

from psetbench.grading import LogError, Run, regrade_log
from psetbench.labels import LabelsFile
from psetbench.strategies import Unit


def _labelled_copy(run: Run, keys: set[str], folder: Path) -> Path | None:
    """A copy of the run's log with only the first-epoch samples that ask a labelled part;
    None when it has none."""
    try:
        log = read_eval_log(run.path)
    except Exception as exc:
        raise LogError(f"{run.path}: not a readable Inspect log ({exc})") from exc
    samples = log.samples or []
    first = min((s.epoch for s in samples), default=1)
    kept = []
    for sample in samples:
        meta = sample.metadata or {}
        asked = {f"{q}/{p}" for q, p in Unit.from_dict(meta["unit"]).parts} \
            if meta.get("unit") else set()
        asked |= {f"{q}/{p}" for q, p in meta.get("not_asked", [])}
        if sample.epoch == first and asked & keys:
            kept.append(sample)
    if not kept:
        return None
    log.samples = kept
    target = folder / Path(run.path).name  # same file name: a group keyed by it still matches
    write_eval_log(log, str(target))
    return target


def regrade_labelled(runs: Sequence[Run], labels: LabelsFile, *, grader: str | None,
                     votes: int = 1) -> list[Run]:
    """The labelled runs graded again with the current checks and, with `grader`, the judge;
    each returned run names its original log, which is left as it was."""
    out: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="psetbench-calibrate-") as tmp:
        for index, run in enumerate(runs):
            group = labels.for_run(run)
            if group is None or not group.parts:
                continue
            folder = Path(tmp) / str(index)
            folder.mkdir()
            copy = _labelled_copy(run, set(group.parts), folder)
            if copy is None:
                continue
            again = regrade_log(str(copy), grader=grader, votes=votes)
            again.path = run.path
            for grade in again.grades:
                grade.log = run.path
            out.append(again)
    return out
