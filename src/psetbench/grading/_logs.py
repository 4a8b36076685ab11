"""Read psetbench runs back from Inspect logs: grades, turns, usage and timing.

Each log is parsed once, without the event transcript (the bulk of a log), and only the
fields psetbench needs are kept.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from inspect_ai.log import EvalLog, list_eval_logs, read_eval_log

from psetbench.grading._grade import grade_turns, not_asked_grade
from psetbench.grading._sink import SampleKey
from psetbench.models import apply_figures, explain_error, sample_figures
from psetbench.record import TURNS_KEY, LogError, Run, RunMeta, TurnRecord, load_turns
from psetbench.strategies import Unit
from psetbench.types import PartGrade, Verdict

SCORER = "homework_scorer"


def _local_path(name: str) -> str:
    """Inspect lists logs as URIs; a local one is named by its plain path here."""
    if name.startswith("file://"):
        return unquote(urlparse(name).path)
    return name


def find_logs(paths: Iterable[str | Path]) -> list[str]:
    """Log files named directly or found in folders, newest last."""
    found: list[str] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            infos = list_eval_logs(str(path), recursive=True)
            found += sorted(_local_path(info.name) for info in infos)
        elif path.is_file():
            found.append(str(path))
        else:
            raise LogError(f"{path}: no such log file or folder; give a .eval log or a log folder")
    return found


def run_from_sink(header: EvalLog, sink: dict[SampleKey, list[PartGrade]]) -> Run | None:
    """The run of a finished log whose grades are all in memory (see `_sink`); None when a
    sample's grades are missing there, so the caller reads the log instead."""
    dataset = header.eval.dataset
    if header.status != "success" or not header.location or not dataset.sample_ids:
        return None
    try:
        meta = RunMeta.from_metadata(header.eval.metadata, header.location)
    except LogError:
        return None
    pset, strategy = meta.pset, meta.strategy
    epochs = header.eval.config.epochs or 1
    grades: list[PartGrade] = []
    for epoch in range(1, epochs + 1):
        for sample_id in dataset.sample_ids:
            found = sink.get((pset.id, strategy, str(sample_id), epoch))
            if found is None:
                return None
            grades += [g.model_copy(update={"log": header.location}) for g in found]
    return _run(header, header.location, meta, grades, {})


def read_run(path: str, *, regrade: bool = False) -> Run:
    """A run from one log; grades are recomputed from the turns when asked or when missing."""
    try:
        log = read_eval_log(path, exclude_fields={"events", "attachments"})
    except Exception as exc:
        raise LogError(f"{path}: not a readable Inspect log ({type(exc).__name__}: {exc})") from exc
    try:
        return run_from_log(log, path, regrade=regrade)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, LogError):
            raise
        raise LogError(f"{path}: damaged psetbench metadata ({type(exc).__name__}: "
                       f"{str(exc).splitlines()[0] if str(exc) else ''}); run or import it "
                       "again") from exc


def run_from_log(log: EvalLog, path: str, *, regrade: bool = False) -> Run:
    meta = RunMeta.from_metadata(log.eval.metadata, path)
    pset, strategy = meta.pset, meta.strategy
    model = log.eval.model
    grades: list[PartGrade] = []
    turns: dict[str, list[list[TurnRecord]]] = {}
    for sample in log.samples or []:
        stored_turns = (sample.store or {}).get(TURNS_KEY)
        sample_turns = load_turns(stored_turns) if stored_turns is not None else None
        if sample_turns is not None:
            turns.setdefault(str(sample.id), []).append(sample_turns)
        score = (sample.scores or {}).get(SCORER)
        stored = (score.metadata or {}).get("parts") if score is not None else None
        if stored is not None and not regrade:
            grades += [PartGrade.model_validate(g) for g in stored]
        elif sample.error is not None:
            unit = Unit.from_dict(sample.metadata["unit"])
            reason = "the sample failed: " + explain_error(sample.error.message)
            grades += [PartGrade(set_id=pset.id, question=q, part=p, model=model,
                                 strategy=strategy, epoch=sample.epoch,
                                 verdict=Verdict.ungraded, score=0.0,
                                 points=pset.part(q, p).points, reason=reason, grader="run")
                       for q, p in unit.parts]
        elif sample_turns is not None:
            unit = Unit.from_dict(sample.metadata["unit"])
            grades += grade_turns(pset, unit.parts, sample_turns, model=model,
                                  strategy=strategy, epoch=sample.epoch)
            grades += [not_asked_grade(pset, q, p, model=model, strategy=strategy,
                                       epoch=sample.epoch)
                       for q, p in sample.metadata.get("not_asked", [])]
    for grade in grades:
        grade.log = path
    return _run(log, path, meta, grades, turns)


def _run(log: EvalLog, path: str, meta: RunMeta, grades: list[PartGrade],
         turns: dict[str, list[list[TurnRecord]]]) -> Run:
    usage_in = sum(u.input_tokens for u in log.stats.model_usage.values())
    usage_out = sum(u.output_tokens for u in log.stats.model_usage.values())
    run = Run(
        path=path, pset=meta.pset, strategy=meta.strategy, model=log.eval.model,
        status=log.status, prompt=meta.prompt, grades=grades, turns=turns,
        input_tokens=usage_in, output_tokens=usage_out, started=log.stats.started_at,
        completed=log.stats.completed_at, meta=meta,
        error=(log.error.message.strip().splitlines() or [""])[0] if log.error else None,
    )
    if log.samples:  # the log's own totals cover its last invocation only
        apply_figures(run, sample_figures(log.samples))
    return run


def latest_logs(logs: list[str]) -> list[str]:
    """One log per task and model: an interrupted run's log gives way to the run that finished
    it, as in an Inspect eval set. Only headers are read to decide."""
    chosen: dict[tuple[str, str, str], tuple[tuple[int, str], str]] = {}
    for path in logs:
        try:
            header = read_eval_log(path, header_only=True)
        except Exception as exc:
            skip_log(path, f"not a readable Inspect log ({type(exc).__name__})")
            continue
        key = (header.eval.task, str(header.eval.task_version), header.eval.model)
        rank = (int(header.status == "success"), header.eval.created)
        if key not in chosen or rank > chosen[key][0]:
            chosen[key] = (rank, path)
    keep = {path for _, path in chosen.values()}
    return [p for p in logs if p in keep]


def read_runs(paths: Sequence[str | Path], *, regrade: bool = False) -> list[Run]:
    logs = find_logs(paths)
    if not logs:
        raise LogError(f"no Inspect logs found in {', '.join(map(str, paths))}; "
                       "run `psetbench run SET.yaml` first")
    runs: list[Run] = []
    for path in latest_logs(logs):
        try:
            runs.append(read_run(path, regrade=regrade))
        except LogError as exc:
            skip_log(path, str(exc).removeprefix(f"{path}: "))
    if not runs:
        raise LogError(f"no readable psetbench logs in {', '.join(map(str, paths))} (see the "
                       "warnings above); run `psetbench run SET.yaml` first")
    return runs


def skip_log(path: str, why: str) -> None:
    """One line on stderr for a log left out, so one damaged file never stops the rest."""
    print(f"Warning: {path}: {why.splitlines()[0] if why else 'unreadable'}; skipped",
          file=sys.stderr)
