"""Read a labels file, reporting every problem as file:line.

PyYAML's node tree keeps each value's line; pydantic names each bad field's path. Walking
the one with the other puts a line on every problem (the same approach as problem-set files).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from psetbench.errors import PsetbenchError
from psetbench.labels._model import LabelGroup, LabelsFile

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: A labels file is a person's work, one line per part: far below this.
MAX_LABELS_CHARS = 20_000_000


@dataclass(frozen=True)
class LabelProblem:
    """One thing wrong with a labels file, with where it is."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class LabelsError(PsetbenchError):
    """A labels file that cannot be used; the message has one `file:line: ...` line per
    problem."""

    def __init__(self, problems: list[LabelProblem] | list[str]) -> None:
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


def load_labels(path: str | Path) -> LabelsFile:
    """Load and check a labels file; raise LabelsError listing every problem."""
    path = Path(path)
    problems, labels = _check(path)
    if problems or labels is None:
        raise LabelsError(problems)
    return labels


def _check(path: Path) -> tuple[list[LabelProblem], LabelsFile | None]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [LabelProblem(name, 1, "no such labels file; check the path")], None
    except IsADirectoryError:
        return [LabelProblem(name, 1, "is a folder; give a labels .yaml file")], None
    except (OSError, UnicodeDecodeError) as exc:
        return [LabelProblem(name, 1, f"cannot read it ({exc}); save it as UTF-8 text")], None
    if len(text) > MAX_LABELS_CHARS:
        return [LabelProblem(name, 1, f"larger than {MAX_LABELS_CHARS} characters; split it "
                                      "into one file per log folder")], None
    try:
        node, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        return [LabelProblem(name, mark.line + 1 if mark else 1,
                             f"invalid YAML: {what}; fix the syntax here")], None
    except yaml.YAMLError as exc:
        return [LabelProblem(name, 1, f"invalid YAML: {exc}")], None
    if node is None:  # an empty file: no labels yet
        return [], _with_source(LabelsFile(), path, text, None)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return [LabelProblem(name, _line(node), "not a labels file: expected a mapping of "
                                                "transcript or log names to {strategy, parts}")
                ], None
    problems = _duplicates(name, node)
    groups: dict[str, LabelGroup] = {}
    by_name = {str(k): v for k, v in data.items()}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        value = by_name.get(key)
        if not isinstance(value, dict):
            problems.append(LabelProblem(name, _line(value_node), f"{key}: expected a mapping "
                                         "with strategy and parts"))
            continue
        try:
            groups[key] = LabelGroup.model_validate(value)
        except ValidationError as exc:
            problems += [_problem(name, key, value_node, e) for e in exc.errors()]
    problems.sort(key=lambda p: p.line)
    if problems:
        return problems, None
    return [], _with_source(LabelsFile(groups=groups), path, text, node)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for lines) and the data built from that same tree: one parse."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _with_source(labels: LabelsFile, path: Path, text: str, node: yaml.Node | None) -> LabelsFile:
    labels._source = path
    labels._header = header_of(text)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            group = str(key_node.value)
            labels._lines[(group, None)] = _line(key_node)
            _, parts = _child(value_node, "parts")
            if isinstance(parts, yaml.MappingNode):
                for part_key, _value in parts.value:
                    labels._lines[(group, str(part_key.value))] = _line(part_key)
    return labels


def header_of(text: str) -> str:
    """The comment lines (and blank lines) a file starts with."""
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return k, v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return None, node.value[key]
    return None, None


def _problem(name: str, group: str, root: yaml.Node, error: Any) -> LabelProblem:
    loc = tuple(error["loc"])
    node = root
    for index, item in enumerate(loc):
        key_node, value = _child(node, item)
        if value is None:
            continue  # pydantic's union branch names ('list[enum]') are no keys in the file
        if error["type"] == "extra_forbidden" and index == len(loc) - 1 and key_node:
            node = key_node
            break
        node = value
    return LabelProblem(name, _line(node), f"{group}: {_field(loc)}: {_message(error)}")


def _field(loc: tuple[Any, ...]) -> str:
    keys = [str(i) for i in loc if not (isinstance(i, str) and ("[" in i or i in _BRANCHES))]
    return ".".join(k for k in keys)


_BRANCHES = {"enum", "list", "str", "float", "int", "datetime", "literal", "none"}

_FIXES = {
    "enum": "use correct, partial, incorrect or missing",
    "literal_error": "use hard or soft",
    "extra_forbidden": "remove it; a label has verdict, kind, score, note, by and at",
    "missing": "add it",
    "float_parsing": "give a number from 0 to 1",
    "float_type": "give a number from 0 to 1",
    "less_than_equal": "give a number from 0 to 1",
    "greater_than_equal": "give a number from 0 to 1",
    "string_type": "write it as text (quote it)",
    "datetime_parsing": "write it as 2026-01-31T12:00:00Z",
    "datetime_from_date_parsing": "write it as 2026-01-31T12:00:00Z",
    "datetime_type": "write it as 2026-01-31T12:00:00Z",
    "dict_type": "give a mapping of QUESTION/PART keys to labels",
    "model_type": "give a mapping such as {verdict: correct}",
}


def _message(error: Any) -> str:
    kind = str(error["type"])
    if kind == "extra_forbidden":
        message = f"unknown field `{error['loc'][-1]}`"
    elif kind == "missing":
        message = f"`{error['loc'][-1]}` is required"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
    fix = _FIXES.get(kind)
    return f"{message}; {fix}" if fix else message


def _duplicates(name: str, node: yaml.Node) -> list[LabelProblem]:
    """YAML quietly keeps the last of two equal keys; a TA labelling twice never means that."""
    found: list[LabelProblem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    found.append(LabelProblem(name, _line(key), f"duplicate key {key.value!r}; "
                                              "keep one"))
                seen.add(key.value)
            found += _duplicates(name, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicates(name, item)
    return found
