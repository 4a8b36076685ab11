"""The registry of check kinds: built-in kinds (one file each in `kinds/`) and kinds that
installed packages add through the `psetbench.checks` entry-point group.

A kind is registered by decorating its `CheckConfig` subclass with `@check_kind`. The problem
set's `checks:` list accepts exactly the registered kinds (`check_union`), so a plugin's kind
validates, grades, shows in `psetbench schema` and is described to the judge like a built-in.
"""

from __future__ import annotations

import sys
import threading
import typing
from importlib.metadata import entry_points
from typing import Annotated, Any, TypeVar

from pydantic import Field

from psetbench.checks._config import CheckConfig
from psetbench.errors import PsetbenchError

ENTRY_POINTS = "psetbench.checks"
C = TypeVar("C", bound=type[CheckConfig])

_KINDS: dict[str, type[CheckConfig]] = {}
_LOADED = threading.Event()
_LOCK = threading.RLock()  # a plugin may ask for the kinds while it loads


class CheckKindError(PsetbenchError, ValueError):
    """An unknown or badly defined check kind."""


def _kind_name(cls: type[CheckConfig]) -> str:
    field = cls.model_fields.get("kind")
    args = typing.get_args(field.annotation) if field is not None else ()
    if len(args) != 1 or not isinstance(args[0], str):
        raise CheckKindError(f"{cls.__qualname__}: declare the kind's name as "
                             "`kind: Literal[\"name\"]`")
    return args[0]


def check_kind(cls: C) -> C:
    """Register a check kind (a `CheckConfig` subclass) under its `kind` literal."""
    name = _kind_name(cls)
    known = _KINDS.get(name)
    if known is not None and known is not cls:
        raise CheckKindError(f"check kind {name!r} is defined twice ({known.__module__} and "
                             f"{cls.__module__}); rename one")
    _KINDS[name] = cls
    return cls


def _load_plugins() -> None:
    """Built-in kinds, then each installed plugin's (once per process; a plugin that fails to
    load is named on stderr and left out, so one broken package never stops grading)."""
    if _LOADED.is_set():
        return
    with _LOCK:
        if _LOADED.is_set():
            return
        import psetbench.checks.kinds  # noqa: F401  (registers the built-in kinds)

        for point in entry_points(group=ENTRY_POINTS):
            try:
                loaded = point.load()
                if isinstance(loaded, type) and issubclass(loaded, CheckConfig):
                    check_kind(loaded)
            except Exception as exc:
                print(f"Warning: check plugin {point.name!r} ({point.value}) did not load: "
                      f"{type(exc).__name__}: {exc}", file=sys.stderr)
        _LOADED.set()


def check_kinds() -> dict[str, type[CheckConfig]]:
    """Every registered kind by name, built-ins first."""
    _load_plugins()
    return dict(_KINDS)


def kind_named(name: str) -> type[CheckConfig]:
    """The kind called `name`; an unknown name is an error listing the known ones."""
    kinds = check_kinds()
    if name not in kinds:
        raise CheckKindError(f"unknown check kind {name!r}; use one of: {', '.join(kinds)}")
    return kinds[name]


def is_deterministic(name: str) -> bool:
    """Whether results of kind `name` fix their share of a score (False for an unknown kind,
    e.g. a plugin no longer installed when an old log is read)."""
    kind = check_kinds().get(name)
    return kind is not None and kind.deterministic


def check_union() -> Any:
    """The type of one entry of a part's `checks:` list: any registered kind, told apart by
    its `kind` field."""
    kinds = tuple(check_kinds().values())
    if len(kinds) == 1:
        return kinds[0]
    return Annotated[typing.Union[kinds], Field(discriminator="kind")]  # noqa: UP007
