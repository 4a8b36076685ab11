"""Failure patterns, derived from the grades (verdicts, check results, judge notes), never from
free text a model wrote about itself.

Each part answer counts at most once per pattern; examples are the first few in the set's order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from psetbench.problemset import ProblemSet
from psetbench.report._data import Column
from psetbench.report._factor import Factor, off_by
from psetbench.types import CheckResult, CheckStatus, PartGrade, Verdict

MAX_EXAMPLES = 5
UNIT_WORDS = re.compile(
    r"dimension|incompatible unit|unit mismatch|wrong unit|units? do(?:es)? not match"
    r"|cannot convert|can't convert|with no unit|states no .*; it gives", re.IGNORECASE)
OMISSIONS = ("omission_question", "omission_part", "omission_ask")

# id -> (title, how it is derived)
KINDS: dict[str, tuple[str, str]] = {
    "omission_question": (
        "Omission: whole question",
        "Every part of a question (with two or more parts) is missing in one run and epoch"),
    "omission_part": (
        "Omission: a part",
        "A part is missing (no answer to it was found in the reply), outside a wholly "
        "omitted question"),
    "omission_ask": (
        "Omission: one ask of a part",
        "The part was answered but one of its asks was not: a check is unaddressed while "
        "another was addressed, or the reason says \"not answered:\""),
    "answered_other": (
        "Answered another question",
        "The reply answered a question other than the one asked (often the previous one "
        "again), so every part asked in that turn is missing"),
    "misread": (
        "Misread question",
        "The answer is there but addresses none of the part's checks: it answered something "
        "else"),
    "wrong_number": (
        "Wrong number",
        "A numeric check failed (or gave partial credit) on a number found in the answer; the "
        "factor is found / expected"),
    "unit_error": (
        "Unit error",
        "A check's reason names a dimension or unit mismatch, or a numeric check found only "
        "numbers of another dimension (or with no unit)"),
    "ambiguity": (
        "Ambiguity taken the other way",
        "A check matched an alternative reading (its matched names the alternative), or the "
        "judge noted another reading of the question"),
    "empty_reply": (
        "Empty reply",
        "The reply was empty or cut off and the model had to be nudged to answer"),
    "disagreement": (
        "Judge/check disagreement",
        "The judge and a machine check disagree on this part (listed on the grade)"),
}


@dataclass
class Example:
    column: str
    strategy: str
    question: str
    part: str | None  # None for a whole question
    epoch: int
    detail: str
    label: str = ""  # "(e)(iii)": the part as the homework writes it

    @property
    def key(self) -> str:
        if self.part is None:
            return self.question
        return f"{self.question}{self.label or f'({self.part})'}"

    @property
    def anchor(self) -> str:
        return part_anchor(self.question, self.part)


@dataclass
class Pattern:
    id: str
    title: str
    how: str
    count: int = 0
    by_column: Counter[str] = field(default_factory=Counter)
    by_strategy: Counter[str] = field(default_factory=Counter)
    examples: list[Example] = field(default_factory=list)
    factors: list[float] = field(default_factory=list)  # wrong numbers only

    def add(self, column: Column, example: Example) -> None:
        self.count += 1
        self.by_column[column.name] += 1
        self.by_strategy[column.strategy] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(example)

    @property
    def powers_of_ten(self) -> int:
        return sum(1 for f in self.factors if Factor(f).power_of_ten is not None)


def part_anchor(question: str, part: str | None) -> str:
    """The HTML id of a question or part section."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", question)
    if part is None:
        return f"q-{safe}"
    return f"p-{safe}-{re.sub(r'[^A-Za-z0-9_-]', '_', part)}"


