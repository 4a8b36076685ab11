"""Grades kept in memory as the scorer makes them, so a run can report without re-reading logs.

Reading a finished log back costs seconds per thousand parts (Inspect parses every sample's
events), yet the scorer already held every grade. `psetbench run` opens a sink around its
eval set; the scorer drops each sample's grades into it; the run then needs only the logs'
headers. Samples reused from an earlier, interrupted run never reach the scorer, so a log
whose samples are not all in the sink is read from disk as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from psetbench.types import PartGrade

SampleKey = tuple[str, str, str, int]  # set id, strategy, sample id, epoch

# Module level rather than a context variable: Inspect runs scorers in tasks and threads it
# creates itself, which a context variable set by the caller may not reach.
_ACTIVE: list[dict[SampleKey, list[PartGrade]]] = []


@contextmanager
def collecting() -> Iterator[dict[SampleKey, list[PartGrade]]]:
    sink: dict[SampleKey, list[PartGrade]] = {}
    _ACTIVE.append(sink)
    try:
        yield sink
    finally:
        _ACTIVE.remove(sink)


def deposit(set_id: str, strategy: str, sample_id: str, epoch: int,
            grades: list[PartGrade]) -> None:
    for sink in _ACTIVE:
        sink[(set_id, strategy, sample_id, epoch)] = grades
