"""The HTML report: one self-contained file (styles, script, plots and math inline).

Autoescaping is on for every template; the only markup that is not escaped is what this package
produced itself: Markdown rendered with raw HTML off, sanitised MathML, and the SVG plots, whose
labels are escaped. A Content-Security-Policy in the page allows no network access and no script
but the report's own (by hash), so even a mistake in escaping could not run injected code.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from psetbench.calibrate import is_ta
from psetbench.problemset import path_label
from psetbench.report._compare import head_to_head
from psetbench.report._data import ReportData
from psetbench.report._format import environment, fmt, now
from psetbench.report._grade_html import badge, grade_html
from psetbench.report._patterns import part_anchor
from psetbench.report._stats import describe
from psetbench.report._svg import heat_rows, plots
from psetbench.report._ta import ta_view
from psetbench.report._text import Renderer
from psetbench.types import PartGrade, Verdict

MATHML_ANSWERS = 2000
MARK = {"correct": "✓", "partial": "◐", "incorrect": "✗", "missing": "∅", "ungraded": "?",
        "not_asked": "–"}


@lru_cache(maxsize=4)
def asset(name: str) -> str:
    return (resources.files("psetbench.report") / "templates" / name).read_text("utf-8")


def csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


@dataclass
class PartView:
    id: str
    key: str
    anchor: str
    points: float
    difficulty: str
    checks: str
    prompt: Markup
    solution: Markup
    grades: Markup = field(default_factory=Markup)
    depth: int = 0  # how deep a sub-part sits: 0 for a top-level part
    parent: bool = False  # a heading over sub-parts, not a graded part


def _grid_rows(data: ReportData) -> Markup:
    # Built as one string: one row per part and one cell per column can mean 10,000 cells.
    rows: list[str] = []
    for q in data.pset.questions:
        for p in q.leaves:
            anchor = part_anchor(q.id, p.id)
            cells = []
            for c in data.columns:
                grades = data.grades(q.id, p.id, c)
                if not grades:
                    cells.append('<td class="c-none">–</td>')
                    continue
                verdicts = {g.verdict.value for g in grades}
                css = verdicts.pop() if len(verdicts) == 1 else "mixed"
                text = " / ".join(_cell_text(g) for g in grades)
                cells.append(f'<td class="c-{css}"><a href="#{anchor}">{text}</a></td>')
            rows.append(f'<tr><td><a href="#{anchor}">{escape(q.id)}{escape(p.label)}</a></td>'
                        f'<td class="num">{fmt(p.points)}</td><td>{p.difficulty.value}</td>'
                        f"{''.join(cells)}</tr>")
    return Markup("\n".join(rows))  # ids escaped above, the rest is ours


def _cell_text(g: PartGrade) -> str:
    mark = MARK.get(g.verdict.value, "?")
    ta = " (TA)" if is_ta(g) else ""
    if g.verdict in (Verdict.missing, Verdict.ungraded, Verdict.not_asked):
        return f"{mark} {g.verdict.value.replace('_', ' ')}{ta}"
    return f"{mark} {fmt(g.earned)}{ta}"


def question_views(data: ReportData, md: Renderer, set_md: Renderer) -> list[dict[str, Any]]:
    multi_epoch = any(c.epochs > 1 for c in data.columns)
    out = []
    for q in data.pset.questions:
        parts = []
        for path, p in q.outline():
            dotted = ".".join(path)
            view = PartView(
                id=dotted, key=f"{q.id}{path_label(path)}",
                anchor=part_anchor(q.id, dotted), points=p.points,
                difficulty=p.difficulty.value,
                checks=", ".join(c.label or c.kind for c in p.checks),
                prompt=set_md(p.prompt), solution=set_md(p.solution) if p.solution else Markup(),
                depth=len(path) - 1, parent=bool(p.parts))
            parts.append(view)
            if view.parent:
                continue
            view.grades = Markup("".join(  # grade_html escapes every value
                grade_html(g, c.name, multi_epoch, md)
                for c in data.columns for g in data.grades(q.id, p.id, c)))
        out.append({
            "id": q.id, "title": q.title, "anchor": part_anchor(q.id, None),
            "points": q.points, "stem": set_md(q.stem) if q.stem else None, "parts": parts,
            "figures": [{"path": f.path, "caption": f.caption, "uri": data.figures.get(f.path)}
                        for f in q.figures],
        })
    return out


def render_html(data: ReportData, *, answer_math: bool | None = None) -> str:
    """The report as one HTML page.

    Math in the set's prompts and solutions is always MathML. Math in model answers is MathML
    up to MATHML_ANSWERS answers and TeX source beyond (`answer_math` forces either): each
    formula costs about half a millisecond to convert, which 10,000 long answers cannot afford.
    """
    env = environment(html=True)
    env.globals.update(badge=badge, anchor=part_anchor)
    answers = data.header.answers if data.header is not None else 0
    mathml = answer_math if answer_math is not None else answers <= MATHML_ANSWERS
    md = Renderer(mathml=mathml)
    set_md = Renderer(mathml=True)
    script = asset("report.js")
    questions = env.get_template("questions.html.j2").render(
        questions=question_views(data, md, set_md))
    ci_note = describe([c.interval for c in data.columns])
    assert data.header is not None, "build the data with build_report_data"
    heat = heat_rows(data)
    return env.get_template("report.html.j2").render(
        d=data, h=data.header, css=Markup(asset("report.css")), js=Markup(script),
        csp=csp(script), plots={k: Markup(v) for k, v in plots(data, heat).items()},
        heat_unit=heat[0], grid_rows=_grid_rows(data),
        question_html=Markup(questions), patterns=data.patterns,
        suggestions=data.suggestions, h2h=[head_to_head(c) for c in data.comparisons],
        ci_note=ci_note, generated=now(), answer_mathml=mathml,
        show_absent=any(c.absent for c in data.columns),
        show_epochs=any(c.epochs > 1 for c in data.columns),
        ta=ta_view(data.calibration),
    )
