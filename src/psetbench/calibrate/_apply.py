"""TA labels over machine verdicts: the grades a course publishes once a TA has looked.

A labelled part's grade (in the run's first epoch, the reply a TA reads) takes the TA's
verdict and credit; its grader becomes `ta` (or `ta:NAME` from the label's `by`), and its
reason starts with the TA's note and keeps the machine's verdict, credit, grader and reason.
The checks, the judge's summary and the answer stay as they were, so a report still shows the
evidence. The runs given are not changed: changed copies are returned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from psetbench.grading import Run
from psetbench.labels import Label, LabelsFile
from psetbench.types import PartGrade, Verdict

TA_GRADER = "ta"
#: The credit of a `partial` label without a score, when the machine's credit cannot stand
#: in for it.
PARTIAL_CREDIT = 0.5


def is_ta(grade: PartGrade) -> bool:
    """Whether a grade's verdict was set by a TA's label."""
    return grade.grader == TA_GRADER or grade.grader.startswith(f"{TA_GRADER}:")


def _ta_grade(grade: PartGrade, label: Label) -> PartGrade:
    accepted = label.accepts(grade.verdict)
    verdict = grade.verdict if accepted else label.verdicts[0]
    if label.score is not None:
        score = label.score
    elif label.expected_score is not None:
        score = label.expected_score
    elif accepted:  # a partial the machine also gave: its credit stands
        score = grade.score
    else:
        score = PARTIAL_CREDIT
    machine = (f"machine: {grade.verdict.value} {grade.score:.2f} by {grade.grader}: "
               f"{' '.join(grade.reason.split())}")
    note = label.note or f"labelled {'/'.join(v.value for v in label.verdicts)}"
    return grade.model_copy(update={
        "verdict": Verdict(verdict), "score": round(score, 4),
        "grader": f"{TA_GRADER}:{label.by}" if label.by else TA_GRADER,
        "reason": f"TA: {note} ({machine})"})


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
