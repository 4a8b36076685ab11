"""The one place import formats are registered: the built-in ones, then plugins.

A separate package adds a format by declaring an entry point in the `psetbench.importers` group
that names an `ImportFormat` subclass (or instance); see docs/import.md. Unknown names are a
`TranscriptError` listing the known ones.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from psetbench._plugins import plugins
from psetbench.importers._chatgpt import ChatGPT
from psetbench.importers._claude import Claude
from psetbench.importers._format import Content, ImportFormat
from psetbench.importers._openai import OpenAI
from psetbench.importers._text import Text
from psetbench.importers._types import TranscriptError

ENTRY_POINT_GROUP = "psetbench.importers"
BUILTIN: tuple[ImportFormat, ...] = (Text(), OpenAI(), ChatGPT(), Claude())


@functools.cache
def formats() -> dict[str, ImportFormat]:
    """Every import format by name: the built-in ones in their order, then installed plugins."""
    found = {f.name: f for f in BUILTIN}
    added = plugins(ENTRY_POINT_GROUP, ImportFormat, "import format", set(found))
    found.update((f.name, f) for f in added)
    return found


def reload_plugins() -> None:
    """Look for installed import format plugins again (after installing one in this process)."""
    formats.cache_clear()


def get_format(name: str) -> ImportFormat:
    known = formats()
    if name not in known:
        raise TranscriptError(f"unknown format {name!r}; use one of: {', '.join(known)}")
    return known[name]


def check_format(name: str | None) -> str | None:
    """`name` when it is a registered format (or None: detect it); else a TranscriptError."""
    return None if name is None else get_format(name).name


def detect_format(content: Content) -> ImportFormat | None:
    """The format most sure that it reads `content` (the first registered on a tie), or None
    when every format says 0."""
    best: ImportFormat | None = None
    best_score = 0.0
    for fmt in formats().values():
        score = fmt.detect(content)
        if score > best_score:
            best, best_score = fmt, score
    return best


class _Descriptions(Mapping[str, str]):
    """Format name -> its one-line description, as the registry holds them now."""

    def __getitem__(self, name: str) -> str:
        return formats()[name].description

    def __iter__(self) -> Iterator[str]:
        return iter(formats())

    def __len__(self) -> int:
        return len(formats())


#: the formats a file can be read as; `--format` takes these names
FORMATS: Mapping[str, str] = _Descriptions()
