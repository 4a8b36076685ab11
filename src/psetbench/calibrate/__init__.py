"""Calibrate: measure the grader against a TA's labels (agreement, kappa, confusion), and
re-judge the labelled parts to tune a judge against them."""

from psetbench.calibrate._agree import (
    Agreement,
    Calibration,
    Confusion,
    agreement,
)
from psetbench.calibrate._apply import apply_labels, is_ta, ta_confirmed
from psetbench.calibrate._calibrate import (
    CalibrateError,
    Regraded,
    calibrate,
    calibrate_regrade,
    calibrate_runs,
)
from psetbench.calibrate._format import (
    confusion_rows,
    format_before_after,
    format_table,
    has_kinds,
    headline,
    kappa_text,
    rate,
    split_rows,
    to_json,
)
from psetbench.calibrate._kappa import Kappa, cohen_kappa
from psetbench.calibrate._pairs import NO_GRADE, Pair, method_of

__all__ = [
    "NO_GRADE",
    "Agreement",
    "CalibrateError",
    "Calibration",
    "Confusion",
    "Kappa",
    "Pair",
    "Regraded",
    "agreement",
    "apply_labels",
    "calibrate",
    "calibrate_regrade",
    "calibrate_runs",
    "cohen_kappa",
    "confusion_rows",
    "format_before_after",
    "format_table",
    "has_kinds",
    "headline",
    "is_ta",
    "kappa_text",
    "method_of",
    "rate",
    "split_rows",
    "ta_confirmed",
    "to_json",
]
