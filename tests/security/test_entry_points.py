"""Every way text reaches the expression check: validate, import, run, grade. Nothing runs."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.grading import read_runs
from psetbench.problemset import load_problem_set
from psetbench.runs import RunOptions, run_set
from tests.scripted import Scripted
from tests.security.payloads import assert_nothing_ran, payloads, reply

TINY = Path(__file__).parent.parent / "fixtures" / "tiny" / "tiny.yaml"
EXPRESSION_PART = ("2", "a")


def _set_with_reference(tmp_path: Path, reference: str) -> Path:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["id"] == "2"]
    data["questions"][0]["parts"][0]["checks"][0]["answer"] = reference
    target = tmp_path / "set" / "payload.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def test_validate_rejects_payload_references(tmp_path: Path) -> None:
    for n, payload in enumerate(payloads(tmp_path)):
        path = _set_with_reference(tmp_path / str(n), payload)
        out = CliRunner().invoke(main, ["validate", str(path)])
        assert out.exit_code == 2, (payload, out.output)
        lines = [ln for ln in out.output.splitlines() if ".checks[0].answer:" in ln]
        assert len(lines) == 1, out.output
        assert lines[0].startswith(f"{path}:"), lines[0]  # file:line:column: message
    assert_nothing_ran(tmp_path)


def test_import_of_a_transcript_with_payload_replies(tmp_path: Path) -> None:
    pset = load_problem_set(TINY).pset
    assert pset is not None
    prompt = next(p.prompt for q in pset.questions for p in q.parts
                  if (q.id, p.id) == EXPRESSION_PART)
    transcript = tmp_path / "chat.txt"
    transcript.write_text(f"You said:\n{prompt}\nChatGPT said:\n{reply(tmp_path)}\n",
                          encoding="utf-8")
    out = CliRunner().invoke(main, ["import", str(transcript), "--set", str(TINY),
                                    "--log-dir", str(tmp_path / "logs")])
    assert out.exit_code == 0, out.output
    _assert_expression_graded(tmp_path / "logs")
    assert_nothing_ran(tmp_path)


def test_run_and_regrade_with_payload_replies(tmp_path: Path) -> None:
    pset = load_problem_set(TINY).pset
    assert pset is not None
    scripted = Scripted(pset, {EXPRESSION_PART: reply(tmp_path)})
    logs = tmp_path / "logs"
    result = run_set(TINY, RunOptions(strategies=("isolated",), model=scripted.model(),
                                      log_dir=str(logs), cache=False))
    assert result.success
    _assert_expression_graded(logs)
    assert_nothing_ran(tmp_path)
    out = CliRunner().invoke(main, ["grade", str(logs)])
    assert out.exit_code == 0, out.output
    _assert_expression_graded(logs)
    assert_nothing_ran(tmp_path)


def _assert_expression_graded(logs: Path) -> None:
    """The payload reply reached the expression check, which did not pass it."""
    checks = [c for run in read_runs([logs]) for g in run.grades if g.key == "2(a)"
              for c in g.checks if c.kind == "expression"]
    assert checks, "the expression check never saw the reply"
    assert all(c.status.value != "passed" for c in checks), [c.reason for c in checks]
