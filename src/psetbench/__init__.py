"""psetbench: how well language models do written homework, and which way of asking works best.

    import psetbench

    pset = psetbench.load_set("psets/probability-intro.yaml")
    runs = psetbench.run("psets/probability-intro.yaml", model="openai/gpt-4o-mini",
                         strategies=["one-turn", "per-part"])
    grades = psetbench.read_grades("psetbench-logs/probability-intro")
    psetbench.report("psetbench-logs/probability-intro", "report.html")

The verbs are `load_set`, `run`, `grade`, `read_runs`, `read_grades`, `compare`, `report`,
`import_conversation`, `load_labels`, `calibrate` and `draft`; the nouns `ProblemSet`, `Run`,
`PartGrade`, `Verdict`, `Comparison`, `ImportResult`, `Strategy`, `LabelsFile`, `Calibration`
and `PsetbenchError`, the base of every error a user can fix.
See docs/api.md. The stages, in pipeline order, are the subpackages `problemset`,
`strategies`, `models`, `runs`, `segment`, `checks`, `draft`, `judge`, `grading`, `importers`,
`labels`, `calibrate`, `compare`, `report` and `view`.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from psetbench._api import (
    calibrate,
    compare,
    draft,
    grade,
    import_conversation,
    load_labels,
    load_set,
    read_grades,
    read_runs,
    report,
    run,
)
from psetbench._version import __version__
from psetbench.errors import PsetbenchError

if TYPE_CHECKING:
    from psetbench.calibrate import Calibration
    from psetbench.compare import Comparison
    from psetbench.grading import Run
    from psetbench.importers import ImportResult
    from psetbench.labels import LabelsFile
    from psetbench.problemset import ProblemSet
    from psetbench.strategies import Strategy
    from psetbench.types import PartGrade, Verdict

# the nouns, imported when first used so that `import psetbench` stays light
_NOUNS = {
    "Calibration": "psetbench.calibrate",
    "Comparison": "psetbench.compare",
    "ImportResult": "psetbench.importers",
    "LabelsFile": "psetbench.labels",
    "PartGrade": "psetbench.types",
    "ProblemSet": "psetbench.problemset",
    "Run": "psetbench.grading",
    "Strategy": "psetbench.strategies",
    "Verdict": "psetbench.types",
}
_VERBS = frozenset({"calibrate", "compare", "draft", "grade", "import_conversation",
                    "load_labels", "load_set", "read_grades", "read_runs", "report", "run"})

__all__ = [
    "Calibration",
    "Comparison",
    "ImportResult",
    "LabelsFile",
    "PartGrade",
    "ProblemSet",
    "PsetbenchError",
    "Run",
    "Strategy",
    "Verdict",
    "__version__",
    "calibrate",
    "compare",
    "draft",
    "grade",
    "import_conversation",
    "load_labels",
    "load_set",
    "read_grades",
    "read_runs",
    "report",
    "run",
]


def __getattr__(name: str) -> Any:
    if name in _NOUNS:
        import importlib

        return getattr(importlib.import_module(_NOUNS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing the subpackages `psetbench.compare` and `psetbench.report` would otherwise
    rebind the names of the verbs `compare` and `report`; the subpackages stay importable by
    their dotted names (`from psetbench.report import write_report`)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _VERBS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
