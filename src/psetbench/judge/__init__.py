"""An LLM judge that grades each part against its official solution, and fails closed."""

from psetbench.judge._apply import (
    CUT_OFF_NOTE,
    DETERMINISTIC_KINDS,
    apply_judgment,
    earlier_answers,
    judge_grades,
    judge_run,
    judge_summary,
)
from psetbench.judge._judge import (
    CONSERVATIVE_ORDER,
    JudgeOutcome,
    Vote,
    aggregate,
    ask_judge,
    judge_part,
)
from psetbench.judge._prompts import (
    JUDGE_SYSTEM,
    JUDGE_TEMPLATE,
    RETRY_TEMPLATE,
    neutralise,
    render_judge_prompt,
)
from psetbench.judge._validate import (
    Judgment,
    JudgmentError,
    contradiction,
    extract_json,
    has_substance,
    parse_model,
    response_schema,
    validate_judgment,
)

__all__ = [
    "CONSERVATIVE_ORDER",
    "CUT_OFF_NOTE",
    "DETERMINISTIC_KINDS",
    "JUDGE_SYSTEM",
    "JUDGE_TEMPLATE",
    "RETRY_TEMPLATE",
    "JudgeOutcome",
    "Judgment",
    "JudgmentError",
    "Vote",
    "aggregate",
    "apply_judgment",
    "ask_judge",
    "contradiction",
    "earlier_answers",
    "extract_json",
    "has_substance",
    "judge_grades",
    "judge_part",
    "judge_run",
    "judge_summary",
    "neutralise",
    "parse_model",
    "render_judge_prompt",
    "response_schema",
    "validate_judgment",
]
