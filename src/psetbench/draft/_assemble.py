"""A finished draft document as the set's YAML data, with a comment wherever a TA must look.

Comment kinds (docs/draft.md): `# draft check (rule): ...` / `# draft check (model M): ...`
above each proposed check, saying what it was guessed from; `# review: ...` above a part,
question or check that needs a decision (no solution, low-confidence alignment, points
guessed, a check guessed from prose, no check at all, a prompt reworded by a model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from psetbench.draft._align import CONFIDENT
from psetbench.draft._labels import as_number
from psetbench.draft._propose import Proposed
from psetbench.draft._types import DraftDocument, DraftQuestion, Node, tidy
from psetbench.draft._yaml import Commented

Key = tuple[str, ...]  # (question number, part label, sub-part label, ...)


@dataclass
class Plan:
    """Everything decided for the YAML: checks and reworded prompts by part."""

    checks: dict[Key, list[Proposed]] = field(default_factory=dict)
    prompts: dict[Key, tuple[str, str]] = field(default_factory=dict)  # (new prompt, origin)
    figure_paths: dict[int, str] = field(default_factory=dict)  # id(Figure) -> written path
    counts: dict[str, int] = field(default_factory=dict)
    unchecked: set[Key] = field(default_factory=set)  # parts with a solution and no check
    reviews: int = 0


def slug(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (cleaned or "draft")[:64].strip("-") or "draft"


def nested(document: DraftDocument) -> bool:
    return any(p.children for q in document.questions for p in q.parts)


def set_data(document: DraftDocument, plan: Plan, set_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {"psetbench": 2 if nested(document) else 1, "id": set_id,
                            "title": document.title or set_id}
    intro = tidy("\n".join(document.intro))
    if intro:
        data["preamble"] = intro
    data["questions"] = [_question(q, plan) for q in document.questions]
    return data


def _review(plan: Plan, notes: list[str]) -> list[str]:
    plan.reviews += len(notes)
    return [f"review: {note}" for note in notes]


def _question(question: DraftQuestion, plan: Plan) -> Commented:
    data: dict[str, Any] = {"id": question.number}
    if question.title:
        data["title"] = question.title
    stem = tidy("\n".join(question.stem))
    if stem:
        data["stem"] = stem
    notes = list(question.notes)
    if question.figures:
        figures = []
        for figure in question.figures:
            entry = {"path": plan.figure_paths[id(figure)]}
            if figure.caption:
                entry["caption"] = figure.caption
            figures.append(Commented(entry, _review(plan, [
                f"figure extracted from {figure.where}; check it"
                + ("" if figure.caption else " and add a caption")])))
        data["figures"] = figures
    data["parts"] = [_part(p, (question.number,), plan) for p in question.parts]
    where = f"from {question.file}:{question.line}" if question.line else f"from {question.file}"
    return Commented(data, [f"Question {question.number} ({where})", *_review(plan, notes)])


def _part(node: Node, parent: Key, plan: Plan) -> Commented:
    key = (*parent, node.label)
    notes = list(node.notes)
    prompt = node.prompt_text
    if key in plan.prompts:
        prompt, origin = plan.prompts[key]
        notes.append(f"prompt reworded by {origin}; compare it with the homework's text")
    data: dict[str, Any] = {"id": node.label, "prompt": prompt}
    if node.children:
        data["parts"] = [_part(c, key, plan) for c in node.children]
        return Commented(data, _review(plan, notes))
    if node.points is not None:
        data["points"] = as_number(round(node.points, 6))
    data["solution"] = node.solution_text
    if node.solution_source and node.solution_confidence < CONFIDENT:
        notes.append(f"solution from {node.solution_source} (confidence "
                     f"{node.solution_confidence:.1f}); check that it answers this part")
    checks = plan.checks.get(key, [])
    if key in plan.unchecked:
        notes.append("no check proposed; write one")
    if checks:
        data["checks"] = [_check(item, plan) for item in checks]
    return Commented(data, _review(plan, notes))


def _check(item: Proposed, plan: Plan) -> Commented:
    kind = item.check.kind
    plan.counts[kind] = plan.counts.get(kind, 0) + 1
    origin = item.proposal.origin
    who = "rule" if origin == "rule" else f"model {origin.removeprefix('model:')}"
    comments = [f"draft check ({who}): from {item.proposal.reason}"]
    if kind == "keypoints":
        comments += _review(plan, ["check guessed from prose: keep the statements a right "
                                   "answer must make, reword or delete the rest"])
    dumped = item.check.model_dump(mode="json", exclude_defaults=True)
    ordered = {"kind": kind, **{k: v for k, v in dumped.items() if k != "kind"}}
    return Commented(ordered, comments)
