"""The "Grader vs TA" section: where a TA's labels exist, how the grader agrees with them
(the figures of `psetbench calibrate`), and the labels put over the machine's verdicts in the
scores (see `psetbench.calibrate.apply_labels`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psetbench.calibrate import (
    Calibration,
    apply_labels,
    calibrate_runs,
    confusion_rows,
    has_kinds,
    headline,
    kappa_text,
    rate,
    split_rows,
    to_json,
)
from psetbench.labels import LabelsFile, load_labels

if TYPE_CHECKING:
    from psetbench.grading import Run


def with_labels(runs: Sequence[Run], labels: str | Path | LabelsFile
                ) -> tuple[list[Run], Calibration]:
    """The runs with the TA's verdicts over the machine's, and the machine's agreement with
    them (measured before the labels are put over). Raises LabelsError or CalibrateError."""
    loaded = labels if isinstance(labels, LabelsFile) else load_labels(labels)
    calibration = calibrate_runs(runs, loaded)
    calibration.labels = str(labels) if not isinstance(labels, LabelsFile) else \
        calibration.labels
    return apply_labels(runs, loaded), calibration


def ta_view(cal: Calibration | None) -> dict[str, Any] | None:
    """What the HTML and Markdown templates show, as plain strings and rows."""
    if cal is None:
        return None
    o = cal.overall
    return {
        "labels": cal.labels, "parts": o.parts, "verdicts": rate(o.verdict),
        "headline": headline(cal), "credit": rate(o.score), "tolerance": f"{cal.tolerance:g}",
        "kappa": kappa_text(o), "resamples": o.kappa.resamples, "seed": cal.seed,
        "by_method": split_rows(cal.by_method, has_kinds(cal)),
        "by_strategy": split_rows(cal.by_strategy, has_kinds(cal)),
        "confusion": confusion_rows(o),
        "disagreements": [{
            "where": f"{p.group} {p.part}" + (f" [{p.kind}]" if p.kind else ""),
            "ta": "/".join(p.ta) + ("" if p.ta_score is None else f" {p.ta_score:.2f}"),
            "grader": p.verdict + ("" if p.score is None else f" {p.score:.2f}"),
            "by": f"{p.grader or '-'} ({p.method})", "note": p.note or "(no note)",
            "reason": " ".join(p.reason.split()) or "(no reason)"}
            for p in cal.disagreements],
        "warnings": list(cal.warnings),
    }


def ta_json(cal: Calibration | None) -> dict[str, Any] | None:
    """The section in the JSON report: `psetbench calibrate --format json`'s document."""
    return None if cal is None else to_json(cal)
