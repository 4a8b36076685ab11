"""The log contract: what a psetbench log stores about its run (`RunMeta`), each turn of each
conversation (`TurnRecord`, `Nudge`) and the `Run` read back from it. Every stage that writes
or reads a log does it through these types."""

from psetbench.record._meta import LOG_FORMAT, META_KEY, ImportedMeta, LogError, RunMeta
from psetbench.record._run import Run
from psetbench.record._turns import (
    TURNS_KEY,
    Nudge,
    TurnLike,
    TurnMatch,
    TurnRecord,
    TurnSource,
    Usage,
    dump_turns,
    load_turns,
)

__all__ = [
    "LOG_FORMAT",
    "META_KEY",
    "TURNS_KEY",
    "ImportedMeta",
    "LogError",
    "Nudge",
    "Run",
    "RunMeta",
    "TurnLike",
    "TurnMatch",
    "TurnRecord",
    "TurnSource",
    "Usage",
    "dump_turns",
    "load_turns",
]
