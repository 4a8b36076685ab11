"""What a person calls a dimension, for the reasons checks give ("it gives 16e12, a plain
number", "expected a data size")."""

from __future__ import annotations

_DIMENSION_NAMES = {
    "[information]": "data size",
    "[flop]": "FLOP count",
    "[flop] / [time]": "compute rate (FLOP/s)",
    "[currency]": "amount of money",
    "[currency] / [time]": "cost per time",
    "[time]": "time",
    "[gpu]": "GPU count",
    "[gpu] * [time]": "GPU time",
    "[token]": "token count",
    "[parameter]": "parameter count",
    "[information] / [time]": "bandwidth",
    "[currency] / [token]": "price per token",
    "[flop] / [token]": "FLOP per token",
    "dimensionless": "plain number",
}


def describe(dimension: str) -> str:
    """A person's name for a dimension: 'data size', 'compute rate (FLOP/s)'."""
    return _DIMENSION_NAMES.get(dimension, f"quantity in {dimension}")


def with_article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeio" else "a ") + noun
