"""Solutions from a separate file, aligned to the homework's parts.

The solutions file is read like the homework. Its questions are matched by number, its
parts by their label path ((a)(ii) to (a)(ii)): confidence 1. Where the labels do not
match but the counts do, parts are matched by position (0.6); a question whose solution is
one text is split at the parts' labels (0.9). Anything under 0.8 gets a comment.
"""

from __future__ import annotations

from dataclasses import dataclass

from psetbench.draft._finish import leaves, split_by_labels
from psetbench.draft._types import DraftDocument, DraftQuestion, Node, tidy
from psetbench.problemset import path_label

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
        found = "" if confidence == 1.0 else f"question {match.number} there, matched by position"
        _align_question(question, match, _Found(shown, found, confidence))
        if not any(leaf.solution_file == shown for leaf in leaves(question.parts)) and \
                question.solution_file != shown:
            labels = ", ".join(path_label(p) for p in _paths(match.parts))
            why = f"its parts {labels} match none of the homework's" if labels else \
                "its text does not split at the homework's part labels"
            warnings.append(f"question {question.number}: the solution of question "
                            f"{match.number} in {shown} was not used: {why}; copy it in by "
                            "hand")
    return warnings


@dataclass
class _Found:
    """Where a question's solutions come from: the file, and how the question was matched
    ('' by its number)."""

    shown: str
    question: str
    confidence: float

    def put(self, part: Node, text: str, confidence: float, how: str) -> None:
        """The solution on the part, its source saying how both question and part were
        matched: 'sol.md: question 3 there, matched by position; part (a) by its label'."""
        if not text.strip():
            return
        if part.solution_text and part.solution_source == "":
            part.notes.append(f"the homework's own solution was replaced by the one in "
                              f"{self.shown}")
        part.solution = [text]
        part.solution_confidence = min(confidence, self.confidence)
        part.solution_source = f"{self.shown}: " + "; ".join(
            h for h in (self.question, how) if h)
        part.solution_file = self.shown


def _align_question(question: DraftQuestion, source: DraftQuestion, found_in: _Found) -> None:
    targets = _paths(question.parts)
    found = _paths(source.parts)
    if not targets:  # a question without parts: all of the solution is its solution
        texts = [_whole(source)] + [_text(node) for node in found.values()]
        holder = Node(label="", file=question.file, line=question.line)
        found_in.put(holder, tidy("\n\n".join(t for t in texts if t)), 1.0,
                     "" if found_in.question else "same question number")
        question.solution, question.solution_source = holder.solution, holder.solution_source
        question.solution_confidence = holder.solution_confidence
        question.solution_file = holder.solution_file
        return
    if not found:  # the solution is one text: split it at the parts' labels
        pieces = split_by_labels(_whole(source), [p.label for p in question.parts])
        for part in question.parts:
            if part.label in pieces and not part.children:
                found_in.put(part, pieces[part.label], 0.9,
                             f"part ({part.label}) split from the question's text at its label")
        if not pieces and len(targets) == 1:
            found_in.put(next(iter(targets.values())), _whole(source),
                         found_in.confidence * 0.9, "all of it, for the question's only part")
        return
    matched = {path: found[path] for path in targets if path in found and _text(found[path])}
    for path, node in matched.items():
        found_in.put(targets[path], _text(node), 1.0,
                     f"part {path_label(path)} by its label")
    if len(matched) < len(targets) and len(found) == len(targets):
        for target, node in zip(leaves(question.parts), leaves(source.parts), strict=True):
            if target not in [targets[p] for p in matched] and _text(node):
                found_in.put(target, _text(node), 0.6,
                             f"part ({node.label}) there, matched by position")
