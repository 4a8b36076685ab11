"""`psetbench import`: conversations people had in chat apps, graded like any run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psetbench.grading import Run, grade_turns, not_asked_grade
from psetbench.grading._logs import run_from_log
from psetbench.importers._log import SampleData, build_log, write_log_atomically
from psetbench.importers._mapping import Mapping, build_units, infer_strategy, map_transcripts
from psetbench.importers._read import read_transcripts
from psetbench.importers._registry import check_format
from psetbench.importers._types import Transcript, TranscriptError
from psetbench.problemset import ProblemSet, load_problem_set
from psetbench.record import ImportedMeta
from psetbench.runs import default_log_dir, task_name
from psetbench.strategies import check_strategy
from psetbench.types import PartGrade

UNKNOWN_MODEL = "imported/unknown"


@dataclass
class TurnSummary:
    """One user message of an imported conversation and what it was mapped to."""

    file: str
    conversation: str | None
    exchange: int
    kind: str  # "ask", "nudge" or "context"
    parts: list[dict[str, Any]]  # {"part": "1(a)", "confidence": 0.9, "how": "label+text"}
    excerpt: str


@dataclass
class ImportResult:
    log_path: Path  # where the log is (or, on a dry run, would be) written
    written: bool
    replaced: bool  # the same inputs had been imported before; that log was replaced
    strategy: str
    strategy_inferred: bool
    model: str
    formats: dict[str, list[str]]  # file -> format of each of its conversations
    turns: list[TurnSummary]
    not_asked: list[str]
    confidence: float
    grades: list[PartGrade] = field(default_factory=list)
    run: Run | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The mapping, as `--dry-run` prints it."""
        lines = []
        for file, formats in self.formats.items():
            lines.append(f"{file}: {', '.join(dict.fromkeys(formats))}")
        for t in self.turns:
            where = f"{Path(t.file).name}"
            if t.conversation:
                where += f" [{t.conversation}]"
            head = f"  {where} message {t.exchange + 1}: "
            if t.kind == "ask":
                body = ", ".join(f"{p['part']} {p['confidence']:.2f} ({p['how']})"
                                 for p in t.parts)
            else:
                body = f"{t.kind} ({t.excerpt!r})"
            lines.append(head + body)
        how = "inferred" if self.strategy_inferred else "given"
        lines.append(f"strategy: {self.strategy} ({how}); model: {self.model}")
        lines.append(f"not asked: {', '.join(self.not_asked) or 'none'}")
        lines.append(f"mapping confidence: {self.confidence:.2f}")
        lines += [f"note: {n}" for n in self.notes]
        if self.written:
            lines.append(f"log: {self.log_path}" + (" (replaced the earlier import)"
                                                    if self.replaced else ""))
        else:
            lines.append(f"dry run: would write {self.log_path}")
        return "\n".join(lines)


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def _sha256(path: Path) -> Any:
    """A file's SHA-256, read in chunks: an export can be gigabytes."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256")


def _digest(files: Sequence[Path], set_json: str, options: dict[str, Any]) -> str:
    """Same files (bytes, in order), same set, same options: same log name."""
    h = hashlib.sha256()
    for path in files:
        h.update(_sha256(path).digest())
    h.update(set_json.encode())
    h.update(json.dumps(options, sort_keys=True).encode())
    return h.hexdigest()


def _summaries(mapping: Mapping, pset: ProblemSet) -> list[TurnSummary]:
    out = []
    for exchanges in mapping.exchanges:
        for ex in exchanges:
            t = mapping.transcripts[ex.conv]
            out.append(TurnSummary(
                file=str(t.source), conversation=t.title or t.conversation_id,
                exchange=ex.index, kind=ex.kind,
                parts=[{"part": f"{m.key[0]}{pset.label(*m.key)}", "confidence": m.confidence,
                        "how": m.how}
                       for m in ex.matches],
                excerpt=_excerpt(ex.prompt)))
    return out


def _imported_meta(files: list[Path], transcripts: list[Transcript], mapping: Mapping,
                   turns: list[TurnSummary], strategy_inferred: bool,
                   notes: list[str]) -> ImportedMeta:
    return ImportedMeta(
        files=[{"path": str(p), "sha256": _sha256(p).hexdigest(),
                "conversations": [{"format": t.format, "title": t.title,
                                   "id": t.conversation_id}
                                  for t in transcripts if t.source == p]}
               for p in files],
        format=sorted({t.format for t in transcripts}),
        mapping=[vars(t) for t in turns],
        confidence=mapping.confidence,
        not_asked=[f"{q}({p})" for q, p in mapping.not_asked],
        removed=mapping.removed,
        strategy_inferred=strategy_inferred,
        notes=notes,
    )


def import_conversation(
    files: Sequence[str | Path],
    set_path: str | Path,
    *,
    model: str | None = None,
    strategy: str | None = None,
    questions: Sequence[str] | None = None,
    log_dir: str | Path | None = None,
    fmt: str | None = None,
    conversation: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import chat conversations about one problem set as one graded Inspect log.

    Raises TranscriptError (bad files or choices), ProblemSetError (bad set file) or
    StrategyError (unknown strategy); nothing is written then. `log_dir` defaults to
    psetbench-logs/SET/MODEL, as for runs.
    """
    paths = [Path(f) for f in files]
    if not paths:
        raise TranscriptError("no conversation file given; name at least one")
    check_format(fmt)
    if strategy is not None:
        check_strategy(strategy)
    loaded = load_problem_set(set_path)
    pset = loaded.pset
    if questions:
        try:
            pset = pset.select([str(q).strip() for q in questions])
        except KeyError as exc:
            raise TranscriptError(
                f"--questions: {set_path} has no question {exc.args[0]}; its questions are "
                f"{', '.join(q.id for q in loaded.pset.questions)}") from exc
    transcripts = [t for p in paths for t in read_transcripts(p, fmt, conversation)]
    mapping = map_transcripts(transcripts, pset)
    drafts = build_units(mapping, pset)
    inferred = infer_strategy(drafts, pset)
    chosen = strategy or inferred
    notes = [f"{t.label}: {n}" for t in transcripts for n in t.notes] + mapping.notes
    if strategy is not None and strategy != inferred:
        notes.append(f"the conversation looks like {inferred}; recorded as {strategy} as asked")
    name = model or UNKNOWN_MODEL
    task = task_name(pset.id, chosen)
    set_json = json.dumps(pset.model_dump(mode="json"), sort_keys=True)
    digest = _digest(paths, set_json, {"model": name, "strategy": strategy, "fmt": fmt,
                                       "questions": list(questions or []),
                                       "conversation": conversation})
    folder = Path(log_dir) if log_dir is not None else Path(default_log_dir(pset.id, name))
    path = folder / f"{task}_imported-{digest[:12]}.eval"
    turns = _summaries(mapping, pset)
    result = ImportResult(
        log_path=path, written=False, replaced=path.exists(), strategy=chosen,
        strategy_inferred=strategy is None, model=name,
        formats={str(p): [t.format for t in transcripts if t.source == p] for p in paths},
        turns=turns, not_asked=[f"{q}({p})" for q, p in mapping.not_asked],
        confidence=mapping.confidence, notes=notes)
    if dry_run:
        result.replaced = False
        return result
    samples = []
    for draft in drafts:
        grades = grade_turns(pset, draft.unit.parts, draft.records, model=name, strategy=chosen)
        grades += [not_asked_grade(pset, q, p, model=name, strategy=chosen)
                   for q, p in draft.not_asked]
        samples.append(SampleData(draft, grades))
        result.grades += grades
    log = build_log(pset=pset, set_path=loaded.path, strategy=chosen, task=task, model=name,
                    samples=samples, transcripts=transcripts, digest=digest,
                    imported=_imported_meta(paths, transcripts, mapping, turns,
                                            strategy is None, notes))
    write_log_atomically(log, path)
    result.written = True
    # the log just written, as read back, without reading it back: a log of a reply of
    # megabytes takes Inspect many seconds to read
    result.run = run_from_log(log, str(path))
    return result
