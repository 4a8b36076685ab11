"""The review queue's cards: one per part of a run, with everything a TA needs to decide it.

A card holds the part's prompt and official solution, the reply around the located answer,
the checks with the values they took, the judge's summary, the machine's verdict and the TA's
label so far. The order comes from `_queue.review_order`; this module only gathers and shapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from psetbench.report._format import fmt
from psetbench.types import PartGrade
from psetbench.view._context import Excerpt, excerpt
from psetbench.view._queue import Priority, priority, review_order

if TYPE_CHECKING:
    from psetbench.grading import Run
    from psetbench.labels import Label, LabelsFile

SHOW = ("all", "unlabelled", "labelled")


@dataclass
class Entry:
    """One part of one run in the queue: its grade (the first epoch's) and label."""

    run: Run
    run_key: str  # the run's log, relative to the log folder: how a POST names the run
    grade: PartGrade
    epochs: int
    label: Label | None

    @property
    def part_key(self) -> str:
        return f"{self.grade.question}/{self.grade.part}"

    @property
    def source(self) -> str:
        """The files an imported run came from ("" for a run psetbench made)."""
        imported = (self.run.metadata or {}).get("imported") or {}
        files = [f.get("path") for f in imported.get("files") or [] if isinstance(f, dict)]
        return ", ".join(Path(str(f)).name for f in files if f)

    @property
    def anchor(self) -> str:
        """A stable id for the card's element, the same on every page load."""
        digest = hashlib.sha1(f"{self.run_key}\0{self.part_key}".encode()).hexdigest()
        return "c-" + digest[:12]


@dataclass
class Card:
    entry: Entry
    position: int
    why: Priority
    prompt: Markup
    stem: Markup | None
    solution: Markup | None
    context: Excerpt | None
    judge: dict[str, Any] | None
    label: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)


def entries(runs: Sequence[Run], labels: LabelsFile,
            relative: Callable[[str], str]) -> list[Entry]:
    """Every part of every run, one entry per part: with several epochs, the first epoch's
    grade stands for the part, because a label is the TA's verdict on that reply (`psetbench
    calibrate` and reports apply labels to the first epoch)."""
    out: list[Entry] = []
    for run in runs:
        group = labels.for_run(run)
        by_part: dict[tuple[str, str], list[PartGrade]] = {}
        for g in run.grades:
            by_part.setdefault((g.question, g.part), []).append(g)
        for (question, part), grades in by_part.items():
            chosen = min(grades, key=lambda g: g.epoch)
            label = group.parts.get(f"{question}/{part}") if group else None
            out.append(Entry(run, relative(run.path), chosen, len(grades), label))
    return out


def ordered(items: Sequence[Entry], show: str = "all") -> list[Entry]:
    """The queue: by doubt, labelled parts last; `show` keeps only unlabelled or labelled."""
    labelled = [i for i, e in enumerate(items) if e.label is not None]
    order = [items[i] for i in review_order([e.grade for e in items], labelled)]
    if show == "unlabelled":
        return [e for e in order if e.label is None]
    if show == "labelled":
        return [e for e in order if e.label is not None]
    return order


def label_view(label: Label | None) -> dict[str, Any] | None:
    if label is None:
        return None
    return {"verdict": " or ".join(v.value for v in label.verdicts),
            "css": label.verdicts[0].value, "score": label.score, "note": label.note,
            "by": label.by or "", "at": label.at.isoformat(timespec="seconds") if label.at else ""}


def _judge(judge: dict[str, Any] | None) -> dict[str, Any] | None:
    if not judge:
        return None
    votes = [v for v in judge.get("votes") or [] if isinstance(v, dict)]
    agreement = judge.get("agreement")
    return {
        "verdict": judge.get("verdict") or judge.get("status") or "–",
        "score": judge.get("score"), "reason": judge.get("reason") or "",
        "quotes": [str(q) for q in judge.get("quotes") or []],
        "critique": judge.get("critique") or "",
        "models": ", ".join(str(m) for m in judge.get("models") or []),
        "agreement": f"{100 * float(agreement):.0f}%" if agreement is not None else None,
        "votes": [f"{v.get('model') or '?'}: {v.get('verdict') or v.get('status') or '?'}"
                  + (f" ({fmt(float(v['score']))})" if v.get("score") is not None else "")
                  for v in votes] if len(votes) > 1 else [],
    }


def _notes(entry: Entry) -> list[str]:
    g = entry.grade
    notes = []
    if entry.epochs > 1:
        notes.append(f"Epoch {g.epoch} of {entry.epochs} shown: the label is the verdict on "
                     "this epoch's reply (the other epochs keep their machine grades).")
    if g.nudged:
        notes.append("The reply was empty or cut off; the model was nudged to answer.")
    if g.absence:
        notes.append(f"No answer was graded: {g.absence.replace('_', ' ')}.")
    notes += [f"Check/judge disagreement: {d}" for d in g.disagreements]
    if g.ambiguity:
        notes.append(f"Ambiguity: {g.ambiguity}")
    if g.carried_forward:
        notes.append("Carried-forward credit: consistent with the answer's own earlier result.")
    if g.better_than_solution:
        notes.append("The judge found this answer better than the official solution.")
    return notes


def card(entry: Entry, position: int, md: Callable[[str], Markup]) -> Card:
    """The card of one queue entry; `md` renders the set's Markdown and math."""
    g, pset = entry.grade, entry.run.pset
    try:
        part = pset.part(g.question, g.part)
        question = pset.question(g.question)
        prompt, solution = md(part.prompt), md(part.solution) if part.solution else None
        stem = md(question.stem) if question.stem else None
    except KeyError:  # a grade for a part the stored set lacks
        prompt, solution, stem = Markup("<p>(this part is not in the stored set)</p>"), None, None
    return Card(entry=entry, position=position, why=priority(g), prompt=prompt, stem=stem,
                solution=solution, context=excerpt(entry.run, g), judge=_judge(g.judge),
                label=label_view(entry.label), notes=_notes(entry))
