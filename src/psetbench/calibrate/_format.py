"""Calibration as text (the terminal table) and as JSON (the `--format json` contract)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from psetbench.calibrate._agree import Agreement, Calibration, Count

#: JSON shape version: a change that breaks a reader raises it.
JSON_VERSION = 1


def rate(count: Count) -> str:
    """'9/10 (90%)', or '-' for no parts."""
    if not count.total:
        return "-"
    return f"{count.agreed}/{count.total} ({count.agreed / count.total:.0%})"


def kappa_text(agreement: Agreement) -> str:
    k = agreement.kappa
    if k.value is None:
        return "undefined" if agreement.parts else "-"
    interval = f" [{k.low:.2f}, {k.high:.2f}]" if k.low is not None and k.high is not None else ""
    return f"{k.value:.2f}{interval}"


def columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as left-aligned columns."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def has_kinds(result: Calibration) -> bool:
    """Whether some compared label has a `kind`: only then is there a hard/soft split to show
    (labels from the review page have none)."""
    return bool(result.overall.hard.total or result.overall.soft.total)


def split_rows(split: dict[str, Agreement], kinds: bool = True) -> list[list[str]]:
    """One row per method or strategy; the hard and soft columns only with `kinds`."""
    def row(name: str, a: Agreement) -> list[str]:
        split_by_kind = [rate(a.hard), rate(a.soft)] if kinds else []
        return [name, str(a.parts), rate(a.verdict), *split_by_kind, rate(a.score),
                kappa_text(a)]

    head = ["", "parts", "verdicts", *(["hard", "soft"] if kinds else []), "credit",
            "kappa [95% CI]"]
    return [head, *(row(name, a) for name, a in split.items())]


def confusion_rows(agreement: Agreement) -> list[list[str]]:
    c = agreement.confusion
    rows = [["TA \\ grader", *c.columns]]
    rows += [[name, *(str(n) for n in counts)] for name, counts in zip(c.rows, c.counts,
                                                                      strict=True)]
    return rows


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def disagreement_lines(result: Calibration) -> list[str]:
    lines: list[str] = []
    for p in result.disagreements:
        kind = f" [{p.kind}]" if p.kind else ""
        what = ("credit" if p.agrees else "verdict")
        credit = "" if p.score is None else f" {p.score:.2f}"
        wanted = "" if p.ta_score is None else f" {p.ta_score:.2f}"
        lines.append(f"{p.group} {p.part}{kind} ({what}): TA {'/'.join(p.ta)}{wanted}, "
                     f"grader {p.verdict}{credit} by {p.grader or '-'} ({p.method})")
        lines.append(f"    TA: {_one_line(p.note) or '(no note)'}")
        lines.append(f"    grader: {_one_line(p.reason) or '(no reason)'}")
    return lines


def headline(result: Calibration) -> str:
    """'hard X/Y, soft X/Y', as the corpus check prints it; '' when no label has a kind."""
    o = result.overall
    if not has_kinds(result):
        return ""
    return f"hard {o.hard.agreed}/{o.hard.total}, soft {o.soft.agreed}/{o.soft.total}"


def format_table(result: Calibration) -> str:
    o = result.overall
    k = o.kappa
    out = [f"Labels: {result.labels} ({o.parts} labelled parts in {len(result.logs)} log(s))",
           f"Verdicts agree: {rate(o.verdict)}" + (f"; {headline(result)}"
                                                    if has_kinds(result) else ""),
           f"Credit within {result.tolerance:g}: {rate(o.score)}",
           f"Cohen's kappa: {kappa_text(o)} (95% bootstrap interval over {k.resamples} "
           f"resamples of the parts, seed {result.seed}; p_o {_num(k.observed)}, "
           f"p_e {_num(k.expected)})",
           "", "By method:", *columns(split_rows(result.by_method, has_kinds(result))),
           "", "By strategy:", *columns(split_rows(result.by_strategy, has_kinds(result))),
           "", "Confusion (rows: TA, columns: grader):", *columns(confusion_rows(o)),
           "", f"Disagreements ({len(result.disagreements)}):"]
    out += disagreement_lines(result) or ["  none"]
    return "\n".join(out)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def to_json(result: Calibration) -> dict[str, Any]:
    return {"version": JSON_VERSION, **result.model_dump(mode="json")}


def format_json(result: Calibration) -> str:
    return json.dumps(to_json(result), indent=2, ensure_ascii=False)


def format_before_after(before: Calibration, after: Calibration, grader: str | None) -> str:
    """The headline figures before and after `calibrate --regrade`, side by side."""
    rows = [["", "before", "after"]]
    kinds = has_kinds(before) or has_kinds(after)
    for name, get in (("verdicts", lambda c: rate(c.overall.verdict)),
                      *([("hard/soft", headline)] if kinds else []),
                      ("credit", lambda c: rate(c.overall.score)),
                      ("kappa", lambda c: kappa_text(c.overall))):
        rows.append([name, get(before), get(after)])
    return "\n".join([f"Regraded with {grader or 'the checks only (no --grader)'}:",
                      *columns(rows)])
