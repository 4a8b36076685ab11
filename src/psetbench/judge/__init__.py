"""An LLM judge that grades each part against its official solution, and fails closed."""

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
    response_schema,
)

__all__ = [
    "CUT_OFF_NOTE",
    "JUDGE_SYSTEM",
    "JudgeOutcome",
    "Judgment",
    "JudgmentError",
    "Vote",
    "apply_judgment",
    "contradiction",
    "has_substance",
    "judge_grades",
    "judge_part",
    "judge_run",
    "neutralise",
    "parse_model",
    "render_judge_prompt",
    "response_schema",
]
