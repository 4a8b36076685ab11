"""Suggestions: what would make the model do better, derived from the patterns and scores.

Every number in a suggestion is computed from this report's grades; a rule that has nothing to
say stays silent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from psetbench.report._data import Column, ReportData
from psetbench.report._factor import Factor
from psetbench.report._patterns import OMISSIONS, Pattern
from psetbench.types import Verdict

MIN_GAP = 5.0  # percentage points before a strategy gap is worth a line

# What to try when most omissions (or empty replies) happen under a strategy.
FEWER_PARTS: dict[str, str] = {
    "whole-set": "ask long homework per question (hybrid) or per part (per-part)",
    "one-turn": "ask one part per turn (per-part) or group only the easy parts (hybrid)",
    "hybrid": "ask the parts it skipped one per turn (per-part)",
    "per-part": "ask each part alone (isolated), so a long conversation cannot crowd it out",
    "isolated": "give the question's context with each part, or ask it per question (hybrid)",
}


@dataclass
class Suggestion:
    text: str
    source: str  # the pattern id or rule it comes from


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _keys(pattern: Pattern, limit: int = 3) -> str:
    unique = list(dict.fromkeys(e.key for e in pattern.examples))
    more = len(unique) > limit or pattern.count > len(pattern.examples)
    return ", ".join(unique[:limit]) + (", …" if more else "")


def _omissions(patterns: dict[str, Pattern], n_strategies: int) -> list[Suggestion]:
    found = [patterns[k] for k in OMISSIONS]
    total = sum(p.count for p in found)
    if not total:
        return []
    by_strategy: Counter[str] = Counter()
    for p in found:
        by_strategy.update(p.by_strategy)
    ranked = by_strategy.most_common()
    strategy, n = ranked[0]
    kinds = ", ".join(f"{p.count} {label}" for p, label in
                      zip(found, ("whole questions", "parts", "asks within a part"), strict=True)
                      if p.count)
    advice = FEWER_PARTS.get(strategy, "ask fewer parts per turn")
    clear_lead = len(ranked) == 1 or n > ranked[1][1]
    if n_strategies > 1 and clear_lead and 2 * n > total:
        share = "All" if n == total else f"{n} of"
        text = f"{share} {total} omissions happened under {strategy} ({kinds}): {advice}."
    elif n_strategies > 1:
        spread = ", ".join(f"{s} {k}" for s, k in ranked)
        text = (f"{total} omissions ({kinds}) are spread over the strategies ({spread}): the "
                "model skips these parts however it is asked; check that their prompts say "
                "what to answer.")
    else:
        text = (f"{total} omission{'s' if total > 1 else ''} under {strategy} ({kinds}): "
                f"{advice}, and compare.")
    return [Suggestion(text, "omission")]


def _answered_other(patterns: dict[str, Pattern]) -> list[Suggestion]:
    pattern = patterns.get("answered_other")
    if pattern is None or not pattern.count:
        return []
    strategies = ", ".join(sorted(pattern.by_strategy))
    return [Suggestion(
        f"{pattern.count} part{'s' if pattern.count > 1 else ''} ({_keys(pattern)}) got an "
        f"answer to another question ({strategies}): the model answered an earlier question "
        "again. Name the question and restate its stem in the message, or ask it in a fresh "
        "conversation.", "answered_other")]


def _gaps(data: ReportData) -> list[Suggestion]:
    out: list[Suggestion] = []
    for model in data.models:
        columns = [c for c in data.columns if c.model == model and c.points]
        if len(columns) < 2:
            continue
        who = f" with {model}" if len(data.models) > 1 else ""
        best = max(columns, key=lambda c: c.score)
        worst = min(columns, key=lambda c: c.score)
        gap = 100 * (best.score - worst.score)
        if gap >= MIN_GAP:
            text = (f"{best.strategy} scored {gap:.1f} points higher than {worst.strategy}"
                    f"{who} ({_pct(best.score)} vs {_pct(worst.score)})")
            if _overlap(best, worst):
                text += "; the 95% intervals overlap, so run more epochs before relying on it"
            out.append(Suggestion(text + ".", "strategy_gap"))
        hard = [(c, c.difficulty_score("hard")) for c in columns]
        scored = [(c, s) for c, s in hard if s is not None]
        if len(scored) >= 2:
            hi = max(scored, key=lambda x: x[1])
            lo = min(scored, key=lambda x: x[1])
            hard_gap = 100 * (hi[1] - lo[1])
            mixed = len(data.difficulties) > 1  # else "hard parts" is the whole set
            if hard_gap >= MIN_GAP and mixed:
                out.append(Suggestion(
                    f"{hi[0].strategy} scored {hard_gap:.1f} points higher than "
                    f"{lo[0].strategy}{who} on hard parts ({_pct(hi[1])} vs {_pct(lo[1])}): "
                    f"use {hi[0].strategy} for hard homework.", "hard_gap"))
    return out


def _overlap(a: Column, b: Column) -> bool:
    if a.interval is None or b.interval is None:
        return False
    return a.interval.low <= b.interval.high and b.interval.low <= a.interval.high


def _numbers(patterns: dict[str, Pattern]) -> list[Suggestion]:
    out: list[Suggestion] = []
    wrong = patterns["wrong_number"]
    if wrong.count:
        tens = wrong.powers_of_ten
        if tens:
            first = next((f for f in wrong.factors if Factor(f).power_of_ten is not None), 1.0)
            out.append(Suggestion(
                f"{tens} of {len(wrong.factors)} wrong numbers with a readable factor were off "
                f"by a power of ten (e.g. {Factor(first).short} in {_keys(wrong)}): "
                "ask the model to carry units through every step and check the order of "
                "magnitude of its result.", "wrong_number"))
        else:
            out.append(Suggestion(
                f"{wrong.count} answers had a wrong number ({_keys(wrong)}): ask the model to "
                "check each result against a rough estimate before giving it.", "wrong_number"))
    units = patterns["unit_error"]
    if units.count:
        out.append(Suggestion(
            f"{units.count} answers gave a quantity of the wrong dimension ({_keys(units)}): "
            "ask for every number with its unit.", "unit_error"))
    return out


def _others(data: ReportData, patterns: dict[str, Pattern]) -> list[Suggestion]:
    out: list[Suggestion] = []
    misread = patterns["misread"]
    if misread.count:
        out.append(Suggestion(
            f"{misread.count} answers addressed none of their part's checks ({_keys(misread)}): "
            "restate in those prompts exactly what must be computed.", "misread"))
    amb = patterns["ambiguity"]
    if amb.count:
        out.append(Suggestion(
            f"{amb.count} answers took another reading of the question ({_keys(amb)}): say in "
            "the question which reading is meant, or keep the reading as an alternative.",
            "ambiguity"))
    empty = patterns["empty_reply"]
    if empty.count:
        strategy, n = empty.by_strategy.most_common(1)[0]
        out.append(Suggestion(
            f"{empty.count} replies were empty or cut off and needed a nudge ({n} under "
            f"{strategy}): raise --max-tokens, or "
            f"{FEWER_PARTS.get(strategy, 'ask fewer parts per turn')}.", "empty_reply"))
    dis = patterns["disagreement"]
    if dis.count:
        out.append(Suggestion(
            f"{dis.count} parts have a judge/check disagreement ({_keys(dis)}): review them by "
            "hand; where the judge is right, add the answer as an alternative to the check.",
            "disagreement"))
    grades = data.all_grades()
    ungraded = [g for g in grades if g.verdict == Verdict.ungraded]
    if ungraded:
        unchecked = {(g.question, g.part) for g in ungraded if not g.checks}
        text = f"{len(ungraded)} of {len(grades)} part answers are ungraded"
        if unchecked:
            text += f" ({len(unchecked)} parts have no machine check)"
        out.append(Suggestion(
            text + ": add checks to the problem set, or grade with a judge "
            "(`psetbench grade LOG --grader MODEL`).", "ungraded"))
    absent = sum(c.absent for c in data.columns)
    if absent:
        out.append(Suggestion(
            f"{absent} part answers are absent from the logs (a run stopped early): run the same "
            "command again to resume.", "absent"))
    return out


def suggest(data: ReportData) -> list[Suggestion]:
    patterns = {p.id: p for p in data.patterns}
    out = _omissions(patterns, len(data.strategies)) if patterns else []
    out += _answered_other(patterns) if patterns else []
    out += _gaps(data)
    if patterns:
        out += _numbers(patterns) + _others(data, patterns)
    return out
