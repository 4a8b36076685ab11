"""The pairwise judge lives in `psetbench.judge` (judge/_pairwise.py); its names stay
importable from here for code written before it moved."""

from psetbench.judge import PairwiseAsk, Preference, ask_order, label_mismatch

__all__ = ["PairwiseAsk", "Preference", "ask_order", "label_mismatch"]
