"""Check labels against the runs they label: one policy for `psetbench view`, `calibrate` and
`report`.

Errors (the labels cannot be meant for these runs; nothing may be written): a question the
run's problem set does not have at all, and a part its question does not have. Warnings (the
labels may be right, they just do not apply here; those labels are left out): a group that
names none of the logs, a question of the set that a run of some questions did not ask, and a
group whose strategy is not the run's. The run's problem set is the set file the run was
made from (its `set_path`, when it still loads as the same set) together with the set the log
holds, which for `psetbench import --questions` is only the questions asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from psetbench.labels._load import LabelsError
from psetbench.labels._model import LabelsFile, run_names

if TYPE_CHECKING:
    from psetbench.grading import Run
    from psetbench.problemset import ProblemSet

#: logs named in the warning about a group that names none of them
_NAMED_LOGS = 5


@dataclass
class LabelProblems:
    """What `label_problems` found: errors stop the command, warnings are printed."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _FullSet:
    """A run's whole problem set: question id -> its part keys, and where it was read."""

    id: str
    parts: dict[str, list[str]]
    source: str


def validate_labels(labels: LabelsFile, runs: Sequence[Run]) -> list[str]:
    """The warnings of `label_problems`; LabelsError listing every error."""
    found = label_problems(labels, runs)
    if found.errors:
        raise LabelsError(found.errors)
    return found.warnings


def label_problems(labels: LabelsFile, runs: Sequence[Run]) -> LabelProblems:
    """Every error and warning (see the module), one line each, in the file's order, each
    starting `file:line: ` when the labels were read from a file."""
    out = LabelProblems()
    matched: dict[str, list[Run]] = {}
    for run in runs:
        name = labels.group_name(run)
        if name is not None:
            matched.setdefault(name, []).append(run)
    sets: dict[str, _FullSet] = {}
    for name in labels.groups:
        if name not in matched:
            out.warnings.append(f"{labels.where(name)}{name}: labelled, but none of the logs "
                                "given is that log or was imported from that file "
                                f"({_logs(runs)}); its labels are left out")
            continue
        for run in matched[name]:
            _check_run(labels, name, run, _full_set(run, sets), out)
    out.errors = list(dict.fromkeys(out.errors))  # a conversation imported twice: said once
    out.warnings = list(dict.fromkeys(out.warnings))
    return out


def _check_run(labels: LabelsFile, name: str, run: Run, full: _FullSet,
               out: LabelProblems) -> None:
    """The problems of one group's labels for one of the runs it names."""
    group = labels.groups[name]
    asked = {q.id for q in run.pset.questions}
    if group.strategy and group.strategy != run.strategy:
        out.warnings.append(f"{labels.where(name)}{name}: labelled as strategy "
                            f"{group.strategy}, but {run.path} ran {run.strategy}")
    for key in group.parts:
        where = labels.where(name, key)
        question = key.partition("/")[0]
        if question not in full.parts:
            out.errors.append(f"{where}{name}: unknown question {question!r} in {key!r}; "
                              f"{full.id} ({full.source}) has questions "
                              f"{', '.join(full.parts)}")
        elif key not in full.parts[question]:
            out.errors.append(f"{where}{name}: unknown part {key!r}; question {question} of "
                              f"{full.id} has parts {', '.join(full.parts[question])}")
        elif question not in asked:
            out.warnings.append(f"{where}{name}: {key} is labelled but {run.path} holds "
                                f"questions {', '.join(_ordered(asked, full))} only; left out")


def _logs(runs: Sequence[Run]) -> str:
    names = sorted({run_names(run)[0] for run in runs})
    if not names:
        return "no logs were given"
    more = f", and {len(names) - _NAMED_LOGS} more" if len(names) > _NAMED_LOGS else ""
    return f"the logs are {', '.join(names[:_NAMED_LOGS])}{more}"


def _ordered(asked: set[str], full: _FullSet) -> list[str]:
    return [q for q in full.parts if q in asked]


def _full_set(run: Run, cache: dict[str, _FullSet]) -> _FullSet:
    """The run's whole set: its set file's questions (when that still loads as the same set),
    then any the log holds that the file no longer has."""
    set_path = str((run.metadata or {}).get("set_path") or "")
    key = f"{set_path}\0{run.pset.id}"
    if key not in cache:
        from_file = _load_set(set_path, run.pset.id)
        parts = _parts(from_file) if from_file is not None else {}
        for question, keys in _parts(run.pset).items():  # the log's own, if the file changed
            parts[question] = list(dict.fromkeys([*parts.get(question, []), *keys]))
        source = set_path if from_file is not None else \
            f"as held in {Path(run.path).name}" + (f"; its set file {set_path} is gone or no "
                                                   "longer that set" if set_path else "")
        cache[key] = _FullSet(run.pset.id, parts, source)
    return cache[key]


def _load_set(path: str, set_id: str) -> ProblemSet | None:
    if not path:
        return None
    from psetbench.errors import PsetbenchError
    from psetbench.problemset import load_problem_set

    try:
        pset = load_problem_set(path).pset
    except (PsetbenchError, OSError, ValueError):
        return None
    return pset if pset.id == set_id else None


def _parts(pset: ProblemSet) -> dict[str, list[str]]:
    return {q.id: [f"{q.id}/{leaf.id}" for leaf in q.leaves] for q in pset.questions}
