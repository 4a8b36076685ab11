"""What an import format is: a name, a line describing it, how sure it is that a file is in it,
and how it reads one into transcripts.

Each format is one `ImportFormat` in its own module (`_text`, `_openai`, `_chatgpt`,
`_claude`), registered in `_registry` together with plugins from the `psetbench.importers`
entry-point group; see docs/import.md. Every format looks at the same `Content`: the file read
and decoded once, and parsed as JSON at most once however many formats ask.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from psetbench.importers._types import Transcript, TranscriptError


class Content:
    """A conversation file's text, with its JSON value (or JSON lines) parsed when asked."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    @classmethod
    def read(cls, path: Path) -> Content:
        """The file as UTF-8 text; a TranscriptError when it is missing, binary or empty."""
        if not path.is_file():
            raise TranscriptError(f"{path}: no such file; give a copied conversation or an "
                                  "export")
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TranscriptError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 "
                                  "text or JSON") from exc
        if not text.strip():
            raise TranscriptError(f"{path}: the file is empty; copy or export the conversation "
                                  "again")
        return cls(path, text)

    @cached_property
    def _parsed(self) -> tuple[Any, Exception | None]:
        try:
            return json.loads(self.text), None
        except (json.JSONDecodeError, RecursionError) as exc:
            return None, exc

    @property
    def is_json(self) -> bool:
        """The whole file is one JSON value (possibly nested too deeply to parse)."""
        return not isinstance(self._parsed[1], json.JSONDecodeError)

    @property
    def too_deep(self) -> bool:
        """The file is JSON nested too deeply for Python's parser."""
        return isinstance(self._parsed[1], RecursionError)

    def json(self) -> Any:
        """The file's JSON value; a one-line TranscriptError when it is not JSON or is nested
        too deeply to read."""
        value, error = self._parsed
        if isinstance(error, RecursionError):
            raise TranscriptError(f"{self.path}: JSON nested too deeply to read; export the "
                                  "conversation again") from error
        if isinstance(error, json.JSONDecodeError):
            raise TranscriptError(f"{self.path}: not valid JSON (line {error.lineno}: "
                                  f"{error.msg}); export the conversation again or use "
                                  "--format text") from error
        return value

    @cached_property
    def json_lines(self) -> list[Any] | None:
        """The values of a JSONL file (two or more non-blank lines, each valid JSON), else
        None."""
        rows = [line for line in self.text.splitlines() if line.strip()]
        if len(rows) < 2:
            return None
        try:
            return [json.loads(row) for row in rows]
        except (json.JSONDecodeError, RecursionError):
            return None


class ImportFormat(ABC):
    """One kind of conversation file. `name` is what `--format` takes.

    `detect` says how sure the format is that a file is in it, from 0 (not this format) to 1;
    the most confident format reads the file, and a tie goes to the one registered first (the
    built-in formats, in their order, then plugins). `detect` must not raise.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    #: whether a large export is read while streaming when one conversation is picked
    #: (see `ExportFormat`)
    streams: ClassVar[bool] = False

    @abstractmethod
    def detect(self, content: Content) -> float:
        """How sure this format is that `content` is in it: 0 (not at all) to 1 (certain)."""

    @abstractmethod
    def read(self, content: Content, conversation: str | None) -> list[Transcript]:
        """The conversations in the file (one, unless the format holds several), or a
        one-line TranscriptError naming the file. `conversation` is `--conversation`: the
        title or id of the one to pick from a file that holds many."""
