"""Acceptance: `psetbench calibrate` on the corpus logs with the corpus labels prints the hard
and soft agreement that `../shared/corpus/check` prints, plus kappa and the confusion matrix.

The corpus's expected.yaml is used as the labels file unchanged. Skipped, saying why, where
the corpus is not beside the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from psetbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
_LAST = re.compile(r"corpus: (hard \d+/\d+, soft \d+/\d+)")


def _corpora() -> list[Path]:
    if not (CORPUS / "check").exists():
        return []
    return sorted(p for p in CORPUS.iterdir() if (p / "expected.yaml").exists())


def _check_figures(corpus: Path) -> str:
    """'hard X/Y, soft X/Y' as the corpus's own script prints it."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, str(CORPUS / "check"), str(corpus)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=env)
    found = _LAST.findall(done.stdout)
    assert found, done.stdout + done.stderr
    return found[-1]


def _import_all(corpus: Path, logs: Path) -> None:
    """Each transcript imported as the check script imports it (the model it names, else
    the script's default), into one log folder."""
    expected = yaml.safe_load((corpus / "expected.yaml").read_text(encoding="utf-8"))
    for name, spec in expected.items():
        model = spec.get("model", "openai/gpt-5-thinking")
        out = CliRunner().invoke(main, ["import", str(corpus / "transcripts" / name), "--set",
                                        str(corpus / "set.yaml"), "--model", model,
                                        "--log-dir", str(logs / Path(name).stem)])
        assert out.exit_code == 0, out.output


@pytest.mark.skipif(not _corpora(), reason=f"no TA-labelled corpus at {CORPUS}")
@pytest.mark.parametrize("corpus", _corpora(), ids=lambda p: p.name)
def test_calibrate_prints_the_corpus_checks_figures(corpus: Path, tmp_path: Path) -> None:
    labels = corpus / "expected.yaml"
    text = labels.read_bytes()
    _import_all(corpus, tmp_path / "logs")
    out = CliRunner().invoke(main, ["calibrate", str(tmp_path / "logs"), "--labels",
                                    str(labels)])
    assert out.exit_code == 0, out.output
    print(out.output)
    assert f"; {_check_figures(corpus)}\n" in out.output
    assert re.search(r"Cohen's kappa: (-?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\]|undefined)",
                     out.output), out.output
    confusion = out.output.split("Confusion (rows: TA, columns: grader):\n")[1].splitlines()
    assert confusion[0].split()[3:7] == ["correct", "partial", "incorrect", "missing"]
    assert [row.split()[0] for row in confusion[1:5]] == ["correct", "partial", "incorrect",
                                                          "missing"]
    assert labels.read_bytes() == text  # the corpus's labels are read, never written
