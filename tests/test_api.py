"""The public API: `import psetbench` gives the verbs and nouns, and docs/api.md's worked
example runs as written (offline, in a temp dir)."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import psetbench
from psetbench.cli import friendly, main

ROOT = Path(__file__).parent.parent
VERBS = ["load_set", "run", "grade", "read_runs", "read_grades", "compare", "report",
         "import_conversation", "load_labels", "calibrate"]
NOUNS = ["ProblemSet", "Run", "PartGrade", "Verdict", "Comparison", "ImportResult", "Strategy",
         "PsetbenchError", "LabelsFile", "Calibration"]


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.DOTALL | re.MULTILINE)


def test_docs_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    monkeypatch.chdir(tmp_path)
    blocks = _python_blocks((ROOT / "docs" / "api.md").read_text())
    assert len(blocks) == 3
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "tiny ['1', '2']" in out and "unknown strategy 'all-at-once'" in out
    assert (tmp_path / "report.html").is_file()
    assert list((tmp_path / "psetbench-logs" / "tiny").glob("*.eval"))


def test_verbs_and_nouns_are_exported_typed_and_documented() -> None:
    assert set(VERBS + NOUNS) <= set(psetbench.__all__)
    for name in VERBS:
        verb = getattr(psetbench, name)
        assert inspect.isfunction(verb) and verb.__doc__, name
        assert "return" in verb.__annotations__, name
        keywords = [p for p in inspect.signature(verb).parameters.values()
                    if p.kind is p.KEYWORD_ONLY]
        assert all(p.annotation != p.empty for p in keywords), name
    for name in NOUNS:
        assert isinstance(getattr(psetbench, name), type), name


def test_importing_the_subpackages_keeps_the_verbs() -> None:
    import psetbench.calibrate._calibrate
    import psetbench.compare._compare
    import psetbench.report._write

    assert psetbench.report is psetbench._api.report
    assert psetbench.compare is psetbench._api.compare
    assert psetbench.calibrate is psetbench._api.calibrate
    assert sys.modules["psetbench.report"].write_report  # the stage, by its dotted name


def test_every_user_error_is_a_psetbench_error() -> None:
    from psetbench.compare import CompareError
    from psetbench.grading import LogError
    from psetbench.importers import TranscriptError
    from psetbench.models import ModelError
    from psetbench.problemset import ProblemSetError
    from psetbench.report import ReportError
    from psetbench.runs import RunError
    from psetbench.strategies import PromptError, StrategyError

    for error in (CompareError, LogError, TranscriptError, ModelError, ProblemSetError,
                  ReportError, RunError, PromptError, StrategyError):
        assert issubclass(error, psetbench.PsetbenchError), error


def test_cli_turns_inspect_prerequisite_errors_into_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    from inspect_ai._util.error import PrerequisiteError  # what Inspect raises; not public

    @friendly
    def needs_docker() -> None:
        raise PrerequisiteError("[bold]ERROR[/bold]: Docker is not installed.")

    with pytest.raises(SystemExit) as exited:
        needs_docker()
    assert exited.value.code == 2
    assert capsys.readouterr().err == "Error: ERROR: Docker is not installed.\n"


def test_cli_lets_bugs_through() -> None:
    @friendly
    def broken() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        broken()


def test_cli_catches_any_psetbench_error_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["grades", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no Inspect logs found in ")
