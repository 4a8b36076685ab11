"""Load and validate problem-set YAML files, reporting every problem as file:line:column.

PyYAML's composed node tree keeps each value's position; pydantic reports each error's
path. Walking one with the other gives a position for every problem, so a person can
jump straight to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from psetbench._bounds import MAX_FILE_CHARS
from psetbench.checks import check_kinds
from psetbench.errors import PsetbenchError
from psetbench.problemset._limits import (
    YamlLimitError,
    check_yaml_events,
    count_problem,
    figure_path_problem,
)
from psetbench.problemset._model import V1_NESTED, ProblemSet

# libyaml's loader when PyYAML was built with it: several times faster on large sets
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it, or check its spelling against `psetbench schema`",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use lowercase letters, digits and '-'",
    "enum": "use easy, medium or hard",
    "too_short": "add at least one",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a problem-set file, with where it is."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ProblemSetError(PsetbenchError):
    """A problem-set file that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedSet:
    """A validated problem set and the file it came from."""

    pset: ProblemSet
    path: Path

    def figure_path(self, relative: str) -> Path:
        return (self.path.parent / relative).resolve()


def load_problem_set(path: str | Path) -> LoadedSet:
    """Load and validate one file; raise ProblemSetError listing every problem."""
    path = Path(path)
    problems, pset = _check(path)
    if problems or pset is None:
        raise ProblemSetError(problems)
    return LoadedSet(pset=pset, path=path.resolve())


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem in one file (empty when it is valid)."""
    return _check(Path(path))[0]


def _check(path: Path) -> tuple[list[Problem], ProblemSet | None]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [Problem(name, 1, 1, "no such file; check the path")], None
    except IsADirectoryError:
        return [Problem(name, 1, 1, "is a folder; give a .yaml file")], None
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(name, 1, 1, f"cannot read it ({exc}); save it as UTF-8 text")], None

    if len(text) > MAX_FILE_CHARS:
        return [Problem(name, 1, 1, f"larger than {MAX_FILE_CHARS} characters; split the "
                                    "set into several files")], None
    try:
        check_yaml_events(text, _LOADER)
        node, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        return [Problem(name, line, col, f"invalid YAML: {what}; fix the syntax here")], None
    except yaml.YAMLError as exc:
        return [Problem(name, 1, 1, f"invalid YAML: {exc}")], None
    except YamlLimitError as exc:
        return [Problem(name, exc.line, exc.column, str(exc))], None

    if node is None or not isinstance(data, dict):
        return [Problem(name, 1, 1, "not a problem set: expected a mapping with psetbench: 1 or 2, "
                                    "id, title and questions")], None

    if (too_many := count_problem(data)) is not None:  # before the per-item work below
        key, _ = _child(node, "questions")
        line, col = _position(key) if key is not None else (1, 1)
        return [Problem(name, line, col, too_many)], None
    problems = list(_duplicate_keys(name, node))
    problems += _duplicate_ids(name, node)
    if data.get("psetbench") == 1:
        problems += _v1_nested(name, node)
    pset: ProblemSet | None = None
    try:
        pset = ProblemSet.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            if str(error["msg"]).startswith(("Value error, duplicate ",
                                             f"Value error, {V1_NESTED}")):
                continue  # reported at the offending line by _duplicate_ids or _v1_nested
            problems.append(_pydantic_problem(name, node, error))
    problems += _semantic_problems(name, path, node, data)
    problems = _dedupe(problems)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems, (pset if not problems else None)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for positions) and the data built from that same tree: one parse."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, int, str]] = set()
    out: list[Problem] = []
    for p in problems:
        key = (p.line, p.column, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) of a mapping entry or sequence item."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return None, node.value[key]
    return None, None


def _locate(root: yaml.Node, loc: tuple[Any, ...], *, at_key: bool = False) -> yaml.Node:
    node = root
    for index, item in enumerate(loc):
        key_node, value = _child(node, item)
        if value is None:
            # pydantic adds union tags ('numeric') and validator names to paths: skip those.
            continue
        if at_key and index == len(loc) - 1 and key_node is not None:
            return key_node
        node = value
    return node


def _path_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        elif item in check_kinds() and out.endswith("]"):
            continue  # the discriminated union's tag
        else:
            out += f".{item}" if out else str(item)
    return out


def _pydantic_problem(name: str, root: yaml.Node, error: Any) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    node = _locate(root, loc, at_key=kind == "extra_forbidden")
    if kind == "missing":
        node = _locate(root, loc[:-1])
    line, col = _position(node)
    field = _path_text(loc) or "file"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        message = f"`{loc[-1]}` is required"
    elif kind == "extra_forbidden":
        message = f"unknown field `{loc[-1]}`"
    elif kind == "value_error":
        node, loc, message = _at_field(root, node, loc, message)
        line, col = _position(node)
        field = _path_text(loc) or "file"
    elif kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        message = f"unknown check kind {tag!r}"
    hint = _HINTS.get(kind) or _kind_hint(kind)
    text = f"{field}: {message}" + (f"; {hint}" if hint else "")
    return Problem(name, line, col, text)


def _kind_hint(error_type: str) -> str | None:
    """The hint for a check without a known `kind:`, listing the registered kinds."""
    kinds = ", ".join(check_kinds())
    if error_type == "union_tag_invalid":
        return f"use one of: {kinds}"
    if error_type == "union_tag_not_found":
        return f"add `kind:` (one of: {kinds})"
    return None


# A model validator names the field it objects to as "field: message" (see _model.Part).
_FIELDS = ("checks", "points", "parts", "solution")


def _at_field(
    root: yaml.Node, node: yaml.Node, loc: tuple[Any, ...], message: str
) -> tuple[yaml.Node, tuple[Any, ...], str]:
    """Point a model validator's message at the key it names, when the file has that key."""
    head, sep, rest = message.partition(": ")
    if not sep or head not in _FIELDS:
        return node, loc, message
    key_node, _ = _child(node, head)
    return key_node or node, (*loc, head), rest


