"""Prompt templates: one template serves every strategy, so only the conversation's shape differs.

A prompt is a system message (optional), a turn template and two nudges. Users can pass
their own as a YAML file with any of the keys `system`, `turn`, `nudge_empty`,
`nudge_truncated` (Jinja2 templates); missing keys keep the defaults of `expert`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import yaml

from psetbench.errors import PsetbenchError
from psetbench.problemset import Part, ProblemSet, Question

EXPERT_SYSTEM = """\
You are an expert in the subject of this homework ({{ set_title }}) and an experienced teaching \
assistant. Work through each part step by step, without skipping critical steps. Label each \
answer with its part, e.g. (a), and state each final result clearly, with units. When you have \
finished, self-check your work and correct any error you find."""

TURN = """\
{% if preamble %}{{ preamble | trim }}

{% endif %}{% for q in questions %}{% if q.intro %}{% if multi_question or q.title %}\
## Question {{ q.id }}{% if q.title %}: {{ q.title }}{% endif %}

{% endif %}{% if q.stem %}{{ q.stem | trim }}

{% endif %}{% for f in q.figures %}[Figure {{ loop.index }}{% if f.caption %}: {{ f.caption }}\
{% endif %}]

{% endfor %}{% endif %}{% for p in q.parts %}{% if multi_question and not q.intro %}\
Question {{ q.id }} {% endif %}({{ p.id }}) {{ p.prompt | trim }}{% if show_points %} \
[{{ p.points | round(2) }} pt]{% endif %}

{% endfor %}{% endfor %}"""

NUDGE_EMPTY = """\
Your reply was empty. Please answer {{ labels }} now, following the instructions above."""

NUDGE_TRUNCATED = """\
Your reply was cut off. Please continue exactly where you stopped and finish {{ labels }}."""


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str | None
    turn: str
    nudge_empty: str
    nudge_truncated: str


BUILTIN: dict[str, Prompt] = {
    "expert": Prompt("expert", EXPERT_SYSTEM, TURN, NUDGE_EMPTY, NUDGE_TRUNCATED),
    "plain": Prompt("plain", None, TURN, NUDGE_EMPTY, NUDGE_TRUNCATED),
}

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                          autoescape=False)  # plain text for a model, never HTML


class PromptError(PsetbenchError, ValueError):
    pass


def load_prompt(spec: str) -> Prompt:
    """A built-in prompt by name, or a YAML file of templates."""
    if spec in BUILTIN:
        return BUILTIN[spec]
    path = Path(spec)
    if not path.is_file():
        raise PromptError(f"unknown prompt {spec!r}: use expert, plain, or a YAML file with "
                          "`system` and/or `turn` templates")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PromptError(f"{path}: cannot read prompt file ({exc})") from exc
    if not isinstance(data, dict):
        raise PromptError(f"{path}: expected a mapping with `system` and/or `turn`")
    allowed = {"system", "turn", "nudge_empty", "nudge_truncated"}
    unknown = set(data) - allowed
    if unknown:
        raise PromptError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"allowed: {', '.join(sorted(allowed))}")
    prompt = replace(BUILTIN["expert"], name=path.stem, **data)
    for field in allowed:
        text = getattr(prompt, field)
        if text is not None:
            try:
                _ENV.parse(text)
            except jinja2.TemplateSyntaxError as exc:
                raise PromptError(f"{path}: `{field}` line {exc.lineno}: {exc.message}") from exc
    return prompt


@functools.lru_cache(maxsize=64)
def _compiled(template: str) -> jinja2.Template:
    # Compiling a template costs milliseconds; a run renders the same few thousands of times.
    return _ENV.from_string(template)


def render(template: str, **context: Any) -> str:
    try:
        return _compiled(template).render(**context).strip()
    except jinja2.UndefinedError as exc:
        raise PromptError(f"prompt template uses an unknown variable: {exc.message}") from exc


def render_system(prompt: Prompt, pset: ProblemSet) -> str | None:
    if prompt.system is None:
        return None
    return render(prompt.system, set_title=pset.title, set_id=pset.id)


def render_turn(
    prompt: Prompt,
    pset: ProblemSet,
    parts: tuple[tuple[str, str], ...],
    seen_questions: set[str],
    first_turn: bool,
) -> str:
    """The user message asking `parts`; a question's heading and stem appear at its first turn.

    A sub-part appears as the homework writes it: its parents' prompts first, "(a) ...",
    then "(i) ...", each part under its own id (the template's `p.id`)."""
    questions: list[dict[str, Any]] = []
    shown: set[tuple[str, ...]] = set()
    for qid, pid in parts:
        q = pset.question(qid)
        if not questions or questions[-1]["id"] != qid:
            questions.append({
                "id": q.id, "title": q.title, "stem": q.stem, "intro": qid not in seen_questions,
                "figures": q.figures, "parts": [],
            })
            shown = set()
        for path, node in _chain(q, pset.part(qid, pid).path):
            if path not in shown:
                shown.add(path)
                questions[-1]["parts"].append(node)
    seen_questions.update(q["id"] for q in questions)
    return render(
        prompt.turn,
        preamble=pset.preamble if first_turn else None,
        questions=questions,
        multi_question=len({q for q, _ in parts}) > 1,
        show_points=False,
        set_title=pset.title,
    )


def _chain(question: Question, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Part]]:
    """The parts from the top of the question down to the leaf at `path`, each with its path."""
    return [(path[:i], question.node(path[:i])) for i in range(1, len(path) + 1)]


def labels(parts: tuple[tuple[str, str], ...], pset: ProblemSet | None = None) -> str:
    """"(a) and (b)", "(a)(i) and (a)(ii)", or "1(a) and 2(b)" across questions."""
    multi = len({q for q, _ in parts}) > 1

    def label(q: str, p: str) -> str:
        return pset.part(q, p).label if pset is not None else f"({p})"

    names = [f"{q}{label(q, p)}" if multi else label(q, p) for q, p in parts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
