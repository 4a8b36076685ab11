"""`--narrate`: the grader model rewrites the derived suggestions as a short paragraph.

The model only rewords: it sees the suggestions and pattern counts psetbench derived from
the grades, is told to add no fact, and its paragraph is labelled with its name and shown
above the derived list, which stays as it was.
"""

from __future__ import annotations

import asyncio

from inspect_ai.model import (
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
    get_model,
)

from psetbench.report._data import ReportData
from psetbench.report._suggest import Suggestion

NARRATE_SYSTEM = """\
You write the conclusion of a homework-evaluation report for course staff. Use only the facts \
given; add no number, claim or recommendation that is not in them."""

NARRATE_TEMPLATE = """\
Set: {title}. Failure patterns (counts derived from the grades):
{patterns}

Suggestions derived from them:
{suggestions}

Rewrite these as one short paragraph (at most 120 words) a teaching assistant would read."""


def narrate(data: ReportData, model_name: str | Model) -> None:
    """Put the model's paragraph first among the suggestions (no-op when there are none)."""
    if not data.suggestions:
        return
    if isinstance(model_name, str):
        from psetbench.models import check_model

        check_model(model_name, role="narrate")
    patterns = "\n".join(f"- {p.title}: {p.count}" for p in data.patterns if p.count) \
        or "- none"
    suggestions = "\n".join(f"- {s.text}" for s in data.suggestions)
    prompt = NARRATE_TEMPLATE.format(title=data.pset.title, patterns=patterns,
                                     suggestions=suggestions)

    async def ask() -> str:
        model = get_model(model_name)  # a name, or a Model object as given
        output = await model.generate(
            [ChatMessageSystem(content=NARRATE_SYSTEM), ChatMessageUser(content=prompt)],
            config=GenerateConfig(temperature=0.0, seed=0), cache=True)
        return output.completion.strip()

    text = asyncio.run(ask())
    if text:
        name = str(model_name)
        data.suggestions.insert(0, Suggestion(
            text=f"{text} (written by {name} from the suggestions below)",
            source=f"narrated:{name}"))
