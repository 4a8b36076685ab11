"""`calibrate`: the grades of some logs measured against a TA's labels."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from psetbench.calibrate._agree import DEFAULT_TOLERANCE, Calibration, summarise
from psetbench.calibrate._kappa import DEFAULT_RESAMPLES
from psetbench.calibrate._pairs import pair_labels
from psetbench.calibrate._regrade import regrade_labelled
from psetbench.errors import PsetbenchError
from psetbench.grading import Run, read_runs
from psetbench.labels import LabelsFile, load_labels


class CalibrateError(PsetbenchError):
    """Labels and logs that cannot be compared (no labelled part is in the logs)."""


class Regraded(BaseModel):
    """`calibrate --regrade`: the agreement of the grades in the logs and after grading the
    labelled parts again."""

    grader: str | None = Field(description="the judge model used for `after`; None: checks only")
    votes: int
    before: Calibration
    after: Calibration


def _labels(labels: str | Path | LabelsFile) -> tuple[LabelsFile, str]:
    if isinstance(labels, LabelsFile):
        return labels, str(labels.source or "(labels)")
    return load_labels(labels), str(labels)


def calibrate_runs(runs: Sequence[Run], labels: str | Path | LabelsFile, *,
                   tolerance: float = DEFAULT_TOLERANCE, seed: int = 0,
                   resamples: int = DEFAULT_RESAMPLES) -> Calibration:
    """The agreement of runs already read (see `calibrate`)."""
    loaded, name = _labels(labels)
    pairs, warnings = pair_labels(loaded, runs, tolerance=tolerance)
    if not pairs:
        raise CalibrateError(
            f"{name}: no labelled part is in the logs given ({len(runs)} run(s)); key each "
            "group by a log's file name or the file a conversation was imported from")
    return summarise(pairs, labels=name, logs=[r.path for r in runs], tolerance=tolerance,
                     seed=seed, resamples=resamples, warnings=warnings)


def calibrate(logs: Sequence[str | Path], labels: str | Path | LabelsFile, *,
              tolerance: float = DEFAULT_TOLERANCE, seed: int = 0,
              resamples: int = DEFAULT_RESAMPLES) -> Calibration:
    """How well the grades in `logs` (files or folders) agree with a TA's labels.

    Raises LabelsError (a bad labels file, or a part key the set lacks), LogError or
    CalibrateError; nothing is written."""
    if not 0.0 <= tolerance <= 1.0:
        raise CalibrateError(f"--tolerance {tolerance}: give a credit difference from 0 to 1")
    loaded, name = _labels(labels)
    runs = read_runs([str(p) for p in logs])
    result = calibrate_runs(runs, loaded, tolerance=tolerance, seed=seed, resamples=resamples)
    result.labels = name
    return result


def calibrate_regrade(logs: Sequence[str | Path], labels: str | Path | LabelsFile, *,
                      grader: str | None, votes: int = 1,
                      tolerance: float = DEFAULT_TOLERANCE, seed: int = 0,
                      resamples: int = DEFAULT_RESAMPLES) -> Regraded:
    """`calibrate` before and after grading the labelled parts again with the current checks
    and, with `grader`, the judge (`votes` asks each). The logs are never changed: the
    regrading works on copies."""
    if grader is not None:
        from psetbench.models import check_model

        check_model(grader, role="grader")
    loaded, name = _labels(labels)
    runs = read_runs([str(p) for p in logs])
    before = calibrate_runs(runs, loaded, tolerance=tolerance, seed=seed, resamples=resamples)
    again = regrade_labelled(runs, loaded, grader=grader, votes=votes)
    after = calibrate_runs(again, loaded, tolerance=tolerance, seed=seed, resamples=resamples)
    before.labels = after.labels = name
    return Regraded(grader=grader, votes=votes, before=before, after=after)
