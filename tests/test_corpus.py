"""Real chat transcripts graded against a TA's labels (`../shared/corpus`, beside the checkout).

Runs the corpus's own `check` script on each corpus and asserts the agreement reached so far:
a ratchet that only rises. Skipped, saying why, where the corpus is not beside the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
#: corpus -> (hard, soft) labels agreed with at least; raise these, never lower them
FLOORS = {"seed-q2": (10, 9)}
_LAST = re.compile(r"corpus: hard (\d+)/(\d+), soft (\d+)/(\d+)")


def _corpora() -> list[Path]:
    if not (CORPUS / "check").exists():
        return []
    return sorted(p for p in CORPUS.iterdir() if (p / "expected.yaml").exists())


@pytest.mark.skipif(not _corpora(), reason=f"no TA-labelled corpus at {CORPUS}")
@pytest.mark.parametrize("corpus", _corpora(), ids=lambda p: p.name)
def test_corpus_agreement_only_rises(corpus: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, str(CORPUS / "check"), str(corpus)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=env)
    print(done.stdout)
    found = _LAST.search(done.stdout)
    assert found, done.stdout + done.stderr
    hard, soft = int(found[1]), int(found[3])
    want_hard, want_soft = FLOORS.get(corpus.name, (0, 0))
    assert hard >= want_hard and soft >= want_soft, (
        f"{corpus.name}: hard {hard}, soft {soft}; reached before: hard {want_hard}, "
        f"soft {want_soft}")


NESTED = ROOT / "tests" / "fixtures" / "nested" / "nested.yaml"
#: the flat corpus set's ids as the nested fixture writes them
FLAT_TO_NESTED = {"a1": "a.i", "a2": "a.ii", "b": "b", "c": "c", "d": "d", "e1": "e.i",
                  "e2": "e.ii", "e4": "e.iv", "e5": "e.v"}


@pytest.mark.skipif(not (CORPUS / "seed-q2").exists(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("name", ["q2-one-turn.txt", "q2-per-part.txt"])
def test_flat_and_nested_sets_grade_a_transcript_alike(name: str, tmp_path: Path) -> None:
    from psetbench.importers import import_conversation

    transcript = CORPUS / "seed-q2" / "transcripts" / name
    flat = import_conversation([transcript], CORPUS / "seed-q2" / "set.yaml",
                               log_dir=tmp_path / "flat", model="gpt-5-thinking")
    nested = import_conversation([transcript], NESTED, log_dir=tmp_path / "nested",
                                 model="gpt-5-thinking")
    assert flat.strategy == nested.strategy
    by_flat = {g.part: g.verdict for g in flat.grades}
    by_nested = {g.part: g.verdict for g in nested.grades}
    assert {f: by_flat[f] for f in FLAT_TO_NESTED} == {
        f: by_nested[n] for f, n in FLAT_TO_NESTED.items()}
    e3 = {by_nested[p] for p in ("e.iii.a", "e.iii.b", "e.iii.c")}
    assert (by_flat["e3"] == "correct") == (e3 == {"correct"})
