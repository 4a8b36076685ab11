"""Bad input to any command: one `Error:` line, exit 2, nothing written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.grading import read_runs
from psetbench.problemset import load_problem_set
from psetbench.report import write_report
from psetbench.runs import RunOptions, run_set
from tests.scripted import Scripted
from tests.test_run import RIGHT


def _error(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.fixture
def logs(tiny_set: Path, tmp_path: Path) -> Path:
    scripted = Scripted(load_problem_set(tiny_set).pset, RIGHT)
    run_set(tiny_set, RunOptions(strategies=("one-turn",), model=scripted.model(),
                                 log_dir=str(tmp_path / "logs"), cache=False))
    return tmp_path / "logs"


def test_unusable_grader_judge_and_narrator_fail_before_any_work(logs: Path, tiny_set: Path,
                                                                  tmp_path: Path) -> None:
    assert "--grader: Unknown model provider 'foo'" in _error(["grade", str(logs), "--grader",
                                                              "foo/bar"])
    assert "set OPENAI_API_KEY" in _error(["report", str(logs), "--narrate", "openai/gpt-4o",
                                           "-o", str(tmp_path / "n.html")])
    assert not (tmp_path / "n.html").exists()
    assert "too weak" in _error(["run", str(tiny_set), "--grader", "local",
                                 "--log-dir", str(tmp_path / "x")])
    assert not (tmp_path / "x").exists()
    assert "unknown report form '.txt'" in _error(["run", str(tiny_set), "--report",
                                                   str(tmp_path / "r.txt")])


def test_unwritable_report_is_a_one_line_error(logs: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert "cannot write here" in _error(["report", str(logs), "-o",
                                          str(tmp_path / "file" / "r.html")])


def test_reports_are_readable_by_others(logs: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_report(read_runs([logs]), tmp_path / "r.html")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_runs_with_different_prompts_are_different_columns(tiny_set: Path,
                                                           tmp_path: Path) -> None:
    for prompt in ("expert", "plain"):
        scripted = Scripted(load_problem_set(tiny_set).pset, RIGHT)
        run_set(tiny_set, RunOptions(strategies=("one-turn",), model=scripted.model(),
                                     prompt=prompt, log_dir=str(tmp_path / prompt), cache=False))
    from psetbench.report import build_report_data

    data = build_report_data(read_runs([tmp_path / "expert", tmp_path / "plain"]))
    assert sorted(c.strategy for c in data.columns) == ["one-turn (expert)", "one-turn (plain)"]
    assert all(c.points == 6 for c in data.columns)
