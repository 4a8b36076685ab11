"""The report's plots as standalone SVG, written by hand.

Hand-written rather than matplotlib: three simple charts take milliseconds this way (matplotlib
needs about a second to import and render them), need no dependency, come out small, and carry
their own colours as attributes, so the same string works inline in HTML and as an image file
beside a Markdown report. Every label is escaped: model and strategy names come from logs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from psetbench.report._data import Column, ReportData
from psetbench.types import PartGrade, Verdict

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F",
           "#000000")  # Okabe-Ito, readable for colour-blind readers
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
INK, MUTED, GRID = "#1f2328", "#57606a", "#d0d7de"
MAX_HEAT_ROWS = 150  # beyond this the heat map shows questions (or runs of questions)
NO_GRADE, UNGRADED = "#ffffff", "#b8bec6"


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}" '
            f'font-family="{FONT}" font-size="12" fill="{INK}">'
            f"<title>{escape(label)}</title>{''.join(body)}</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", **attrs: str) -> str:
    more = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{more}>'
            f"{escape(text)}</text>")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _axis(x0: float, width: float, top: float, bottom: float) -> list[str]:
    out = []
    for pct in (0, 25, 50, 75, 100):
        x = x0 + width * pct / 100
        out.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(x, bottom + 14, f"{pct}%", "middle", fill=MUTED, font_size="11"))
    return out


def score_plot(columns: Sequence[Column]) -> str:
    """Score per column with its 95% interval as a whisker."""
    label_w, bar_w, row_h, top = 150.0, 290.0, 28.0, 10.0
    height = top + row_h * len(columns) + 30
    body = _axis(label_w, bar_w, top, top + row_h * len(columns))
    for i, c in enumerate(columns):
        y = top + i * row_h
        color = PALETTE[i % len(PALETTE)]
        body.append(_text(label_w - 8, y + 18, _clip(c.name, 22), "end"))
        body.append(f'<rect x="{label_w:.1f}" y="{y + 6:.1f}" width="{bar_w * c.score:.1f}" '
                    f'height="{row_h - 12:.1f}" fill="{color}" rx="2"/>')
        if c.interval is not None:
            lo, hi = label_w + bar_w * c.interval.low, label_w + bar_w * c.interval.high
            mid = y + row_h / 2
            body.append(f'<path d="M{lo:.1f} {mid:.1f}H{hi:.1f}M{lo:.1f} {mid - 6:.1f}V'
                        f'{mid + 6:.1f}M{hi:.1f} {mid - 6:.1f}V{mid + 6:.1f}" '
                        f'stroke="{INK}" stroke-width="1.5" fill="none"/>')
        ci = (f" [{100 * c.interval.low:.0f}–{100 * c.interval.high:.0f}]"
              if c.interval is not None else "")
        body.append(_text(label_w + bar_w + 8, y + 18, f"{100 * c.score:.1f}%{ci}"))
    return _svg(label_w + bar_w + 100, height, "Score by strategy with 95% intervals", body)


def difficulty_plot(data: ReportData) -> str:
    """Score per difficulty, one bar per column in each group."""
    levels = data.difficulties
    cols = data.columns
    label_w, bar_w, bar_h, gap, top = 70.0, 360.0, 14.0, 14.0, 10.0
    group_h = bar_h * len(cols) + gap
    height = top + group_h * len(levels) + 30 + 18 * math.ceil(len(cols) / 3)
    body = _axis(label_w, bar_w, top, top + group_h * len(levels) - gap / 2)
    for li, level in enumerate(levels):
        y0 = top + li * group_h
        body.append(_text(label_w - 8, y0 + bar_h * len(cols) / 2 + 4, level, "end",
                          font_weight="600"))
        for ci, c in enumerate(cols):
            score = c.difficulty_score(level)
            y = y0 + ci * bar_h
            if score is None:
                body.append(_text(label_w + 4, y + bar_h - 3, "no parts", fill=MUTED,
                                  font_size="10"))
                continue
            body.append(f'<rect x="{label_w:.1f}" y="{y + 1:.1f}" width="{bar_w * score:.1f}" '
                        f'height="{bar_h - 2:.1f}" fill="{PALETTE[ci % len(PALETTE)]}"/>')
            body.append(_text(label_w + bar_w * score + 4, y + bar_h - 3,
                              f"{100 * score:.0f}%", font_size="10"))
    legend_y = top + group_h * len(levels) + 24
    for ci, c in enumerate(cols):
        x = label_w + (ci % 3) * 140
        y = legend_y + (ci // 3) * 18
        body.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" '
                    f'fill="{PALETTE[ci % len(PALETTE)]}"/>')
        body.append(_text(x + 14, y, _clip(c.name, 20), font_size="11"))
    return _svg(label_w + bar_w + 50, height, "Score by difficulty", body)


def heat_color(score: float) -> str:
    """Red (0) through yellow (0.5) to green (1)."""
    stops = ((0.0, (215, 48, 39)), (0.5, (254, 224, 139)), (1.0, (26, 152, 80)))
    score = min(1.0, max(0.0, score))
    for (x0, c0), (x1, c1) in itertools.pairwise(stops):
        if score <= x1:
            t = (score - x0) / (x1 - x0)
            r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#1a9850"


@dataclass
class HeatRow:
    label: str
    cells: list[tuple[float | None, str]]  # (score or None, tooltip) per column


def _cell(grades: list[PartGrade]) -> float | None:
    scored = [g for g in grades if g.verdict not in (Verdict.ungraded, Verdict.not_asked)]
    if not scored:
        return None
    points = sum(g.counted_points for g in scored)
    return sum(g.earned for g in scored) / points if points else None


def heat_rows(data: ReportData) -> tuple[str, list[HeatRow]]:
    """Rows of the heat map: parts, or questions (or runs of questions) for large sets."""
    parts = [(q.id, p) for q in data.pset.questions for p in q.leaves]
    if len(parts) <= MAX_HEAT_ROWS:
        groups = [(f"{q}{p.label}", [(q, p.id)]) for q, p in parts]
        unit = "part"
    else:
        qs = data.pset.questions
        size = math.ceil(len(qs) / MAX_HEAT_ROWS)
        groups = []
        for i in range(0, len(qs), size):
            chunk = qs[i:i + size]
            label = chunk[0].id if len(chunk) == 1 else f"{chunk[0].id}–{chunk[-1].id}"
            groups.append((label, [(q.id, p.id) for q in chunk for p in q.leaves]))
        unit = "question" if size == 1 else f"{size} questions"
    rows = []
    for label, keys in groups:
        cells = []
        for c in data.columns:
            grades = [g for k in keys for g in data.cells.get(k, {}).get(c.name, [])]
            score = _cell(grades)
            if not grades:
                tip = "no grade"
            elif score is None:
                tip = "ungraded"
            else:
                tip = f"{100 * score:.0f}%"
            cells.append((score if grades else None, f"{label} · {c.name}: {tip}"))
        rows.append(HeatRow(label, cells))
    return unit, rows


def heatmap_plot(data: ReportData, heat: tuple[str, list[HeatRow]] | None = None) -> str:
    """Score per part (or question) and column; grey is ungraded, white has no grade."""
    unit, rows = heat or heat_rows(data)
    ncols = max(1, len(data.columns))
    label_w, top = 90.0, 100.0
    cell_w = max(28.0, min(90.0, 520.0 / ncols))
    cell_h = 18.0 if len(rows) <= 40 else (12.0 if len(rows) <= 80 else 8.0)
    width = label_w + cell_w * ncols + 10
    height = top + cell_h * len(rows) + 46
    body: list[str] = []
    for ci, c in enumerate(data.columns):
        x = label_w + ci * cell_w + cell_w / 2
        body.append(f'<text transform="translate({x:.1f},{top - 6:.1f}) rotate(-40)" '
                    f'font-size="11">{escape(_clip(c.name, 24))}</text>')
    for ri, row in enumerate(rows):
        y = top + ri * cell_h
        if len(rows) <= 40 or ri % 5 == 0:
            body.append(_text(label_w - 6, y + min(cell_h, 12) - 2, _clip(row.label, 14), "end",
                              font_size="11" if cell_h > 12 else "10"))
        for ci, (score, tip) in enumerate(row.cells):
            fill = NO_GRADE if score is None and tip.endswith("no grade") else (
                UNGRADED if score is None else heat_color(score))
            body.append(f'<rect x="{label_w + ci * cell_w:.1f}" y="{y:.1f}" '
                        f'width="{cell_w - 1:.1f}" height="{cell_h - 1:.1f}" fill="{fill}" '
                        f'stroke="{GRID}" stroke-width="0.5"><title>{escape(tip)}</title></rect>')
    ly = top + cell_h * len(rows) + 16
    legend = [(heat_color(0.0), "0%"), (heat_color(0.5), "50%"), (heat_color(1.0), "100%"),
              (UNGRADED, "ungraded"), (NO_GRADE, "no grade")]
    for i, (fill, text) in enumerate(legend):
        x = label_w + i * 78
        body.append(f'<rect x="{x:.1f}" y="{ly:.1f}" width="12" height="12" fill="{fill}" '
                    f'stroke="{MUTED}" stroke-width="0.5"/>')
        body.append(_text(x + 16, ly + 10, text, font_size="11"))
    note = f"rows: {unit}s" if not unit[0].isdigit() else f"rows: runs of {unit}"
    body.append(_text(label_w, ly + 30, note, fill=MUTED, font_size="11"))
    return _svg(max(width, label_w + 5 * 78), height + 10,
                f"Score per {unit} and strategy (heat map)", body)


def plots(data: ReportData, heat: tuple[str, list[HeatRow]] | None = None) -> dict[str, str]:
    """The three plots by file stem: score, heatmap, difficulty."""
    return {"score": score_plot(data.columns), "heatmap": heatmap_plot(data, heat),
            "difficulty": difficulty_plot(data)}
