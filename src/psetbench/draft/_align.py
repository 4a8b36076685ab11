"""Solutions from a separate file, aligned to the homework's parts.

The solutions file is read like the homework. Its questions are matched by number, its
parts by their label path ((a)(ii) to (a)(ii)): confidence 1. Where the labels do not
match but the counts do, parts are matched by position (0.6); a question whose solution is
one text is split at the parts' labels (0.9). Anything under 0.8 gets a comment.
"""

from __future__ import annotations

from psetbench.draft._finish import leaves, split_by_labels
from psetbench.draft._types import DraftDocument, DraftQuestion, Node, tidy

CONFIDENT = 0.8


def _paths(nodes: list[Node], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Node]:
    out: dict[tuple[str, ...], Node] = {}
    for node in nodes:
        path = (*prefix, node.label)
        if node.children:
            out.update(_paths(node.children, path))
        else:
            out[path] = node
    return out


def _text(node: Node) -> str:
    """What a solutions file says under a label: its 'Solution' block, else all its text."""
    return node.solution_text or node.prompt_text


def _whole(question: DraftQuestion) -> str:
    return tidy("\n".join([*question.stem, *(question.solution or [])]))


def align(homework: DraftDocument, solutions: DraftDocument, shown: str) -> list[str]:
    """Put the solutions file's solutions on the homework's parts; return warnings."""
    warnings: list[str] = []
    by_number = {q.number: q for q in solutions.questions}
    same_count = len(solutions.questions) == len(homework.questions)
    for index, question in enumerate(homework.questions):
        match = by_number.get(question.number)
        confidence = 1.0
        if match is None and same_count:
            match, confidence = solutions.questions[index], 0.6
        if match is None:
            warnings.append(f"question {question.number}: no solution in {shown}")
            continue
        _align_question(question, match, confidence, shown)
    return warnings


def _align_question(question: DraftQuestion, source: DraftQuestion, confidence: float,
                    shown: str) -> None:
    targets = _paths(question.parts)
    found = _paths(source.parts)
    if not targets:  # a question without parts: all of the solution is its solution
        texts = [_whole(source)] + [_text(node) for node in found.values()]
        question.solution = [tidy("\n\n".join(t for t in texts if t))]
        return
    if not found:  # the solution is one text: split it at the parts' labels
        pieces = split_by_labels(_whole(source), [p.label for p in question.parts])
        for part in question.parts:
            if part.label in pieces and not part.children:
                _put(part, pieces[part.label], min(confidence, 0.9), shown,
                     "split at its label")
        if not pieces and len(targets) == 1:
            _put(next(iter(targets.values())), _whole(source), confidence * 0.9, shown,
                 "the question's only part")
        return
    matched = {path: found[path] for path in targets if path in found and _text(found[path])}
    for path, node in matched.items():
        _put(targets[path], _text(node), confidence, shown, "same label")
    if len(matched) < len(targets) and len(found) == len(targets):
        for target, node in zip(leaves(question.parts), leaves(source.parts), strict=True):
            if target not in [targets[p] for p in matched] and _text(node):
                _put(target, _text(node), min(confidence, 0.6), shown,
                     f"by position: ({node.label}) there")


def _put(part: Node, text: str, confidence: float, shown: str, how: str) -> None:
    if not text.strip():
        return
    if part.solution_text and part.solution_source == "":
        part.notes.append(f"the homework's own solution was replaced by the one in {shown}")
    part.solution = [text]
    part.solution_confidence = confidence
    part.solution_source = f"{shown}, {how}"
    part.solution_file = shown
