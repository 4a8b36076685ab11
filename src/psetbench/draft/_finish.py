"""Make a read document into a valid set's shape: a part for every question, unique ids,
solutions where they belong, points that add up. Each guess leaves a note for the TA."""

from __future__ import annotations

from psetbench.draft._labels import line_label
from psetbench.draft._types import DraftDocument, DraftQuestion, Node, tidy

NO_SOLUTION = "TODO: no solution was found for this part; write the official solution here."
NO_PROMPT = "Answer each sub-part below."
EPS = 1e-9


def split_by_labels(text: str, labels: list[str]) -> dict[str, str]:
    """A solution written for several parts ('(a) ... (b) ...'), split at those labels, in
    order; empty unless at least two of the labels are found."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    expected = iter(labels)
    upcoming = next(expected, None)
    for line in text.splitlines():
        label = line_label(line)
        if label is not None and label[0] == upcoming:
            current = label[0]
            found[current] = [label[1]]
            upcoming = next(expected, None)
            continue
        if current is not None:
            found[current].append(line)
    if len(found) < 2:
        return {}
    return {k: tidy("\n".join(v)) for k, v in found.items()}


def finish(document: DraftDocument) -> None:
    """Shape every question in place; notes say what was guessed."""
    _unique_ids(document.questions)
    for question in document.questions:
        if not question.parts:
            _single_part(question)
        elif question.solution:
            _question_solution(question)
        _shape(question.parts)
    _resolve_all_points(document)


def _single_part(question: DraftQuestion) -> None:
    part = Node(label="a", file=question.file, line=question.line, points=question.points,
                prompt=question.stem or ["(no text)"], solution=question.solution,
                solution_confidence=question.solution_confidence,
                solution_source=question.solution_source, solution_file=question.solution_file,
                options=question.options, correct=question.correct)
    part.notes.append("the question has no parts: its text is this one part")
    question.stem, question.solution, question.points = [], None, None
    question.parts = [part]


def _question_solution(question: DraftQuestion) -> None:
    text = tidy("\n".join(question.solution or []))
    pieces = split_by_labels(text, [p.label for p in question.parts])
    if pieces:
        for part in question.parts:
            if part.label in pieces and not part.solution_text:
                part.solution = [pieces[part.label]]
                part.solution_confidence = 0.9
                part.solution_source = "split from the question's solution by its label"
        return
    question.notes.append("a solution is written for the whole question, before its parts; "
                          "it is kept in the stem: move it to the parts")
    question.stem += ["", "Solution (for the whole question):", text]


def _shape(nodes: list[Node]) -> None:
    _split_listed_solutions(nodes)
    for node in nodes:
        if node.children:
            _unique_ids(node.children)
            _shape(node.children)
            if not node.prompt_text:
                node.prompt = [NO_PROMPT]
                node.notes.append("no text of its own before its sub-parts; write one")
            continue
        if not node.prompt_text:
            node.prompt = ["(no text)"]
            node.notes.append("no prompt text was found; write the question")
        if not node.solution_text:
            node.solution = [NO_SOLUTION]
            node.solution_confidence = 0.0
            node.notes.append("no solution found: write the official solution")


def _split_listed_solutions(nodes: list[Node]) -> None:
    """One part's solution that goes on to solve its siblings ('(a) ... (b) ...')."""
    labels = [n.label for n in nodes]
    for node in nodes:
        pieces = split_by_labels(node.solution_text, labels) if node.solution else {}
        if not pieces:
            continue
        for sibling in nodes:
            if sibling.label in pieces and (sibling is node or not sibling.solution_text):
                sibling.solution = [pieces[sibling.label]]
                sibling.solution_confidence = 0.9
                sibling.solution_source = "split from a solution listing several parts"


def _unique_ids(items: list[Node] | list[DraftQuestion]) -> None:
    seen: set[str] = set()
    for item in items:
        ident = item.label if isinstance(item, Node) else item.number
        if ident in seen:
            n = 2
            while f"{ident}-{n}" in seen:
                n += 1
            item.notes.append(f"a second ({ident}) in the homework: renamed {ident}-{n}")
            ident = f"{ident}-{n}"
            if isinstance(item, Node):
                item.label = ident
            else:
                item.number = ident
        seen.add(ident)


def leaves(nodes: list[Node]) -> list[Node]:
    return [leaf for n in nodes for leaf in (leaves(n.children) if n.children else [n])]


def _resolve_all_points(document: DraftDocument) -> None:
    stated = any(q.points is not None for q in document.questions) or any(
        n.points is not None for q in document.questions for n in _all(q.parts))
    for question in document.questions:
        _resolve(question.parts, question.points, question.notes)
    if not stated:
        document.warnings.append("no points found in the homework: every part counts 1")
        return
    for question in document.questions:
        for leaf in leaves(question.parts):
            if leaf.points is None:
                leaf.notes.append("no points found: counts 1")


def _all(nodes: list[Node]) -> list[Node]:
    return [m for n in nodes for m in (n, *_all(n.children))]


def _resolve(nodes: list[Node], total: float | None, notes: list[str]) -> None:
    """Fill unknown points from a stated total; note a total the parts contradict."""
    for node in nodes:
        if node.children:
            own = node.points
            node.points = None
            _resolve(node.children, own, node.notes)
            if all(c.points is not None for c in node.children):
                node.points = sum(c.points or 0 for c in node.children)
    if total is None:
        return
    known = [n for n in nodes if n.points is not None]
    unknown = [n for n in nodes if n.points is None]
    have = sum(n.points or 0 for n in known)
    if not unknown:
        if abs(have - total) > EPS:
            notes.append(f"the homework gives [{total:g}] here, but its parts add to "
                         f"{have:g}; the parts' points are kept")
        return
    left = total - have
    if left <= EPS:
        notes.append(f"[{total:g}] is used up by the parts that state points; the others "
                     "count 1")
        return
    share = left / len(unknown)
    for node in unknown:
        _give(node, share)
    notes.append(f"points split evenly from [{total:g}]: {share:g} each; check them")


def _give(node: Node, points: float) -> None:
    if not node.children:
        node.points = points
        return
    for child in node.children:
        _give(child, points / len(node.children))
    node.points = points
