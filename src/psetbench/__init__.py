"""psetbench: how well language models do written homework, and which way of asking works best."""

__version__ = "0.1.0"
