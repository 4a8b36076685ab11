"""Import conversations people had in chat apps, and grade them like any run.

    result = import_conversation(["chat.txt"], "hw.yaml", log_dir=Path("logs"))
    result.run.grades            # per-part grades, as `psetbench grades` shows them
    print(result.describe())     # which message asked which part, and how sure that is

Each file format is one `ImportFormat` in its own module (`_text`, `_openai`, `_chatgpt`,
`_claude`), registered in `_registry` together with plugins from the `psetbench.importers`
entry-point group. See docs/import.md for the formats, the mapping rules and adding a format.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from psetbench.importers._exports import ExportFormat
from psetbench.importers._format import Content, ImportFormat
from psetbench.importers._read import detect, read_transcripts
from psetbench.importers._registry import (
    ENTRY_POINT_GROUP,
    FORMATS,
    check_format,
    formats,
    get_format,
    reload_plugins,
)
from psetbench.importers._types import Message, Transcript, TranscriptError

if TYPE_CHECKING:
    from psetbench.importers._import import (
        UNKNOWN_MODEL,
        ImportResult,
        TurnSummary,
        import_conversation,
    )
    from psetbench.importers._match import PartMatch, match_turn

#: names whose modules load grading, segmentation and Inspect: imported when first asked for,
#: so that listing the formats (the CLI's help) stays fast
_LAZY = {"UNKNOWN_MODEL": "_import", "ImportResult": "_import", "TurnSummary": "_import",
         "import_conversation": "_import", "PartMatch": "_match", "match_turn": "_match"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"psetbench.importers.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMATS",
    "UNKNOWN_MODEL",
    "Content",
    "ExportFormat",
    "ImportFormat",
    "ImportResult",
    "Message",
    "PartMatch",
    "Transcript",
    "TranscriptError",
    "TurnSummary",
    "check_format",
    "detect",
    "formats",
    "get_format",
    "import_conversation",
    "match_turn",
    "read_transcripts",
    "reload_plugins",
]
