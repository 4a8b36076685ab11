from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.problemset import ProblemSetError, json_schema, load_problem_set, validate_file

BROKEN = Path(__file__).parent / "fixtures" / "broken"


def test_tiny_set_loads(tiny_set: Path) -> None:
    loaded = load_problem_set(tiny_set)
    assert loaded.pset.id == "tiny"
    assert [q.id for q in loaded.pset.questions] == ["1", "2"]
    part = loaded.pset.part("1", "c")
    assert part.points == 2 and part.difficulty.value == "hard"
    assert loaded.figure_path("figures/dot.png").is_file()


def test_bad_yaml_reports_line() -> None:
    problems = validate_file(BROKEN / "bad_yaml.yaml")
    assert len(problems) == 1
    assert problems[0].line == 4 and "invalid YAML" in problems[0].message


def test_duplicates_and_missing_solution_each_reported_at_their_line() -> None:
    problems = validate_file(BROKEN / "dupes.yaml")
    text = [str(p) for p in problems]
    assert any(":10:" in t and "duplicate part id 'a'" in t for t in text), text
    assert any(":13:" in t and "duplicate question id '1'" in t for t in text), text
    assert any("solution` is required" in t for t in text), text


def test_every_problem_in_one_file_is_listed() -> None:
    problems = validate_file(BROKEN / "kinds.yaml")
    messages = " | ".join(str(p) for p in problems)
    assert "id: String should match pattern" in messages
    assert "unknown check kind 'numerc'" in messages
    assert "difficulty" in messages and "easy, medium or hard" in messages
    assert "unknown field `colour`" in messages
    assert "not one of options" in messages
    assert all(str(p).startswith(str(BROKEN / "kinds.yaml") + ":") for p in problems)
    # sorted by position, each with a real line
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert all(p.line > 1 for p in problems)


def test_unit_and_figure_problems(tmp_path: Path) -> None:
    (tmp_path / "set.yaml").write_text(
        "psetbench: 1\nid: units\ntitle: Units\nquestions:\n"
        "  - id: '1'\n    figures:\n      - path: ../escape.png\n    parts:\n"
        "      - id: a\n        prompt: p\n        solution: s\n        checks:\n"
        "          - kind: numeric\n            answer: 3\n            unit: blorbs\n"
    )
    problems = validate_file(tmp_path / "set.yaml")
    text = " | ".join(str(p) for p in problems)
    assert ":7:" in text and "outside the set's folder" in text
    assert ":15:" in text and "unit" in text


def test_empty_and_missing_files(tmp_path: Path) -> None:
    assert "not a problem set" in validate_file(BROKEN / "empty.yaml")[0].message
    assert "no such file" in validate_file(tmp_path / "nope.yaml")[0].message
    with pytest.raises(ProblemSetError):
        load_problem_set(tmp_path / "nope.yaml")


def test_validate_cli_exit_codes(tiny_set: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["validate", str(BROKEN)])
    assert bad.exit_code == 2
    lines = [line for line in bad.output.splitlines() if line.startswith(str(BROKEN))]
    assert len(lines) >= 10
    assert all(len(line.split(":")) >= 4 for line in lines)
    good = runner.invoke(main, ["validate", str(tiny_set)])
    assert good.exit_code == 0, good.output


def test_schema_is_json_and_describes_checks() -> None:
    schema = json_schema()
    text = json.dumps(schema)
    for kind in ("numeric", "choice", "expression", "keypoints"):
        assert kind in text
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.output)["title"].startswith("psetbench problem set")
