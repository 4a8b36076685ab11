"""The set's bounds (psetbench._bounds), checked on the drafted structure before any check is
proposed or anything written.

Homework beyond them (a 139 kB prompt, 1,499 problems in one file) is for the TA to split or
shorten, so it is refused in one line naming where it is, the limit and the fix; nothing
downstream (check proposals, the set's own validation) ever meets a value out of bounds.
"""

from __future__ import annotations

from psetbench._bounds import (
    MAX_CHECKS,
    MAX_FILE_CHARS,
    MAX_ID_CHARS,
    MAX_PARTS,
    MAX_QUESTIONS,
    MAX_SHORT_CHARS,
    MAX_TEXT_CHARS,
    MAX_WEIGHT,
    MIN_WEIGHT,
)
from psetbench.draft._types import DraftDocument, DraftError, DraftQuestion, Node, tidy

SPLIT = "split the homework into several files and draft each"


def _at(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file


def _long(where: str, what: str, text: str, limit: int, fix: str) -> None:
    if len(text) > limit:
        raise DraftError(f"{where}: {what} is {len(text):,} characters, more than the "
                         f"{limit:,} a set allows; {fix}")


def check_document(document: DraftDocument) -> None:
    """Raise DraftError at the first part of the draft a set could not hold."""
    count = len(document.questions)
    if count > MAX_QUESTIONS:
        raise DraftError(f"{document.file}: {count:,} questions, more than the {MAX_QUESTIONS} "
                         f"a set may hold; {SPLIT}")
    _long(document.file, "the title", document.title or "", MAX_SHORT_CHARS,
          "shorten the homework's title (its \\title, first heading or first line)")
    _long(document.file, "the text before the first question", tidy("\n".join(document.intro)),
          MAX_TEXT_CHARS, "shorten it or move it into the questions")
    for question in document.questions:
        _question(question)


def _question(question: DraftQuestion) -> None:
    where, name = _at(question.file, question.line), f"question {question.number}"
    if len(question.number) > MAX_ID_CHARS:
        raise DraftError(f"{where}: {name}'s number is longer than {MAX_ID_CHARS} characters; "
                         "number it 1, 2, ...")
    _long(where, f"{name}'s title", question.title or "", MAX_SHORT_CHARS, "shorten the title")
    _long(where, f"{name}'s text before its parts", tidy("\n".join(question.stem)),
          MAX_TEXT_CHARS, "shorten it, or split the question")
    _count(where, f"{name} has {len(question.parts):,} parts", len(question.parts), MAX_PARTS,
           "split it into several questions")
    _count(where, f"{name} has {len(question.figures):,} figures", len(question.figures),
           MAX_CHECKS, "split the question, or combine figures into one image")
    for figure in question.figures:
        _long(where, f"the caption of {figure.name}", figure.caption or "", MAX_SHORT_CHARS,
              "shorten the caption")
    for node in question.parts:
        _node(node, question.number, ())


def _count(where: str, said: str, count: int, limit: int, fix: str) -> None:
    if count > limit:
        raise DraftError(f"{where}: {said}, more than the {limit} a set allows; {fix}")


def _node(node: Node, number: str, parents: tuple[str, ...]) -> None:
    path = (*parents, node.label)
    where = _at(node.file, node.line)
    name = f"part {number}" + "".join(f"({label})" for label in path)
    if len(node.label) > MAX_ID_CHARS:
        raise DraftError(f"{where}: the label ({node.label[:20]}...) is {len(node.label)} "
                         f"characters, more than the {MAX_ID_CHARS} an id may have; shorten the "
                         "label")
    _long(where, f"{name}'s prompt", node.prompt_text, MAX_TEXT_CHARS,
          "shorten it (put long data in a figure or a file the prompt names) or split the part")
    if node.children:
        _count(where, f"{name} has {len(node.children):,} sub-parts", len(node.children),
               MAX_PARTS, "split it into several parts")
        for child in node.children:
            _node(child, number, path)
        return
    _long(where, f"{name}'s solution"
          + (f" (from {node.solution_file})" if node.solution_file else ""),
          node.solution_text, MAX_TEXT_CHARS, "shorten it to what a grader needs")
    points = 1.0 if node.points is None else node.points
    if not MIN_WEIGHT <= points <= MAX_WEIGHT:
        raise DraftError(f"{where}: {name} has {points:g} points; a part counts between "
                         f"{MIN_WEIGHT:g} and {MAX_WEIGHT:g} points; give it points in that "
                         "range (or delete a part worth nothing)")


def check_size(text: str, homework: str) -> None:
    """The written draft must fit in a set file (`psetbench validate` refuses larger ones)."""
    if len(text) > MAX_FILE_CHARS:
        raise DraftError(f"{homework}: the draft would be {len(text):,} characters, more than "
                         f"the {MAX_FILE_CHARS:,} a set file may hold; {SPLIT}")
