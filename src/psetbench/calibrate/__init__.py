"""Calibrate: measure the grader against a TA's labels (agreement, kappa, confusion), and
re-judge the labelled parts to tune a judge against them."""

from psetbench.calibrate._agree import (
    DEFAULT_TOLERANCE,
    Agreement,
    Calibration,
    Confusion,
    Count,
    agreement,
    summarise,
)
from psetbench.calibrate._apply import PARTIAL_CREDIT, TA_GRADER, apply_labels, is_ta
from psetbench.calibrate._calibrate import (
    CalibrateError,
    Regraded,
    calibrate,
    calibrate_regrade,
    calibrate_runs,
)
from psetbench.calibrate._format import (
    JSON_VERSION,
    confusion_rows,
    disagreement_lines,
    format_before_after,
    format_json,
    format_table,
    headline,
    kappa_text,
    rate,
    split_rows,
    to_json,
)
from psetbench.calibrate._kappa import DEFAULT_RESAMPLES, Kappa, cohen_kappa
from psetbench.calibrate._pairs import METHODS, NO_GRADE, Pair, method_of, pair_labels

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_TOLERANCE",
    "JSON_VERSION",
    "METHODS",
    "NO_GRADE",
    "PARTIAL_CREDIT",
    "TA_GRADER",
    "Agreement",
    "CalibrateError",
    "Calibration",
    "Confusion",
    "Count",
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
    "disagreement_lines",
    "format_before_after",
    "format_json",
    "format_table",
    "headline",
    "is_ta",
    "kappa_text",
    "method_of",
    "pair_labels",
    "rate",
    "split_rows",
    "summarise",
    "to_json",
]
