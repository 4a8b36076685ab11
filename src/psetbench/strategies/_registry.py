"""The one place strategies are registered: the built-in ones, then plugins.

A separate package adds a strategy by declaring an entry point in the `psetbench.strategies`
group that names a `Strategy` subclass (or instance); see docs/strategies.md. Unknown names
are a `StrategyError` listing the known ones.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from psetbench._plugins import plugins
from psetbench.errors import PsetbenchError
from psetbench.problemset import ProblemSet
from psetbench.strategies._base import Strategy
from psetbench.strategies._hybrid import Hybrid
from psetbench.strategies._isolated import Isolated
from psetbench.strategies._one_turn import OneTurn
from psetbench.strategies._per_part import PerPart
from psetbench.strategies._units import Unit
from psetbench.strategies._whole_set import WholeSet

ENTRY_POINT_GROUP = "psetbench.strategies"
BUILTIN: tuple[Strategy, ...] = (OneTurn(), PerPart(), Hybrid(), Isolated(), WholeSet())


class StrategyError(PsetbenchError, ValueError):
    """An unknown strategy name, or a plugin that does not provide a strategy."""


@functools.cache
def strategies() -> dict[str, Strategy]:
    """Every strategy by name: the built-in ones in their order, then installed plugins."""
    found = {s.name: s for s in BUILTIN}
    added = plugins(ENTRY_POINT_GROUP, Strategy, "strategy", set(found))
    found.update((s.name, s) for s in added)
    return found


def reload_plugins() -> None:
    """Look for installed strategy plugins again (after installing one in this process)."""
    strategies.cache_clear()


def get_strategy(name: str) -> Strategy:
    known = strategies()
    if name not in known:
        raise StrategyError(f"unknown strategy {name!r}; use one of: {', '.join(known)}")
    return known[name]


def check_strategy(name: str) -> str:
    return get_strategy(name).name


def plan(pset: ProblemSet, strategy: str) -> list[Unit]:
    """The units (samples) a strategy asks, in the set's order."""
    return get_strategy(strategy).plan(pset)


class _Descriptions(Mapping[str, str]):
    """Strategy name -> its one-line description, as the registry holds them now."""

    def __getitem__(self, name: str) -> str:
        return strategies()[name].description

    def __iter__(self) -> Iterator[str]:
        return iter(strategies())

    def __len__(self) -> int:
        return len(strategies())


STRATEGIES: Mapping[str, str] = _Descriptions()
