"""Pair each TA label with the grade the logs hold for the same run and part."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from psetbench.grading import Run
from psetbench.labels import Label, LabelsFile, part_keys, ta_grade, validate_labels
from psetbench.types import PartGrade

NO_GRADE = "(no grade)"
#: The methods a grade's `grader` name maps to, in the order reports list them.
METHODS = ("checks", "judge", "segmentation", "import", "other", "none")


def method_of(grader: str | None) -> str:
    """Which method decided a grade: `checks`, `judge` (any 'judge:MODEL' name, with or
    without '+checks'), `segmentation` (no answer located, or the judge's no-content rule),
    `import` (never asked in an imported conversation), `other` (a failed sample), or `none`
    (no grade at all)."""
    if grader is None:
        return "none"
    if grader == "checks":
        return "checks"
    if grader.startswith("judge"):
        return "judge"
    if grader == "segmentation" or grader.startswith("rule:"):
        return "segmentation"
    if grader == "import":
        return "import"
    return "other"


class Pair(BaseModel):
    """One labelled part: the TA's side and the grader's side."""

    group: str = Field(description="the labels file's key for the run")
    log: str = Field(description="the log the grade came from")
    strategy: str
    model: str
    part: str = Field(description='"QUESTION/PART"')
    kind: Literal["hard", "soft"] | None = None
    ta: list[str] = Field(description="the verdicts the TA accepts")
    ta_verdict: str = Field(description="the verdict the label gives the part: the grader's "
                            "when the TA accepts it, else the TA's first")
    ta_score: float | None = Field(description="the credit the label gives the part, as "
                                   "reports publish it (psetbench.labels.ta_grade)")
    note: str = ""
    by: str | None = None
    verdict: str = Field(description=f"the grader's verdict, or '{NO_GRADE}'")
    score: float | None = Field(description="the grader's credit, 0..1")
    grader: str | None = Field(description="the grade's `grader` name, e.g. 'judge:MODEL'")
    method: str = Field(description="checks, judge, segmentation, import, other or none")
    reason: str = ""
    agrees: bool = Field(description="the grader's verdict is one the TA accepts")
    score_agrees: bool | None = Field(description="the grader's credit is within the "
                                      "tolerance of `ta_score`")

    @property
    def ta_category(self) -> str:
        """The TA's verdict for kappa: `ta_verdict`."""
        return self.ta_verdict


def _first_epoch(grades: list[PartGrade]) -> dict[str, PartGrade]:
    """Each part's grade in the run's first epoch: the reply a TA reads and labels."""
    found: dict[str, PartGrade] = {}
    for grade in sorted(grades, key=lambda g: g.epoch):
        found.setdefault(f"{grade.question}/{grade.part}", grade)
    return found


def _pair(group: str, run: Run, key: str, label: Label, grade: PartGrade | None,
          tolerance: float) -> Pair:
    ta = ta_grade(label, grade)
    verdict = grade.verdict.value if grade is not None else NO_GRADE
    score = grade.score if grade is not None else None
    return Pair(
        group=group, log=run.path, strategy=grade.strategy if grade else run.strategy,
        model=run.model, part=key, kind=label.kind, ta=[v.value for v in label.verdicts],
        ta_verdict=ta.verdict.value, ta_score=ta.score, note=label.note, by=label.by,
        verdict=verdict, score=score,
        grader=grade.grader if grade else None, method=method_of(grade.grader if grade else None),
        reason=grade.reason if grade else "the log has no grade for this part",
        agrees=ta.confirmed,
        score_agrees=score is not None and abs(score - ta.score) <= tolerance + 1e-9)


def pair_labels(labels: LabelsFile, runs: Sequence[Run], *,
                tolerance: float) -> tuple[list[Pair], list[str]]:
    """Every label matched with its grade, and the warnings of
    `psetbench.labels.validate_labels` (which raises LabelsError for a question or part the
    run's problem set does not have) plus one per labelled part without a grade (counted as
    disagreeing)."""
    warnings = validate_labels(labels, runs)
    pairs: list[Pair] = []
    for run in runs:
        name = labels.group_name(run)
        if name is None:
            continue
        asked = set(part_keys(run))
        grades = _first_epoch(run.grades)
        for key, label in labels.groups[name].parts.items():
            if key not in asked:
                continue  # a question this run did not ask: warned about above
            grade = grades.get(key)
            if grade is None:
                warnings.append(f"{labels.where(name, key)}{name}: {key} is labelled but "
                                f"{run.path} has no grade for it; counted as {NO_GRADE}")
            pairs.append(_pair(name, run, key, label, grade, tolerance))
    return pairs, warnings