def _duplicate_keys(name: str, node: yaml.Node) -> Iterator[Problem]:
    """YAML quietly keeps the last of two equal keys; a person almost never means that."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    line, col = _position(key)
                    yield Problem(name, line, col,
                                  f"duplicate key `{key.value}`; keep one of them")
                seen.add(key.value)
            yield from _duplicate_keys(name, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(name, item)


def _id_nodes(seq: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(seq, yaml.SequenceNode):
        for item in seq.value:
            _, id_node = _child(item, "id")
            if isinstance(id_node, yaml.ScalarNode):
                yield id_node.value, id_node


def _repeated_ids(name: str, seq: yaml.Node | None, what: str) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for ident, node in _id_nodes(seq):
        line, col = _position(node)
        if ident in first:
            problems.append(Problem(name, line, col,
                                    f"duplicate {what} id {ident!r} (first on line "
                                    f"{first[ident]}); give each {what} its own id"))
        first.setdefault(ident, line)
    return problems


def _part_nodes(seq: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every part node below a `parts:` sequence, sub-parts included, in file order."""
    if isinstance(seq, yaml.SequenceNode):
        for part in seq.value:
            yield part
            yield from _part_nodes(_child(part, "parts")[1])


def _question_nodes(root: yaml.Node) -> list[yaml.Node]:
    questions = _child(root, "questions")[1]
    return list(questions.value) if isinstance(questions, yaml.SequenceNode) else []


def _duplicate_ids(name: str, root: yaml.Node) -> list[Problem]:
    problems = _repeated_ids(name, _child(root, "questions")[1], "question")
    for question in _question_nodes(root):
        top = _child(question, "parts")[1]
        problems += _repeated_ids(name, top, "part")
        for part in _part_nodes(top):
            problems += _repeated_ids(name, _child(part, "parts")[1], "sub-part")
    return problems


def _v1_nested(name: str, root: yaml.Node) -> list[Problem]:
    """Sub-parts in a version-1 file, reported at each `parts:` key inside a part."""
    problems = []
    for question in _question_nodes(root):
        for part in _part_nodes(_child(question, "parts")[1]):
            key, _ = _child(part, "parts")
            if key is not None:
                line, col = _position(key)
                problems.append(Problem(name, line, col, V1_NESTED))
    return problems


def _part_dicts(
    loc: tuple[Any, ...], value: Any
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """(path, part) for every part below a `parts:` list, sub-parts included."""
    if isinstance(value, list):
        for i, part in enumerate(value):
            if isinstance(part, dict):
                yield (*loc, i), part
                yield from _part_dicts((*loc, i, "parts"), part.get("parts"))


def _semantic_problems(
    name: str, path: Path, root: yaml.Node, data: dict[str, Any]
) -> list[Problem]:
    """What the schema cannot say: figures inside the folder, units that parse. Works on the
    raw data, so these problems are reported even when the file has schema errors too."""
    problems: list[Problem] = []
    folder = path.parent.resolve()

    def items(value: Any) -> list[tuple[int, dict[str, Any]]]:
        return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] \
            if isinstance(value, list) else []

    for qi, question in items(data.get("questions")):
        for fi, figure in items(question.get("figures")):
            if not isinstance(figure.get("path"), str):
                continue
            line, col = _position(_locate(root, ("questions", qi, "figures", fi, "path")))
            if (why := figure_path_problem(figure["path"])) is not None:
                problems.append(Problem(name, line, col, f"figure path {why}"))
                continue
            target = (folder / figure["path"]).resolve()
            if not target.is_relative_to(folder):
                problems.append(Problem(name, line, col, f"figure {figure['path']!r} is outside "
                                        "the set's folder; move it beside the YAML file"))
            elif not target.is_file():
                problems.append(Problem(name, line, col, f"figure {figure['path']!r} not found"))
        for part_loc, part in _part_dicts(("questions", qi, "parts"), question.get("parts")):
            for ci, check in items(part.get("checks")):
                kind = check_kinds().get(str(check.get("kind")))
                for where, why in kind.reference_problems(check) if kind else []:
                    loc = (*part_loc, "checks", ci, *where)
                    line, col = _position(_locate(root, loc))
                    problems.append(Problem(name, line, col, f"{_path_text(loc)}: {why}"))
    return problems
