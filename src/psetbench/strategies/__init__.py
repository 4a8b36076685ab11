"""Turn strategies: the same parts asked in differently shaped conversations.

Each strategy is one `Strategy` object in its own module (`_one_turn`, `_per_part`,
`_hybrid`, `_isolated`, `_whole_set`), registered in `_registry` together with plugins from
the `psetbench.strategies` entry-point group; `plan(pset, name)` gives its units, the solver
(`homework`) asks them with a prompt template.
"""

from typing import TYPE_CHECKING, Any

from psetbench.record import TURNS_KEY
from psetbench.strategies._base import QuestionStrategy, Strategy, ask, part_blocks
from psetbench.strategies._prompts import BUILTIN as PROMPTS
from psetbench.strategies._prompts import Prompt, PromptError, load_prompt, render_turn
from psetbench.strategies._registry import (
    ENTRY_POINT_GROUP,
    STRATEGIES,
    StrategyError,
    check_strategy,
    get_strategy,
    plan,
    reload_plugins,
    strategies,
)
from psetbench.strategies._units import Conversation, PartKey, Turn, Unit

if TYPE_CHECKING:
    from psetbench.strategies._solver import homework


def __getattr__(name: str) -> Any:
    """`homework` (the Inspect solver) loads Inspect; import it only when asked for, so that
    listing strategies (the CLI's help) stays fast."""
    if name == "homework":
        from psetbench.strategies._solver import homework

        return homework
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ENTRY_POINT_GROUP",
    "PROMPTS",
    "STRATEGIES",
    "TURNS_KEY",
    "Conversation",
    "PartKey",
    "Prompt",
    "PromptError",
    "QuestionStrategy",
    "Strategy",
    "StrategyError",
    "Turn",
    "Unit",
    "ask",
    "check_strategy",
    "get_strategy",
    "homework",
    "load_prompt",
    "part_blocks",
    "plan",
    "reload_plugins",
    "render_turn",
    "strategies",
]
