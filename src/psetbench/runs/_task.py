"""One Inspect task per (problem set, strategy): samples are plan units, the solver asks them.

The task's metadata carries the whole problem set, so a log can be regraded and reported
without the YAML file that produced it.
"""

from __future__ import annotations

import hashlib
import json

from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample

from psetbench._version import __version__
from psetbench.grading import scorer_for
from psetbench.problemset import LoadedSet
from psetbench.record import RunMeta
from psetbench.strategies import Prompt, homework, plan, render_turn


def task_name(set_id: str, strategy: str) -> str:
    return f"{set_id}_{strategy}"


def _fingerprint(loaded: LoadedSet, prompt: Prompt, attach_figures: bool) -> str:
    """Changes whenever what the model is asked changes, so an old log is never reused for it."""
    blob = json.dumps(
        [loaded.pset.model_dump(mode="json"), prompt.system, prompt.turn, prompt.nudge_empty,
         prompt.nudge_truncated, attach_figures],
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def build_task(
    loaded: LoadedSet,
    strategy: str,
    prompt: Prompt,
    *,
    attach_figures: bool = True,
    cache: bool = True,
    grader: str | None = None,
    judge_votes: int = 1,
) -> Task:
    pset = loaded.pset
    samples = []
    for unit in plan(pset, strategy):
        first = unit.conversations[0].turns[0]
        samples.append(Sample(
            id=unit.id,
            input=render_turn(prompt, pset, first.parts, set(), first_turn=True),
            target="",
            metadata={"unit": unit.to_dict()},
        ))
    meta = RunMeta(version=__version__, set=pset, set_path=str(loaded.path),
                   strategy=strategy, prompt=prompt.name, attach_figures=attach_figures,
                   grader=grader)
    return Task(
        name=task_name(pset.id, strategy),
        dataset=MemoryDataset(samples, name=pset.id),
        solver=homework(loaded, prompt, attach_figures=attach_figures, cache=cache),
        scorer=scorer_for(pset, strategy, grader=grader, votes=judge_votes),
        metadata=meta.to_metadata(),
        version=_fingerprint(loaded, prompt, attach_figures),
    )
