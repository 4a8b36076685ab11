"""Split a model's reply into per-part answers, and say what was skipped.

    result = segment_reply(reply, [PartRef("1", "a", "How many bytes ..."), ...])
    result.get("1", "a")        # Segment(text=..., method="label", confidence=0.95) or None
    result.missing              # parts with no answer
    result.needs_model          # True when a grader model should confirm the split

See docs/segmentation.md for the rules.
"""

from psetbench.segment._clean import clean_reply
from psetbench.segment._model_split import split_with_model
from psetbench.segment._recap import strip_recaps
from psetbench.segment._segment import segment_reply
from psetbench.segment._text import latex_words, math_words
from psetbench.segment._types import METHODS, MODEL_THRESHOLD, PartRef, SegmentationResult

__all__ = [
    "METHODS",
    "MODEL_THRESHOLD",
    "PartRef",
    "SegmentationResult",
    "clean_reply",
    "latex_words",
    "math_words",
    "segment_reply",
    "split_with_model",
    "strip_recaps",
]
