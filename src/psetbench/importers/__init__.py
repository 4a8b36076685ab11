"""Import conversations people had in chat apps, and grade them like any run.

    result = import_conversation(["chat.txt"], "hw.yaml", log_dir=Path("logs"))
    result.run.grades            # per-part grades, as `psetbench grades` shows them
    print(result.describe())     # which message asked which part, and how sure that is

See docs/import.md for the formats and the mapping rules.
"""

from psetbench.importers._import import (
    UNKNOWN_MODEL,
    ImportResult,
    TurnSummary,
    import_conversation,
)
from psetbench.importers._match import PartMatch, match_turn
from psetbench.importers._read import detect, read_transcripts
from psetbench.importers._types import FORMATS, Message, Transcript, TranscriptError

__all__ = [
    "FORMATS",
    "UNKNOWN_MODEL",
    "ImportResult",
    "Message",
    "PartMatch",
    "Transcript",
    "TranscriptError",
    "TurnSummary",
    "detect",
    "import_conversation",
    "match_turn",
    "read_transcripts",
]
