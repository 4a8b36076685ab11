"""The Markdown report: scoreboard, then one row per part and one column per strategy."""

from __future__ import annotations

import jinja2

from psetbench import __version__
from psetbench.report._data import Column, ReportData
from psetbench.types import PartGrade, Verdict

MARK = {
    Verdict.correct: "✅",
    Verdict.partial: "🟡",
    Verdict.incorrect: "❌",
    Verdict.missing: "⬜ missing",
    Verdict.ungraded: "❔ ungraded",
    Verdict.not_asked: "– not asked",
}

TEMPLATE = """\
# psetbench report: {{ d.pset.title }}

Set `{{ d.pset.id }}` · {{ d.pset.questions | length }} questions, {{ n_parts }} parts, \
{{ total_points | fmt }} points · model{{ 's' if d.models | length > 1 }}: \
{{ d.models | map('code') | join(', ') }} · psetbench {{ version }}

{% if ungraded_note %}> {{ ungraded_note }}

{% endif %}## Scoreboard

| model | strategy | score | points | correct | partial | incorrect | missing | ungraded \
| nudged | tokens (in/out) | cost | wall time |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{% for c in d.columns %}| {{ c.model }} | {{ c.strategy }} | **{{ (100 * c.score) | fmt }}%** \
| {{ c.earned | fmt }}/{{ c.points | fmt }} | {{ c.count(V.correct) }} | {{ c.count(V.partial) }} \
| {{ c.count(V.incorrect) }} | {{ c.count(V.missing) }} | {{ c.count(V.ungraded) }} \
| {{ c.nudged }} | {{ c.input_tokens }}/{{ c.output_tokens }} | {{ c.cost | money }} \
| {{ c.wall_seconds | secs }} |
{% endfor %}
## Per part

| part | points | difficulty |{% for c in d.columns %} {{ c.name }} |{% endfor %}
|---|---:|---|{% for c in d.columns %}---|{% endfor %}
{% for q in d.pset.questions %}{% for p in q.parts %}| {{ q.id }}({{ p.id }}) \
| {{ p.points | fmt }} | {{ p.difficulty.value }} |{% for c in d.columns %} \
{{ cell(q.id, p.id, c) }} |{% endfor %}
{% endfor %}{% endfor %}
## Why

{% for q in d.pset.questions %}### Question {{ q.id }}{% if q.title %}: {{ q.title }}{% endif %}

{% for p in q.parts %}{% for c in d.columns %}{% for g in grades(q.id, p.id, c) %}\
- **{{ q.id }}({{ p.id }})**, {{ c.name }}{% if g.epoch > 1 %} (epoch {{ g.epoch }}){% endif %}: \
{{ g.verdict.value }} ({{ g.earned | fmt }}/{{ g.points | fmt }}) by `{{ g.grader }}`: \
{{ g.reason | oneline }}{% for ch in g.checks %}
  - {{ ch.kind }}{% if ch.label %} “{{ ch.label }}”{% endif %}: {{ ch.status.value }}; \
expected {{ ch.expected | oneline }}{% if ch.found %}, found {{ ch.found | oneline }}{% endif %}\
{% if ch.matched and ch.matched != 'answer' %} (matched reading: {{ ch.matched | oneline }})\
{% endif %} — {{ ch.reason | oneline }} [`{{ ch.method }}`]{% endfor %}
{% endfor %}{% endfor %}{% endfor %}
{% endfor %}"""


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _money(value: float | None) -> str:
    if value is None:
        return "unknown"
    return "$0" if value == 0 else f"${value:.4f}"


def _secs(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"


def _oneline(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _env() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False,
                             keep_trailing_newline=True)
    env.filters.update(fmt=_fmt, money=_money, secs=_secs, oneline=_oneline,
                       code=lambda s: f"`{s}`")
    return env


def render_markdown(data: ReportData) -> str:
    def grades(qid: str, pid: str, column: Column) -> list[PartGrade]:
        return data.cells.get((qid, pid), {}).get(column.name, [])

    def cell(qid: str, pid: str, column: Column) -> str:
        found = grades(qid, pid, column)
        if not found:
            return "–"
        marks = [MARK[g.verdict] + ("" if g.verdict in (Verdict.missing, Verdict.ungraded,
                                                        Verdict.not_asked)
                                    else f" {_fmt(g.earned)}") for g in found]
        return " / ".join(marks)

    all_grades = [g for c in data.columns for g in c.grades]
    ungraded = sum(1 for g in all_grades if g.verdict == Verdict.ungraded)
    note = ""
    if ungraded:
        note = (f"{ungraded} part answer(s) are ungraded: their parts have no machine-checkable "
                "answer or no check could decide. Without a grader model (`--grader`), "
                "explanations are graded only by deterministic checks; ungraded parts are "
                "never counted as right.")
    template = _env().from_string(TEMPLATE)
    return template.render(
        d=data, V=Verdict, version=__version__, cell=cell, grades=grades,
        n_parts=sum(len(q.parts) for q in data.pset.questions),
        total_points=sum(q.points for q in data.pset.questions), ungraded_note=note,
    )
