"""What a psetbench log says about its run, in the log's own metadata (`eval.metadata`, under
`META_KEY`): the set, the strategy, the prompt, the grader and, for an imported conversation,
where it came from. `psetbench run` and `psetbench import` write it; every reader reads it here.

`format` versions the contract: 1 is every log written so far (logs without the field read as
1). A reader meets a newer format with a clear error instead of a wrong reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from psetbench.errors import PsetbenchError
from psetbench.problemset import ProblemSet

META_KEY = "psetbench"
LOG_FORMAT = 1


class LogError(PsetbenchError, ValueError):
    """A log that is not a readable psetbench log; the message says what to do."""


class ImportedMeta(BaseModel):
    """Where an imported conversation came from and how it was mapped (`psetbench import`)."""

    model_config = ConfigDict(extra="allow")

    files: list[dict[str, Any]] = Field(default_factory=list,
                                        description="path, sha256, conversations of each file")
    format: list[str] = Field(default_factory=list)
    mapping: list[dict[str, Any]] = Field(default_factory=list)
    confidence: float = 1.0
    not_asked: list[str] = Field(default_factory=list)
    removed: list[Any] = Field(default_factory=list, description="chat-page debris taken out")
    strategy_inferred: bool = False
    notes: list[str] = Field(default_factory=list)


class RunMeta(BaseModel):
    """The run a log holds."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    format: int = LOG_FORMAT
    version: str = Field(default="?", description="the psetbench version that wrote the log")
    pset: ProblemSet = Field(alias="set")
    set_path: str | None = None
    strategy: str
    prompt: str = "?"
    attach_figures: bool = False
    grader: str | None = None
    imported: ImportedMeta | None = None

    def to_metadata(self) -> dict[str, Any]:
        """The log's `eval.metadata`."""
        return {META_KEY: self.model_dump(mode="json", by_alias=True, exclude_none=False)}

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any] | None, path: str) -> RunMeta:
        """The run of a log, or LogError saying why there is none."""
        raw = (metadata or {}).get(META_KEY)
        if not raw:
            raise LogError(f"{path}: not a psetbench log (no psetbench metadata); "
                           "run it with `psetbench run` or `psetbench import`")
        if isinstance(raw, Mapping) and isinstance(raw.get("format"), int) \
                and raw["format"] > LOG_FORMAT:
            raise LogError(f"{path}: written in log format {raw['format']} by a newer psetbench "
                           f"({raw.get('version', '?')}); upgrade psetbench to read it")
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise LogError(f"{path}: damaged psetbench metadata ({where}: {first['msg']}); "
                           "run or import it again") from None

    def as_dict(self) -> dict[str, Any]:
        """The metadata as plain data, without the set (for reports)."""
        return self.model_dump(mode="json", by_alias=True, exclude={"pset"})
