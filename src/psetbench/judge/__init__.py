"""An LLM judge that grades each part against its official solution, and fails closed; and the
pairwise judge that says which of two answers to a part is better (for `psetbench.compare`)."""

from psetbench.judge._apply import (
    CUT_OFF_NOTE,
    apply_judgment,
    judge_grades,
    judge_run,
)
from psetbench.judge._judge import (
    JudgeOutcome,
    Vote,
    judge_part,
)
from psetbench.judge._pairwise import (
    PairwiseAsk,
    Preference,
    ask_order,
    label_mismatch,
)
from psetbench.judge._prompts import (
    JUDGE_SYSTEM,
    neutralise,
    render_judge_prompt,
)
from psetbench.judge._validate import (
    Judgment,
    JudgmentError,
    contradiction,
    has_substance,
    parse_model,
)

__all__ = [
    "CUT_OFF_NOTE",
    "JUDGE_SYSTEM",
    "JudgeOutcome",
    "Judgment",
    "JudgmentError",
    "PairwiseAsk",
    "Preference",
    "Vote",
    "apply_judgment",
    "ask_order",
    "contradiction",
    "has_substance",
    "judge_grades",
    "judge_part",
    "judge_run",
    "label_mismatch",
    "neutralise",
    "parse_model",
    "render_judge_prompt",
]
