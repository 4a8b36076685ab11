"""TA labels over machine verdicts: the grades a course publishes once a TA has looked.

A labelled part's grade (in the run's first epoch, the reply a TA reads) takes the verdict and
credit of `psetbench.labels.ta_grade`: the machine's own when the label accepts it (confirmed
by the TA), else the TA's first verdict with that verdict's credit. Its grader becomes `ta` (or
`ta:NAME` from the label's `by`), and its reason starts with the TA's note (`TA confirmed:` or
`TA:`) and keeps the machine's verdict, credit, grader and reason. The checks, the judge's
summary and the answer stay as they were, so a report still shows the evidence. The runs given
are not changed: changed copies are returned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from psetbench.grading import Run
from psetbench.labels import Label, LabelsFile, ta_grade
from psetbench.types import PartGrade, Verdict

TA_GRADER = "ta"
#: How the reason of a grade the TA confirmed (the label accepts the machine's verdict) starts.
CONFIRMED = "TA confirmed: "


def is_ta(grade: PartGrade) -> bool:
    """Whether a grade's verdict was set (or confirmed) by a TA's label."""
    return grade.grader == TA_GRADER or grade.grader.startswith(f"{TA_GRADER}:")


def ta_confirmed(grade: PartGrade) -> bool:
    """Whether a TA's label kept the machine's verdict (rather than replacing it)."""
    return is_ta(grade) and grade.reason.startswith(CONFIRMED)


def _ta_grade(grade: PartGrade, label: Label) -> PartGrade:
    ta = ta_grade(label, grade)
    machine = (f"machine: {grade.verdict.value} {grade.score:.2f} by {grade.grader}: "
               f"{' '.join(grade.reason.split())}")
    note = label.note or f"labelled {'/'.join(v.value for v in label.verdicts)}"
    return grade.model_copy(update={
        "verdict": ta.verdict, "score": ta.score,
        "grader": f"{TA_GRADER}:{label.by}" if label.by else TA_GRADER,
        "reason": f"{CONFIRMED if ta.confirmed else 'TA: '}{note} ({machine})"})


def apply_labels(runs: Sequence[Run], labels: LabelsFile) -> list[Run]:
    """Copies of the runs whose labelled parts carry the TA's verdicts (see the module)."""
    out: list[Run] = []
    for run in runs:
        group = labels.for_run(run)
        if group is None or not group.parts:
            out.append(run)
            continue
        first = min((g.epoch for g in run.grades), default=1)
        grades = [_ta_grade(g, group.parts[key])
                  if g.epoch == first and (key := f"{g.question}/{g.part}") in group.parts
                  and g.verdict != Verdict.not_asked else g
                  for g in run.grades]
        out.append(dataclasses.replace(run, grades=grades))
    return out
