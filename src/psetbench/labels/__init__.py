"""Labels: a TA's verdicts per run and part, in a YAML file beside the logs.

The contract the review page (`psetbench view`) and `psetbench calibrate` share: load and
check a file (every problem as file:line), find a run's labels, set one, save atomically.
"""

from psetbench.labels._load import LabelProblem, LabelsError, load_labels
from psetbench.labels._model import (
    DEFAULT_LABELS_NAME,
    TA_VERDICTS,
    Label,
    LabelGroup,
    LabelsFile,
    default_group_name,
    default_labels_path,
    labels_json_schema,
    part_keys,
    run_names,
)
from psetbench.labels._rule import PARTIAL_CREDIT, TaGrade, ta_grade, verdict_credit
from psetbench.labels._save import dump_labels, save_labels, set_label
from psetbench.labels._validate import LabelProblems, label_problems, validate_labels

__all__ = [
    "DEFAULT_LABELS_NAME",
    "PARTIAL_CREDIT",
    "TA_VERDICTS",
    "Label",
    "LabelGroup",
    "LabelProblem",
    "LabelProblems",
    "LabelsError",
    "LabelsFile",
    "TaGrade",
    "default_group_name",
    "default_labels_path",
    "dump_labels",
    "label_problems",
    "labels_json_schema",
    "load_labels",
    "part_keys",
    "run_names",
    "save_labels",
    "set_label",
    "ta_grade",
    "validate_labels",
    "verdict_credit",
]
