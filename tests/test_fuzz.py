"""Property-based fuzzing of every input psetbench reads: problem sets (YAML text),
transcripts (copied text, OpenAI JSON, ChatGPT exports) and logs. Every input is handled
(exit 0) or refused in one line (exit 2): 0 tracebacks, 0 hangs. Kept to a couple of minutes
in CI; bench/fuzz.py runs the same strategies at scale."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from psetbench.cli import main
from tests.fuzz_inputs import (
    JSON,
    TINY,
    chatgpt_exports,
    copied_text,
    in_process,
    openai_json,
    tampered_log,
    yaml_sets,
)

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(TINY.parent, folder / "set")
    return folder


def _handled(args: list[str]) -> None:
    kind, detail = in_process(args)
    assert kind == "handled", f"{kind}: {detail}"


@FUZZ
@given(text=yaml_sets())
def test_problem_sets(work: Path, text: str) -> None:
    path = work / "set" / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _handled(["validate", str(path)])


@FUZZ
@given(text=copied_text() | openai_json() | chatgpt_exports())
def test_transcripts(work: Path, text: str) -> None:
    path = work / "conversation.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _handled(["import", str(path), "--set", str(TINY), "--dry-run"])


@pytest.fixture(scope="module")
def good_log(work: Path) -> Path:
    copied = TINY.parent.parent / "transcripts" / "tiny_copied.txt"
    result = CliRunner().invoke(main, ["import", str(copied), "--set", str(TINY),
                                       "--log-dir", str(work / "good")])
    assert result.exit_code == 0, result.output
    return next((work / "good").glob("*.eval"))


@settings(FUZZ, max_examples=20)
@given(change=JSON, garbage=st.binary(max_size=64))
def test_logs(work: Path, good_log: Path, change: Any, garbage: bytes) -> None:
    folder = work / "logs"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    tampered_log(good_log, folder / "tampered.eval", change)
    (folder / "garbage.eval").write_bytes(garbage)
    _handled(["grades", str(folder)])
