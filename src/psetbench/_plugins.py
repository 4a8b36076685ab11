"""Plugins from installed packages: the objects an entry-point group names, each checked to be
of the registry's kind. Strategies and import formats load theirs through here; one broken or
clashing plugin is a warning, never a stop, so the built-in kinds always work."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from typing import Any


def _load(entry: EntryPoint, kind: type) -> Any:
    obj: Any = entry.load()
    found = obj() if isinstance(obj, type) and issubclass(obj, kind) else obj
    if not isinstance(found, kind):
        raise TypeError(f"entry point {entry.value!r} is not a psetbench {kind.__name__}; "
                        f"point it at a {kind.__name__} subclass")
    return found


def plugins(group: str, kind: type, what: str, taken: set[str]) -> Iterator[Any]:
    """Each `kind` (an instance, or made from the subclass named) in entry-point `group`
    whose `name` is not in `taken` (which grows); `what` names them in warnings. (`kind` is
    typically abstract, which a type variable would not accept; callers know their kind.)"""
    for entry in entry_points(group=group):
        try:
            found = _load(entry, kind)
        except Exception as exc:  # a broken plugin must not stop the built-in ones
            warnings.warn(f"{what} plugin {entry.name!r} ({entry.value}) skipped: {exc}",
                          stacklevel=3)
            continue
        if found.name in taken:
            warnings.warn(f"{what} plugin {entry.value!r} skipped: the name {found.name!r} is "
                          "taken", stacklevel=3)
            continue
        taken.add(found.name)
        yield found
