"""The problem-set format (versions 1 and 2) as pydantic models.

Version 2 lets a part hold sub-parts (`parts:`), to any depth; `Question.leaves` flattens
them into the gradable parts, each with a dotted id ("e.iii.a").

These models *are* the contract: the JSON Schema (`psetbench schema`) is generated
from them, and the loader validates every file against them.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from psetbench._bounds import (
    MAX_CHECKS,
    MAX_FIGURE_PATH_CHARS,
    MAX_ID_CHARS,
    MAX_PARTS,
    MAX_QUESTIONS,
    MAX_SHORT_CHARS,
    MAX_TEXT_CHARS,
    MAX_WEIGHT,
    MIN_WEIGHT,
)
from psetbench.checks import (
    CheckConfig,
    Strict,
    check_union,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
V1_NESTED = "sub-parts (`parts:` inside a part) need format version 2; write `psetbench: 2`"


_Strict = Strict


class Difficulty(StrEnum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


if TYPE_CHECKING:
    Check = CheckConfig
else:
    # any registered check kind (built-in or plugin), told apart by `kind`
    Check = check_union()


class Figure(_Strict):
    path: str = Field(max_length=MAX_FIGURE_PATH_CHARS,
                      description="relative to the YAML file; must stay inside its folder")
    caption: str | None = Field(default=None, max_length=MAX_SHORT_CHARS)


class Part(_Strict):
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS,
                    description="unique among its siblings; shown as '(id)'")
    prompt: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    points: float = Field(
        default=1.0, ge=MIN_WEIGHT, le=MAX_WEIGHT,
        description="a part with sub-parts: their sum (the default)"
    )
    difficulty: Difficulty = Field(
        default=Difficulty.medium, description="sub-parts inherit it unless they set their own"
    )
    group: str | None = Field(
        default=None, max_length=MAX_ID_CHARS,
        description="parts sharing a group are asked together; sub-parts inherit it",
    )
    solution: str = Field(
        default="", max_length=MAX_TEXT_CHARS,
        description="the official solution; required unless the part has sub-parts"
    )
    checks: list[Check] = Field(default_factory=list, max_length=MAX_CHECKS)
    parts: list[Part] = Field(
        default_factory=list, max_length=MAX_PARTS,
        description="sub-parts, (i), (ii)... (format version 2); each is graded on its own",
    )

    _path: tuple[str, ...] = PrivateAttr(default=())
    _context: tuple[str, ...] = PrivateAttr(default=())

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _parent_or_leaf(self) -> Part:
        if not self.parts:
            if not self.solution:
                raise ValueError("solution: `solution` is required on a part without "
                                 "sub-parts; add it")
            return self
        if self.checks:
            raise ValueError("checks: a part with sub-parts takes no checks; put them on "
                             "its sub-parts")
        _no_duplicates([p.id for p in self.parts], f"sub-part id in part {self.id!r}")
        for child in self.parts:
            if "." in child.id:
                raise ValueError(f"parts: sub-part id {child.id!r} has a '.'; "
                                 "use letters, digits or roman numerals")
        total = sum(p.points for p in self.parts)
        if "points" not in self.model_fields_set:
            object.__setattr__(self, "points", total)
        elif abs(self.points - total) > 1e-9:
            raise ValueError(f"points: {self.points:g} is not the sum of the sub-parts' points "
                             f"({total:g}); give {total:g} or leave `points` out")
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out what a reload must not take as written: an empty `parts` (a version-1
        set dumps as it always did) and the difficulty or group a sub-part inherits. Logs
        store the set as JSON, so sub-parts must still inherit after that round trip."""
        data = handler(self)
        if not isinstance(data, dict):
            return data
        if not self.parts:
            data.pop("parts", None)
        for child, dumped in zip(self.parts, data.get("parts") or [], strict=False):
            for key in ("difficulty", "group"):
                if key not in child.model_fields_set and isinstance(dumped, dict):
                    dumped.pop(key, None)
        return data

    @property
    def path(self) -> tuple[str, ...]:
        """The ids from the top of the question, ("a", "ii"); (id,) for a top-level part."""
        return self._path or (self.id,)

    @property
    def context(self) -> tuple[str, ...]:
        """The prompts of the part's ancestors, outermost first (empty at the top level)."""
        return self._context

    @property
    def label(self) -> str:
        """How the homework writes it: "(a)(ii)"."""
        return path_label(self.path)

    def _leaves(
        self, path: tuple[str, ...], context: tuple[str, ...], inherited: dict[str, object]
    ) -> list[Part]:
        own: dict[str, object] = {k: getattr(self, k) for k in ("difficulty", "group")
                                  if k in self.model_fields_set}
        merged = {**inherited, **own}
        if not self.parts:
            if not context:
                return [self]
            leaf = self.model_copy(update={"id": ".".join(path), **merged, "parts": []})
            leaf._path, leaf._context = path, context
            return [leaf]
        return [leaf for child in self.parts
                for leaf in child._leaves((*path, child.id), (*context, self.prompt), merged)]