def _unit_problem(check: CheckResult) -> bool:
    wrong = check.status in (CheckStatus.failed, CheckStatus.partial, CheckStatus.unaddressed)
    return wrong and UNIT_WORDS.search(check.reason) is not None


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Finder:
    def __init__(self, pset: ProblemSet) -> None:
        self.pset = pset
        self.patterns = {k: Pattern(id=k, title=t, how=h) for k, (t, h) in KINDS.items()}

    def example(self, column: Column, g: PartGrade, detail: str, *,
                whole: bool = False) -> Example:
        return Example(column=column.name, strategy=column.strategy, question=g.question,
                       part=None if whole else g.part, epoch=g.epoch, detail=_clip(detail),
                       label=self.pset.label(g.question, g.part))

    def add(self, kind: str, column: Column, g: PartGrade, detail: str) -> None:
        self.patterns[kind].add(column, self.example(column, g, detail))

    def column(self, column: Column) -> None:
        by_question: dict[tuple[int, str], list[PartGrade]] = {}
        for g in column.grades:
            by_question.setdefault((g.epoch, g.question), []).append(g)
        whole: set[tuple[int, str]] = set()
        for (epoch, qid), grades in by_question.items():
            if len(grades) >= 2 and all(g.verdict == Verdict.missing for g in grades) and \
                    not any(g.absence == "another_question" for g in grades):
                try:
                    asked = len(self.pset.question(qid).leaves)
                except KeyError:
                    asked = len(grades)
                whole.add((epoch, qid))
                detail = f"all {asked} parts of question {qid} unanswered"
                self.patterns["omission_question"].add(
                    column, self.example(column, grades[0], detail, whole=True))
        for g in column.grades:
            self.grade(column, g, (g.epoch, g.question) in whole)

    def grade(self, column: Column, g: PartGrade, in_whole: bool) -> None:
        if g.absence == "another_question":
            self.add("answered_other", column, g, g.reason)
        elif g.verdict == Verdict.missing and not in_whole:
            self.add("omission_part", column, g, g.reason or "no answer found")
        if g.nudged:
            self.add("empty_reply", column, g,
                     f"nudged; after the nudge: {g.verdict.value}")
        if g.verdict in (Verdict.missing, Verdict.not_asked):
            return
        addressed = [c for c in g.checks if c.status != CheckStatus.ungraded]
        unaddressed = [c for c in addressed if c.status == CheckStatus.unaddressed
                       and not _unit_problem(c)]
        if unaddressed and len(unaddressed) == len(addressed) and g.answer.strip():
            self.add("misread", column, g, "addresses none of: " +
                     ", ".join(c.name for c in unaddressed))
        elif unaddressed or "not answered:" in g.reason:
            names = ", ".join(c.name for c in unaddressed)
            self.add("omission_ask", column, g, f"not answered: {names}" if names else g.reason)
        self.checks(column, g)
        notes = [c.matched for c in g.checks if c.matched not in (None, "answer")]
        ambiguity = getattr(g, "ambiguity", None)
        if notes or ambiguity:
            detail = (f"took the reading “{notes[0]}”" if notes else "") + (
                f"{'; ' if notes else ''}judge: {ambiguity}" if ambiguity else "")
            self.add("ambiguity", column, g, detail)
        disagreements = getattr(g, "disagreements", None) or []
        if disagreements:
            self.add("disagreement", column, g, str(disagreements[0]))

    def checks(self, column: Column, g: PartGrade) -> None:
        wrong: list[str] = []
        units: list[str] = []
        for c in g.checks:
            if _unit_problem(c):
                units.append(f"{c.name}: expected {c.expected}: {c.reason}")
                continue
            if c.status not in (CheckStatus.failed, CheckStatus.partial) or c.kind != "numeric" \
                    or not c.found:
                continue
            factor = off_by(c.expected, c.found)
            shown = f" ({factor.text})" if factor is not None else ""
            wrong.append(f"{c.name}: expected {c.expected}, found {c.found}{shown}")
            if factor is not None:
                self.patterns["wrong_number"].factors.append(factor.value)
        if wrong:
            self.add("wrong_number", column, g, "; ".join(wrong))
        if units:
            self.add("unit_error", column, g, "; ".join(units))


def find_patterns(pset: ProblemSet, columns: Iterable[Column]) -> list[Pattern]:
    """Every pattern, found or not, in a fixed order (a zero count is information too)."""
    finder = _Finder(pset)
    for column in columns:
        finder.column(column)
    return list(finder.patterns.values())
