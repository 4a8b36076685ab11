"""One part answer's block in the HTML report: a collapsed <details> with the verdict, notes,
check results, the judge's reason and quotes, and the answer itself.

Written with f-strings rather than a Jinja2 template because a report can hold 10,000 of these
and the template's per-value overhead was a third of the page's build time. Every value from a
grade passes through `escape` (`_e`); the only unescaped pieces are fixed markup defined here
and the answer rendered by `Renderer` (Markdown with raw HTML off).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from psetbench.calibrate import is_ta, ta_confirmed
from psetbench.report._format import fmt
from psetbench.report._text import Renderer
from psetbench.types import PartGrade, Verdict

BADGES = {v.value: f'<span class="v v-{v.value}">{v.value.replace("_", " ")}</span>'
          for v in Verdict}
FLAGS = {name: f' <span class="flag {css}">{name}</span>' for name, css in
         (("nudged", "warn"), ("carried forward", "good"), ("ambiguity", ""),
          ("better than solution", "good"), ("disagreement", "warn"), ("TA", "good"))}
CHECK_HEAD = ('<div class="scroll"><table class="checks small"><tr><th>check</th><th>result</th>'
              "<th>expected</th><th>found</th><th>reading</th><th>why</th></tr>")


def _e(value: Any) -> str:
    return str(escape(value))


def badge(verdict: str) -> Markup:
    return Markup(BADGES.get(verdict) or f'<span class="v">{_e(verdict)}</span>')


def clip(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _notes(g: PartGrade) -> tuple[list[str], list[str]]:
    flags: list[str] = []
    notes: list[str] = []
    if g.nudged:
        flags.append("nudged")
        notes.append("The reply was empty or cut off; the model was nudged to answer.")
    if getattr(g, "carried_forward", False):
        flags.append("carried forward")
        notes.append("Carried-forward credit: consistent with the answer's own earlier result.")
    ambiguity = getattr(g, "ambiguity", None)
    if ambiguity:
        flags.append("ambiguity")
        notes.append(f"Ambiguity: {ambiguity}")
    if getattr(g, "better_than_solution", False):
        flags.append("better than solution")
        notes.append("The judge found this answer better than the official solution.")
    disagreements = getattr(g, "disagreements", None) or []
    if disagreements:
        flags.append("disagreement")
        notes += [f"Judge/check disagreement: {text}" for text in disagreements]
    if is_ta(g):
        flags.append("TA")
        notes.append("Verdict confirmed by a TA's label." if ta_confirmed(g) else
                     "Verdict set by a TA's label; the machine's verdict is in the reason.")
    if g.segmentation and g.segmentation != "turn":
        conf = (f", confidence {g.segmentation_confidence:.2f}"
                if g.segmentation_confidence is not None else "")
        notes.append(f"Answer found by segmentation ({g.segmentation}{conf}).")
    return flags, notes


def _checks(g: PartGrade) -> str:
    if not g.checks:
        return ""
    rows = [CHECK_HEAD]
    for c in g.checks:
        status = c.status.value if c.status.value == "passed" else \
            f"{c.status.value} ({fmt(c.score)})"
        rows.append(
            f"<tr><td>{_e(c.label or c.kind)}</td><td>{status}</td><td>{_e(c.expected)}</td>"
            f"<td>{_e(c.found or '–')}</td><td>{_e(c.matched or '–')}</td>"
            f'<td>{_e(c.reason)} <span class="muted">[{_e(c.method)}]</span></td></tr>')
    rows.append("</table></div>")
    return "".join(rows)


def _judge(g: PartGrade, md: Renderer) -> str:
    j = getattr(g, "judge", None)
    if not j:
        return ""
    summary = str(j.get("verdict") or j.get("status") or "–")
    if j.get("score") is not None:
        summary += f" ({fmt(float(j['score']))})"
    if j.get("agreement") is not None:
        summary += f", agreement {100 * float(j['agreement']):.0f}%"
    models = ", ".join(str(m) for m in j.get("models") or [])
    out = ['<div class="judge small"><strong>Judge</strong>',
           f" <code>{_e(models)}</code>" if models else "",
           f": {_e(summary)}. {_e(j.get('reason') or '')}"]
    out += [f"<blockquote>{_e(q)}</blockquote>" for q in j.get("quotes") or []]
    if j.get("critique"):
        out.append(f'<details><summary>Critique</summary><div class="body">'
                   f'{md(j["critique"])}</div></details>')
    out.append("</div>")
    return "".join(out)


def grade_html(g: PartGrade, column: str, multi_epoch: bool, md: Renderer) -> str:
    """The <details> block of one grade."""
    flags, notes = _notes(g)
    verdict = g.verdict.value
    epoch = f' <span class="muted">e{g.epoch}</span>' if multi_epoch else ""
    note_list = ("" if not notes else '<ul class="notes small">'
                 + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>")
    answer = md(g.answer) if g.answer else '<p class="muted">(no answer text)</p>'
    chars = f" · {len(g.answer):,} characters" if g.answer else ""
    return (
        f'<details class="answer"><summary><strong>{_e(column)}</strong>{epoch} '
        f"{BADGES.get(verdict, _e(verdict))} {fmt(g.earned)}/{fmt(g.points)}"
        f"{''.join(FLAGS[f] for f in flags)} "
        f'<span class="muted small">{_e(clip(g.reason))}</span></summary>\n<div class="body">'
        f'<p class="small"><strong>{verdict.replace("_", " ").capitalize()}</strong> by '
        f"<code>{_e(g.grader)}</code>: {_e(g.reason)}</p>{note_list}{_checks(g)}"
        f"{_judge(g, md)}"
        f'<div class="label small muted">Answer{chars}</div>'
        f'<div class="answer-text">{answer}</div></div></details>\n'
    )