def path_label(path: tuple[str, ...]) -> str:
    """("e", "iii", "a") as the homework writes it: "(e)(iii)(a)"."""
    return "".join(f"({i})" for i in path)


def _no_duplicates(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ValueError(f"duplicate {what}: {ident!r}")
        seen.add(ident)


class Question(_Strict):
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique in the set")
    title: str | None = Field(default=None, max_length=MAX_SHORT_CHARS)
    stem: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    figures: list[Figure] = Field(default_factory=list, max_length=MAX_CHECKS)
    parts: list[Part] = Field(min_length=1, max_length=MAX_PARTS)

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _unique_parts(self) -> Question:
        seen: set[str] = set()
        for part in self.parts:
            if part.id in seen:
                raise ValueError(f"duplicate part id {part.id!r} in question {self.id!r}")
            seen.add(part.id)
        if self.nested:
            for part in self.parts:
                if "." in part.id:
                    raise ValueError(f"part id {part.id!r} has a '.', which a question with "
                                     "sub-parts uses for paths; rename it")
        return self

    @property
    def nested(self) -> bool:
        """Whether any part has sub-parts."""
        return any(p.parts for p in self.parts)

    @cached_property
    def leaves(self) -> list[Part]:
        """The gradable parts in order, sub-parts flattened depth-first with dotted ids."""
        if not self.nested:
            return self.parts
        return [leaf for p in self.parts for leaf in p._leaves((p.id,), (), {})]

    @property
    def points(self) -> float:
        return sum(p.points for p in self.leaves)

    def node(self, path: tuple[str, ...]) -> Part:
        """The part (as written, with its own id and sub-parts) at a path of ids."""
        siblings, found = self.parts, None
        for ident in path:
            found = next((p for p in siblings if p.id == ident), None)
            if found is None:
                raise KeyError(".".join(path))
            siblings = found.parts
        if found is None:
            raise KeyError("empty path")
        return found

    def outline(self) -> list[tuple[tuple[str, ...], Part]]:
        """Every part in reading order, each parent just before its sub-parts, with its path:
        a parent as written (it has `parts`), a leaf as in `leaves` (dotted id)."""
        out: list[tuple[tuple[str, ...], Part]] = []
        shown: set[tuple[str, ...]] = set()
        for leaf in self.leaves:
            for i in range(1, len(leaf.path)):
                if leaf.path[:i] not in shown:
                    shown.add(leaf.path[:i])
                    out.append((leaf.path[:i], self.node(leaf.path[:i])))
            out.append((leaf.path, leaf))
        return out

    def ancestors(self, leaf: Part) -> list[Part]:
        """The parts above a leaf, outermost first (empty for a top-level part)."""
        return [self.node(leaf.path[:i]) for i in range(1, len(leaf.path))]


class ProblemSet(_Strict):
    psetbench: Literal[1, 2] = Field(
        description="format version: 2 allows sub-parts (`parts:` inside a part)"
    )
    id: str = Field(pattern=ID_PATTERN, max_length=MAX_ID_CHARS,
                    description="lowercase letters, digits and '-'")
    title: str = Field(min_length=1, max_length=MAX_SHORT_CHARS)
    preamble: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    questions: list[Question] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _unique_questions(self) -> ProblemSet:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"duplicate question id {question.id!r}")
            seen.add(question.id)
        if self.psetbench == 1:
            for question in self.questions:
                for part in question.parts:
                    if part.parts:
                        raise ValueError(
                            f"{V1_NESTED} (question {question.id!r}, part {part.id!r})")
        return self

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def part(self, question_id: str, part_id: str) -> Part:
        for part in self.question(question_id).leaves:
            if part.id == part_id:
                return part
        raise KeyError(f"{question_id}({part_id})")

    def label(self, question_id: str, part_id: str) -> str:
        """A leaf as the homework writes it, "(a)(ii)"; "(id)" for a part the set lacks."""
        try:
            return self.part(question_id, part_id).label
        except KeyError:
            return f"({part_id})"

    def select(self, question_ids: list[str]) -> ProblemSet:
        """The same set restricted to some questions, in the set's order."""
        wanted = set(question_ids)
        unknown = wanted - {q.id for q in self.questions}
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        return self.model_copy(
            update={"questions": [q for q in self.questions if q.id in wanted]}
        )
