"""A TA's labels: the verdict a person gives each part of each run, kept beside the logs.

The file's shape is the corpus's `expected.yaml`: one top-level key per run (an imported
conversation's file name, or a log file's name), each with the run's strategy and a mapping of
"QUESTION/PART" keys to labels. Labels live in their own file, so regrading a log never
touches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from psetbench.types import Verdict

if TYPE_CHECKING:
    from psetbench.grading import Run

DEFAULT_LABELS_NAME = "labels.yaml"

#: The verdicts a TA can give: the grader's `ungraded` and `not_asked` are no judgement of
#: an answer, so a label never uses them.
TA_VERDICTS: tuple[Verdict, ...] = (Verdict.correct, Verdict.partial, Verdict.incorrect,
                                    Verdict.missing)


class Label(BaseModel):
    """A TA's verdict on one part of one run."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict | list[Verdict] = Field(
        description="correct, partial, incorrect or missing; a list means any of these is "
        "acceptable")
    kind: Literal["hard", "soft"] | None = Field(
        default=None, description="hard: decided by an objective fact (an answer present or "
        "absent, a value right or wrong); soft: a judgement of a free-form explanation")
    score: float | None = Field(default=None, ge=0.0, le=1.0,
                                description="the credit the TA gives, 0..1 (for partial)")
    note: str = Field(default="", description="why, in the TA's words")
    by: str | None = Field(default=None, description="who labelled it")
    at: datetime | None = Field(default=None, description="when it was labelled")

    @field_validator("verdict", mode="before")
    @classmethod
    def _on_the_menu(cls, value: object) -> object:
        """One clear message for a verdict off the menu (the union's own errors are two)."""
        given = value if isinstance(value, list) else [value]
        if not given:
            raise ValueError("an empty list of verdicts; give at least one")
        menu = ", ".join(v.value for v in TA_VERDICTS)
        for verdict in given:
            if not isinstance(verdict, str):
                raise ValueError(f"{verdict!r} is not a verdict; use {menu}, or a list of them")
            if verdict not in {v.value for v in TA_VERDICTS}:
                raise ValueError(f"{verdict!r} is not a TA verdict; use {menu}")
        return value

    @property
    def verdicts(self) -> list[Verdict]:
        """The acceptable verdicts, as a list."""
        return list(self.verdict) if isinstance(self.verdict, list) else [self.verdict]

    def accepts(self, verdict: Verdict | str) -> bool:
        """Whether a grader's verdict is one the TA accepts."""
        return verdict in self.verdicts


class LabelGroup(BaseModel):
    """The labels of one run (one imported conversation or one log)."""

    model_config = ConfigDict(extra="forbid")

    strategy: str | None = Field(default=None, description="the strategy the run used")
    model: str | None = Field(default=None, description="the model that answered")
    parts: dict[str, Label] = Field(default_factory=dict,
                                    description='labels keyed "QUESTION/PART", e.g. "2/a1"')

    @field_validator("parts")
    @classmethod
    def _keys(cls, value: dict[str, Label]) -> dict[str, Label]:
        for key in value:
            question, sep, part = key.partition("/")
            if not sep or not question or not part:
                raise ValueError(f"part key {key!r} is not QUESTION/PART; write it as "
                                 "`psetbench grades --format jsonl` prints question and part, "
                                 "e.g. 2/a1")
        return value


class LabelsFile(BaseModel):
    """Every label of one labels file, grouped by run."""

    groups: dict[str, LabelGroup] = Field(default_factory=dict)
    _source: Path | None = PrivateAttr(default=None)
    _lines: dict[tuple[str, str | None], int] = PrivateAttr(default_factory=dict)
    _header: str = PrivateAttr(default="")

    def for_run(self, run: Run) -> LabelGroup | None:
        """The labels of a run: the group whose key is the run's log file name, else one whose
        key is the name of a file the run was imported from (see `run_names`)."""
        found = self.group_name(run)
        return self.groups[found] if found is not None else None

    def group_name(self, run: Run) -> str | None:
        """The key of the run's group (see `for_run`), or None."""
        for name in run_names(run):
            if name in self.groups:
                return name
        return None

    def line(self, group: str, part: str | None = None) -> int | None:
        """The line of a group (or one of its parts) in the file it was read from."""
        return self._lines.get((group, part))

    @property
    def source(self) -> Path | None:
        """The file these labels were read from, if any."""
        return self._source

    def where(self, group: str, part: str | None = None) -> str:
        """'file:line: ' for a message about a group or part, as far as it is known."""
        if self._source is None:
            return ""
        line = self.line(group, part) or self.line(group)
        return f"{self._source}:{line}: " if line else f"{self._source}: "

    def to_yaml_data(self) -> dict[str, Any]:
        """The file's content: groups at the top level, as in the corpus's expected.yaml."""
        return {name: group.model_dump(mode="json", exclude_defaults=True)
                for name, group in self.groups.items()}


def run_names(run: Run) -> list[str]:
    """The names a labels file may key a run by, most specific first: the log's file name,
    the log's path, then each imported file's name and path."""
    names = [Path(run.path).name, str(run.path)]
    imported = (run.metadata or {}).get("imported") or {}
    for item in imported.get("files") or []:
        path = str(item.get("path", "")) if isinstance(item, dict) else ""
        if path:
            names += [Path(path).name, path]
    return list(dict.fromkeys(names))


def default_group_name(run: Run) -> str:
    """The key a new group for a run gets: the imported file's name for a conversation
    imported from one file, else the log's file name."""
    imported = (run.metadata or {}).get("imported") or {}
    files = [f for f in imported.get("files") or [] if isinstance(f, dict) and f.get("path")]
    if len(files) == 1:
        return Path(str(files[0]["path"])).name
    return Path(run.path).name


def part_keys(run: Run) -> list[str]:
    """Every "QUESTION/PART" key a run's set has, in the set's order."""
    return [f"{q.id}/{leaf.id}" for q in run.pset.questions for leaf in q.leaves]


def labels_json_schema() -> dict[str, Any]:
    """The JSON Schema of a labels file: run names mapped to groups of labels. The verdicts
    are the TA's four (pydantic would list every grader verdict)."""
    from pydantic import TypeAdapter

    schema: dict[str, Any] = TypeAdapter(dict[str, LabelGroup]).json_schema()
    schema["$defs"]["Verdict"]["enum"] = [v.value for v in TA_VERDICTS]
    schema["$defs"]["Verdict"]["description"] = "A TA's verdict on one part."
    schema["propertyNames"] = {"minLength": 1}
    schema["$defs"]["LabelGroup"]["properties"]["parts"]["propertyNames"] = {
        "pattern": "^[^/]+/.+$"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "psetbench labels file",
            "description": "A TA's verdicts per run and part; keys are an imported "
                           "conversation's file name or a log's file name.", **schema}


def default_labels_path(paths: Sequence[str | Path]) -> Path | None:
    """The labels file beside some logs: `labels.yaml` in the first folder given (or the
    folder of the first log file given) that has one."""
    for item in paths:
        path = Path(item)
        folder = path if path.is_dir() else path.parent
        if (folder / DEFAULT_LABELS_NAME).is_file():
            return folder / DEFAULT_LABELS_NAME
    return None
