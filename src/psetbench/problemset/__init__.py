"""Problem sets: the YAML format, its loader and its JSON Schema. The check kinds a part may
use are `psetbench.checks`' (re-exported here: they are part of the format)."""

from psetbench.checks import (
    ChoiceCheck,
    ExpressionCheck,
    KeypointsCheck,
    NumericAlternative,
    NumericCheck,
)
from psetbench.problemset._load import (
    LoadedSet,
    Problem,
    ProblemSetError,
    load_problem_set,
    validate_file,
)
from psetbench.problemset._model import (
    Check,
    Difficulty,
    Figure,
    Part,
    ProblemSet,
    Question,
    path_label,
)
from psetbench.problemset._schema import json_schema

__all__ = [
    "Check",
    "ChoiceCheck",
    "Difficulty",
    "ExpressionCheck",
    "Figure",
    "KeypointsCheck",
    "LoadedSet",
    "NumericAlternative",
    "NumericCheck",
    "Part",
    "Problem",
    "ProblemSet",
    "ProblemSetError",
    "Question",
    "json_schema",
    "load_problem_set",
    "path_label",
    "validate_file",
]
