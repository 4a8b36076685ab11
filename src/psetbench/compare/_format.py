"""A comparison as a Markdown table and summary, for the terminal or a report."""

from __future__ import annotations

from psetbench.compare._compare import Comparison, PartComparison
from psetbench.compare._stats import Stats


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _side(earned: float, points: float, verdict: str) -> str:
    return f"{earned:g}/{points:g} {verdict}"


def _row(r: PartComparison) -> str:
    label = r.key + (f" e{r.epoch}" if r.epoch != 1 else "")
    flags = "".join(f" [{f}]" for f, on in (("flipped", r.flipped),
                                            ("inconsistent", r.inconsistent),
                                            ("judge disagrees", r.judge_disagrees)) if on)
    return (f"| {label} | {_side(r.earned_a, r.points, r.verdict_a.value)} | "
            f"{_side(r.earned_b, r.points, r.verdict_b.value)} | {r.length_a} | {r.length_b} | "
            f"**{r.winner}** | {r.decided_by} | {_cell(r.reason)}{flags} |")


def _rows(c: Comparison) -> list[str]:
    """The table's rows, each part that holds sub-parts as a heading row over them."""
    headings = {(h.question, h.part): h for h in c.headings}
    shown: set[tuple[str, str]] = set()
    out: list[str] = []
    for r in c.parts:
        ids = r.part.split(".")
        for depth in range(1, len(ids)):
            key = (r.question, ".".join(ids[:depth]))
            h = headings.get(key)
            if h is not None and key not in shown:
                shown.add(key)
                out.append(f"| **{h.question}{h.label}** {_cell(_clip(h.prompt))} "
                           "| | | | | | | |")
        out.append(_row(r))
    return out


def _clip(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _p(p: float | None) -> str:
    return "n/a" if p is None else f"{p:.3g}"


def format_stats(s: Stats) -> list[str]:
    lines = [f"- parts compared in the statistics: {s.n_parts} in {s.n_questions} questions"]
    if s.mean_diff is not None:
        ci = (f"{s.ci_level:.0%} CI [{s.ci_low:+.3f}, {s.ci_high:+.3f}] "
              f"(paired bootstrap over questions, {s.n_boot} resamples)"
              if s.ci_low is not None and s.ci_high is not None else f"no CI: {s.ci_note}")
        lines.append(f"- mean per-part score difference (A − B): {s.mean_diff:+.3f}; {ci}")
    lines.append(f"- sign test on per-part scores: A higher {s.sign_a}, B higher {s.sign_b}, "
                 f"p = {_p(s.sign_p)}")
    lines.append(f"- McNemar test on correct parts: A only {s.mcnemar_a}, B only {s.mcnemar_b}, "
                 f"p = {_p(s.mcnemar_p)}")
    return lines


def format_comparison(c: Comparison) -> str:
    """The per-part table, the win/tie/loss counts, the judge's reliability and the statistics."""
    lines = [
        f"# {c.set_id}: A vs B",
        "",
        f"- A: {c.a.model} · {c.a.strategy} ({c.a.path})",
        f"- B: {c.b.model} · {c.b.strategy} ({c.b.path})",
        f"- pairwise judge: {c.judge or 'none (ties stay ties)'}"
        + (f", asked on {'every part' if c.pairwise == 'all' else 'tied parts'}" if c.judge
           else ""),
        "",
        "| part | A | B | len A | len B | winner | by | reason |",
        "|---|---|---|---:|---:|---|---|---|",
        *_rows(c),
        "",
        f"**A wins {c.wins_a}, B wins {c.wins_b}, ties {c.ties}** (of {len(c.parts)} parts)",
        "",
    ]
    if c.judged:
        rate = "n/a" if c.flip_rate is None else f"{c.flip_rate:.0%}"
        lines.append(f"- judge asked on {c.judged} parts in both orders: {c.flips} flipped "
                     f"(flip rate {rate}), {c.inconsistent} inconsistent")
    if c.unscored:
        lines.append(f"- {c.unscored} parts ungraded in a run: left out of the statistics")
    if c.unmatched:
        lines.append(f"- graded in one run only (not compared): {', '.join(c.unmatched)}")
    lines += format_stats(c.stats)
    return "\n".join(lines) + "\n"
