"""CPU per part of grading (segmentation + deterministic checks) on the bundled sets.

    python bench/bench_grading.py

Each bundled set is answered with its official solutions, once as one reply per part and once
as one labelled reply per question (so segmentation runs), and graded; the figure is process
CPU time divided by the number of parts graded. A set with sub-parts (the nested test fixture)
is included, so the sub-part walk is measured too.
"""

from __future__ import annotations

import time
from pathlib import Path

from psetbench.grading import grade_turns
from psetbench.problemset import load_problem_set

PSETS = Path(__file__).parent.parent / "psets"
NESTED = Path(__file__).parent.parent / "tests" / "fixtures" / "nested" / "nested.yaml"


def _turns(pset, one_reply: bool) -> list[tuple[list[tuple[str, str]], list[dict]]]:  # type: ignore[no-untyped-def]
    samples = []
    for q in pset.questions:
        keys = [(q.id, p.id) for p in q.leaves]
        if one_reply:  # labelled as the homework writes them: **(a)(ii)**
            reply = "\n\n".join(f"**{p.label}** {p.solution}" for p in q.leaves)
            turns = [{"parts": [list(k) for k in keys], "reply": reply}]
        else:
            turns = [{"parts": [[q.id, p.id]], "reply": p.solution} for p in q.leaves]
        samples.append((keys, turns))
    return samples


def grading_cpu_per_part(rounds: int = 5) -> tuple[float, int]:
    sets = [load_problem_set(p).pset for p in [*sorted(PSETS.glob("*.yaml")), NESTED]]
    work = [(pset, keys, turns) for pset in sets for one in (False, True)
            for keys, turns in _turns(pset, one)]
    for pset, keys, turns in work:  # warm caches (unit registry, regexes)
        grade_turns(pset, keys, turns, model="bench", strategy="bench")
    parts = 0
    start = time.process_time()
    for _ in range(rounds):
        for pset, keys, turns in work:
            parts += len(grade_turns(pset, keys, turns, model="bench", strategy="bench"))
    return 1000 * (time.process_time() - start) / parts, parts


if __name__ == "__main__":
    ms, n = grading_cpu_per_part()
    print(f"grading CPU per part: {ms:.2f} ms over {n} parts")
