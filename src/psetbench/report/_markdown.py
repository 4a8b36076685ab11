"""The Markdown report (GitHub-flavoured): the HTML report's sections, with the plots as SVG
files beside it, one row per part and one column per strategy in the per-part table.

Text from models and logs is put on one line with `<`, `>`, `&` and `|` escaped, so it can
neither open HTML nor break a table; answers go in fenced blocks longer than any fence inside.
"""

from __future__ import annotations

import re

from psetbench.calibrate import is_ta
from psetbench.problemset import path_label
from psetbench.report._compare import head_to_head
from psetbench.report._data import Column, ReportData
from psetbench.report._format import environment, fmt
from psetbench.report._stats import describe
from psetbench.report._svg import heat_rows
from psetbench.report._ta import ta_view
from psetbench.types import PartGrade, Verdict

MARK = {
    Verdict.correct: "✅",
    Verdict.partial: "🟡",
    Verdict.incorrect: "❌",
    Verdict.missing: "⬜ missing",
    Verdict.ungraded: "❔ ungraded",
    Verdict.not_asked: "– not asked",
}
_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "\\|"})


def inline(text: object) -> str:
    """One line of untrusted text, safe inside Markdown and its tables."""
    return " ".join(str(text).split()).translate(_ESCAPES)


def code(text: object) -> str:
    body = " ".join(str(text).split()).replace("|", "\\|")
    fence = "``" if "`" in body else "`"
    return f"{fence}{body}{fence}" if fence == "`" else f"{fence} {body} {fence}"


def fenced(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _cell(grades: list[PartGrade]) -> str:
    if not grades:
        return "–"
    silent = (Verdict.missing, Verdict.ungraded, Verdict.not_asked)
    return " / ".join(MARK[g.verdict] + ("" if g.verdict in silent else f" {fmt(g.earned)}")
                      + (" (TA)" if is_ta(g) else "") for g in grades)


def grid(data: ReportData) -> str:
    rows = []
    for q in data.pset.questions:
        for p in q.leaves:
            cells = " |".join(f" {_cell(data.grades(q.id, p.id, c))}" for c in data.columns)
            rows.append(f"| {inline(q.id)}{inline(p.label)} | {fmt(p.points)} | "
                        f"{p.difficulty.value} |{cells} |")
    return "\n".join(rows) + "\n"


def _grade_lines(g: PartGrade, key: str, column: Column, answers: bool) -> list[str]:
    epoch = f" (epoch {g.epoch})" if g.epoch > 1 else ""
    lines = [f"- **{key}**, {inline(column.name)}{epoch}: {g.verdict.value} "
             f"({fmt(g.earned)}/{fmt(g.points)}) by {code(g.grader)}: {inline(g.reason)}"]
    for ch in g.checks:
        label = f" “{inline(ch.label)}”" if ch.label else ""
        found = f", found {inline(ch.found)}" if ch.found else ""
        reading = (f" (matched reading: {inline(ch.matched)})"
                   if ch.matched and ch.matched != "answer" else "")
        lines.append(f"  - {ch.kind}{label}: {ch.status.value}; expected {inline(ch.expected)}"
                     f"{found}{reading} — {inline(ch.reason)} [{code(ch.method)}]")
    judge = getattr(g, "judge", None)
    if judge:
        models = ", ".join(code(m) for m in judge.get("models") or [])
        lines.append(f"  - judge {models}: {inline(judge.get('verdict') or judge.get('status'))}"
                     f" — {inline(judge.get('reason') or '')}")
        lines += [f"    > {inline(q)}" for q in judge.get("quotes") or []]
    notes = []
    if g.nudged:
        notes.append("nudged after an empty or cut-off reply")
    if getattr(g, "carried_forward", False):
        notes.append("carried-forward credit")
    if getattr(g, "ambiguity", None):
        notes.append(f"ambiguity: {inline(g.ambiguity)}")
    if getattr(g, "better_than_solution", False):
        notes.append("better than the official solution")
    notes += [f"disagreement: {inline(d)}" for d in getattr(g, "disagreements", None) or []]
    lines += [f"  - {n}" for n in notes]
    if answers and g.answer.strip():
        lines.append(f"\n  <details><summary>answer ({len(g.answer)} characters)</summary>\n\n"
                     + "\n".join("  " + line for line in fenced(g.answer).splitlines())
                     + "\n\n  </details>\n")
    return lines


def why(data: ReportData, *, answers: bool = True) -> str:
    out: list[str] = []
    for q in data.pset.questions:
        title = f": {inline(q.title)}" if q.title else ""
        out.append(f"### Question {inline(q.id)}{title}\n")
        for path, p in q.outline():
            key = f"{inline(q.id)}{inline(path_label(path))}"
            if p.parts:  # a heading over sub-parts, with its prompt
                out.append(f"#### {key} · {fmt(p.points)} points\n\n> {inline(p.prompt)}\n")
                continue
            for c in data.columns:
                for g in data.grades(q.id, p.id, c):
                    out += _grade_lines(g, key, c, answers)
        out.append("")
    return "\n".join(out)


def render_markdown(data: ReportData, plot_files: dict[str, str] | None = None, *,
                    answers: bool = True) -> str:
    """The report as Markdown; `plot_files` maps score/heatmap/difficulty to image paths."""
    env = environment(html=False)
    env.filters.update(inline=inline, code=code)
    all_grades = data.all_grades()
    ungraded = sum(1 for g in all_grades if g.verdict == Verdict.ungraded)
    note = ""
    if ungraded:
        note = (f"{ungraded} part answer(s) are ungraded: their parts have no machine-checkable "
                "answer or no check could decide. Without a grader model (`--grader`), "
                "explanations are graded only by deterministic checks; ungraded parts are "
                "never counted as right.")
    ci_note = ("Score: points earned over points asked, all epochs pooled. "
               + describe([c.interval for c in data.columns]))
    assert data.header is not None, "build the data with build_report_data"
    return env.get_template("report.md.j2").render(
        d=data, h=data.header, ungraded_note=note, ci_note=ci_note, plot_files=plot_files,
        heat_unit=heat_rows(data)[0], h2h=[head_to_head(c) for c in data.comparisons],
        patterns=data.patterns, suggestions=data.suggestions, grid=grid(data),
        why=why(data, answers=answers), ta=ta_view(data.calibration),
    )
