"""Write an imported conversation as an ordinary Inspect log, shaped like a run's log.

The log carries what `psetbench run` stores (the set, the strategy, each sample's unit and
turn records, the scorer's per-part grades), so `grades`, `report`, `compare`, `grade` and
`inspect view` read it like any run.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from inspect_ai import __version__ as inspect_version
from inspect_ai.log import (
    EvalConfig,
    EvalDataset,
    EvalLog,
    EvalMetric,
    EvalPlan,
    EvalPlanStep,
    EvalResults,
    EvalSample,
    EvalScore,
    EvalSpec,
    EvalStats,
    write_eval_log,
)
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    ModelOutput,
)

from psetbench._fileutil import staged
from psetbench._version import __version__
from psetbench.grading import sample_score
from psetbench.importers._mapping import UnitDraft, messages_of
from psetbench.importers._types import Transcript
from psetbench.problemset import ProblemSet
from psetbench.record import TURNS_KEY, ImportedMeta, RunMeta, dump_turns
from psetbench.types import PartGrade

SCORER = "homework_scorer"
SOLVER = "psetbench/imported_conversation"


@dataclass
class SampleData:
    draft: UnitDraft
    grades: list[PartGrade]


def _chat(role: str, text: str, model: str) -> ChatMessage:
    if role == "system":
        return ChatMessageSystem(content=text)
    if role == "user":
        return ChatMessageUser(content=text)
    return ChatMessageAssistant(content=text, model=model)


def _sample(data: SampleData, transcripts: list[Transcript], model: str) -> EvalSample:
    draft = data.draft
    messages = [_chat(m.role, m.text, model) for _, m in messages_of(draft, transcripts)]
    first = next((m.text for m in messages if m.role == "user"), "")
    last = draft.records[-1].reply if draft.records else ""
    return EvalSample(
        id=draft.unit.id, epoch=1, input=first or "(no user message)", target="",
        messages=messages,
        output=ModelOutput.from_content(model=model, content=last),
        scores={SCORER: sample_score(data.grades)},
        metadata={"unit": draft.unit.to_dict(),
                  "not_asked": [list(k) for k in draft.not_asked]},
        store={TURNS_KEY: dump_turns(draft.records)},
    )


def _times(transcripts: list[Transcript], now: str) -> tuple[str, str]:
    def iso(value: str | None) -> str | None:
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()

    starts = sorted(s for t in transcripts if (s := iso(t.created)))
    ends = sorted(e for t in transcripts if (e := iso(t.updated) or iso(t.created)))
    return (starts[0] if starts else now), (ends[-1] if ends else now)


def build_log(
    *, pset: ProblemSet, set_path: Path, strategy: str, task: str, model: str,
    samples: list[SampleData], transcripts: list[Transcript], digest: str,
    imported: ImportedMeta,
) -> EvalLog:
    now = datetime.now(UTC).isoformat()
    started, completed = _times(transcripts, now)
    eval_samples = [_sample(d, transcripts, model) for d in samples]
    values = [float(s.scores[SCORER].value) for s in eval_samples  # type: ignore[arg-type]
              if s.scores]
    stderr = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else 0.0
    metadata = RunMeta(version=__version__, set=pset, set_path=str(set_path), strategy=strategy,
                       prompt="imported", imported=imported).to_metadata()
    spec = EvalSpec(
        eval_id=digest[:22], run_id=digest[22:44], created=now, task=task,
        task_id=digest[:22], task_version=digest[:12], solver=SOLVER,
        dataset=EvalDataset(name=pset.id, samples=len(eval_samples),
                            sample_ids=[s.id for s in eval_samples]),
        model=model, config=EvalConfig(epochs=1), metadata=metadata,
        packages={"inspect_ai": inspect_version, "psetbench": __version__},
    )
    results = EvalResults(
        total_samples=len(eval_samples), completed_samples=len(eval_samples),
        scores=[EvalScore(name=SCORER, scorer=SCORER, scored_samples=len(values),
                          unscored_samples=0, metrics={
                              "mean": EvalMetric(name="mean", value=round(
                                  statistics.fmean(values), 4) if values else 0.0),
                              "stderr": EvalMetric(name="stderr", value=round(stderr, 4))})],
    )
    return EvalLog(
        version=2, status="success", eval=spec,
        plan=EvalPlan(steps=[EvalPlanStep(solver=SOLVER, params={
            "files": [f["path"] for f in imported.files]})]),
        results=results, stats=EvalStats(started_at=started, completed_at=completed),
        samples=eval_samples,
    )


def write_log_atomically(log: EvalLog, path: Path) -> None:
    """Write beside the target and move over it, so a reader never sees half a log."""
    with staged(path) as tmp:
        write_eval_log(log, tmp, format="eval")
