"""The one place import formats are registered: the built-in ones, then plugins.

A separate package adds a format by declaring an entry point in the `psetbench.importers` group
that names an `ImportFormat` subclass (or instance); see docs/import.md. Unknown names are a
`TranscriptError` listing the known ones.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator, Mapping
from importlib.metadata import EntryPoint, entry_points

from psetbench.importers._chatgpt import ChatGPT
from psetbench.importers._claude import Claude
from psetbench.importers._format import Content, ImportFormat
from psetbench.importers._openai import OpenAI
from psetbench.importers._text import Text
from psetbench.importers._types import TranscriptError

ENTRY_POINT_GROUP = "psetbench.importers"
BUILTIN: tuple[ImportFormat, ...] = (Text(), OpenAI(), ChatGPT(), Claude())


def _load(entry: EntryPoint) -> ImportFormat:
    obj = entry.load()
    fmt = obj() if isinstance(obj, type) and issubclass(obj, ImportFormat) else obj
    if not isinstance(fmt, ImportFormat):
        raise TranscriptError(f"entry point {entry.value!r} is not a psetbench ImportFormat; "
                              "point it at an ImportFormat subclass")
    return fmt


def _plugins(taken: set[str]) -> Iterator[ImportFormat]:
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            fmt = _load(entry)
        except Exception as exc:  # a broken plugin must not stop the built-in formats
            warnings.warn(f"import format plugin {entry.name!r} ({entry.value}) skipped: {exc}",
                          stacklevel=2)
            continue
        if fmt.name in taken:
            warnings.warn(f"import format plugin {entry.value!r} skipped: the name "
                          f"{fmt.name!r} is taken", stacklevel=2)
            continue
        taken.add(fmt.name)
        yield fmt


@functools.cache
def formats() -> dict[str, ImportFormat]:
    """Every import format by name: the built-in ones in their order, then installed plugins."""
    found = {f.name: f for f in BUILTIN}
    found.update((f.name, f) for f in _plugins(set(found)))
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
