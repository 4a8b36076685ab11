"""Turn strategies: the same parts asked in differently shaped conversations."""

from psetbench.strategies._plan import (
    STRATEGIES,
    Conversation,
    PartKey,
    StrategyError,
    Turn,
    Unit,
    check_strategy,
    plan,
)
from psetbench.strategies._prompts import BUILTIN as PROMPTS
from psetbench.strategies._prompts import Prompt, PromptError, load_prompt, render_turn
from psetbench.strategies._solver import TURNS_KEY, homework

__all__ = [
    "PROMPTS",
    "STRATEGIES",
    "TURNS_KEY",
    "Conversation",
    "PartKey",
    "Prompt",
    "PromptError",
    "StrategyError",
    "Turn",
    "Unit",
    "check_strategy",
    "homework",
    "load_prompt",
    "plan",
    "render_turn",
]
