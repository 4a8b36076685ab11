"""Sub-parts (format version 2): loading, leaves, errors, schema, asking, grading and reports."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.compare import compare_runs, format_comparison
from psetbench.grading import Run, read_runs
from psetbench.problemset import (
    Difficulty,
    ProblemSet,
    json_schema,
    load_problem_set,
    validate_file,
)
from psetbench.report import write_report
from psetbench.runs import RunOptions, run_set
from psetbench.strategies import PROMPTS, plan, render_turn
from psetbench.types import PartGrade, Verdict
from psetbench.view import build_app
from tests.scripted import Scripted

ROOT = Path(__file__).resolve().parent.parent
NESTED = ROOT / "tests" / "fixtures" / "nested" / "nested.yaml"
TINY = ROOT / "tests" / "fixtures" / "tiny" / "tiny.yaml"
LEAF_IDS = ["a.i", "a.ii", "b", "c", "d", "e.i", "e.ii", "e.iii.a", "e.iii.b", "e.iii.c",
            "e.iv", "e.v"]


@pytest.fixture(scope="module")
def nested() -> ProblemSet:
    return load_problem_set(NESTED).pset


# --- loading and leaves -------------------------------------------------------------------


def test_version_1_loads_unchanged() -> None:
    pset = load_problem_set(TINY).pset
    assert pset.psetbench == 1
    for q in pset.questions:
        assert q.leaves is q.parts  # flat: the leaves are the parts themselves
        for p in q.leaves:
            assert p.path == (p.id,) and p.context == () and p.label == f"({p.id})"
    assert pset.part("1", "c").points == 2 and pset.questions[0].points == 4


def test_leaves_are_dotted_depth_first(nested: ProblemSet) -> None:
    q = nested.questions[0]
    assert [p.id for p in q.leaves] == LEAF_IDS
    assert [p.id for p in q.parts] == ["a", "b", "c", "d", "e"]
    leaf = nested.part("2", "e.iii.a")
    assert leaf.path == ("e", "iii", "a") and leaf.label == "(e)(iii)(a)"
    assert leaf.parts == []
    assert [c.split()[0] for c in leaf.context] == ["Read", "From"]
    assert nested.part("2", "b").context == ()
    with pytest.raises(KeyError):
        nested.part("2", "e.iii")  # a parent is not gradable


def test_points_roll_up_and_inheritance(nested: ProblemSet) -> None:
    q = nested.questions[0]
    e = q.parts[4]
    assert e.points == 6  # not given: the sum of (i) 1, (ii) 1, (iii) 2, (iv) 1, (v) 1
    assert e.parts[2].points == 2  # given, and equal to 0.5 + 0.5 + 1
    assert q.points == 15 == sum(p.points for p in q.leaves)
    difficulty = {p.id: p.difficulty for p in q.leaves}
    assert difficulty["a.i"] == Difficulty.easy  # inherited from (a)
    assert difficulty["e.i"] == Difficulty.easy and difficulty["e.iii.c"] == Difficulty.hard
    assert difficulty["e.iii.a"] == Difficulty.medium
    text = NESTED.read_text().replace("  - id: e\n", "  - id: e\n    group: svd\n", 1)
    grouped = ProblemSet.model_validate(yaml.safe_load(text)).questions[0]
    assert {p.group for p in grouped.leaves if p.path[0] == "e"} == {"svd"}
    assert {p.group for p in grouped.leaves if p.path[0] != "e"} == {None}


def test_round_trips_through_a_log(nested: ProblemSet) -> None:
    # logs store the set as JSON: a parent's empty solution and summed points must reload,
    # and sub-parts must still inherit (a dump leaves out what they did not set)
    again = ProblemSet.model_validate(json.loads(nested.model_dump_json()))
    assert [(p.id, p.difficulty, p.group) for p in again.questions[0].leaves] == [
        (p.id, p.difficulty, p.group) for p in nested.questions[0].leaves]
    assert again.part("2", "a.i").difficulty == Difficulty.easy
    assert again.questions[0].points == 15
    flat = load_problem_set(TINY).pset.model_dump(mode="json")
    assert all("parts" not in p for q in flat["questions"] for p in q["parts"])


def test_docs_example_is_a_valid_set() -> None:
    text = (ROOT / "docs" / "format.md").read_text()
    examples = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    v2 = [ProblemSet.model_validate(d) for d in examples if d.get("psetbench") == 2]
    assert len(v2) == 1
    leaves = [p.id for p in v2[0].questions[0].leaves]
    assert leaves[:3] == ["a.i", "a.ii", "b"] and "e.iii.c" in leaves


# --- errors, each at its line and column ---------------------------------------------------

HEAD = 'psetbench: {v}\nid: bad\ntitle: Bad\nquestions:\n  - id: "1"\n    parts:\n'


def _problems(tmp_path: Path, body: str, version: int = 2) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD.format(v=version) + body)
    return [str(p).removeprefix(f"{path}:") for p in validate_file(path)]


PARENT = """\
      - id: a
        prompt: Parent
        parts:
          - id: i
            prompt: one
            solution: s
"""


def test_sub_parts_in_version_1_say_write_version_2(tmp_path: Path) -> None:
    assert _problems(tmp_path, PARENT, version=1) == [
        "9:9: sub-parts (`parts:` inside a part) need format version 2; write `psetbench: 2`"]
    assert _problems(tmp_path, PARENT, version=2) == []


def test_parent_with_checks(tmp_path: Path) -> None:
    body = PARENT.replace("        parts:\n", "        checks:\n          - kind: choice\n"
                          "            answer: 'True'\n        parts:\n")
    assert _problems(tmp_path, body) == [
        "9:9: questions[0].parts[0].checks: a part with sub-parts takes no checks; "
        "put them on its sub-parts"]


def test_points_must_equal_the_sum(tmp_path: Path) -> None:
    body = PARENT.replace("        parts:\n", "        points: 3\n        parts:\n")
    assert _problems(tmp_path, body) == [
        "9:9: questions[0].parts[0].points: 3 is not the sum of the sub-parts' points (1); "
        "give 1 or leave `points` out"]


def test_duplicate_sub_part_ids(tmp_path: Path) -> None:
    body = PARENT + "          - id: i\n            prompt: two\n            solution: s\n"
    assert _problems(tmp_path, body) == [
        "13:17: duplicate sub-part id 'i' (first on line 10); give each sub-part its own id"]


def test_leaf_needs_a_solution_and_deep_checks_are_checked(tmp_path: Path) -> None:
    body = PARENT + """\
          - id: ii
            prompt: deeper
            parts:
              - id: x
                prompt: no solution
              - id: y
                prompt: bad unit
                solution: s
                checks:
                  - kind: numeric
                    answer: 3 flurbs
                  - kind: expression
                    answer: "a +* b"
"""
    problems = _problems(tmp_path, body)
    assert problems[0] == ("16:17: questions[0].parts[0].parts[1].parts[0].solution: "
                           "`solution` is required on a part without sub-parts; add it")
    assert problems[1].startswith("23:29: questions[0].parts[0].parts[1].parts[1].checks[0]"
                                  ".answer: cannot read '3 flurbs'")
    assert problems[2].startswith("25:29: questions[0].parts[0].parts[1].parts[1].checks[1]"
                                  ".answer: cannot be read as an expression")
    assert len(problems) == 3


def test_dotted_ids_are_refused_where_paths_use_dots(tmp_path: Path) -> None:
    body = PARENT + "      - id: b.1\n        prompt: p\n        solution: s\n"
    assert _problems(tmp_path, body) == [
        "5:5: questions[0]: part id 'b.1' has a '.', which a question with sub-parts uses for "
        "paths; rename it"]
    flat = "      - id: b.1\n        prompt: p\n        solution: s\n"
    assert _problems(tmp_path, flat, version=1) == []  # version 1 loads unchanged


# --- schema ---------------------------------------------------------------------------------


def test_schema_is_recursive_and_checks_the_nested_set() -> None:
    schema = json_schema()
    part = schema["$defs"]["Part"]
    assert part["properties"]["parts"]["items"] == {"$ref": "#/$defs/Part"}
    assert schema["properties"]["psetbench"]["enum"] == [1, 2]
    data = yaml.safe_load(NESTED.read_text())
    jsonschema.validate(data, schema)
    del data["questions"][0]["parts"][0]["parts"][0]["solution"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    out = CliRunner().invoke(main, ["schema"])
    assert json.loads(out.output)["$defs"]["Part"]["properties"]["parts"]


# --- asking ---------------------------------------------------------------------------------


def _turns(pset: ProblemSet, strategy: str) -> list[list[list[str]]]:
    unit = plan(pset, strategy)[0]
    return [[[p for _, p in t.parts] for t in c.turns] for c in unit.conversations]


def test_strategies_ask_a_part_with_its_sub_parts(nested: ProblemSet) -> None:
    e = LEAF_IDS[5:]
    assert _turns(nested, "one-turn") == [[LEAF_IDS]]
    assert _turns(nested, "per-part") == [[["a.i", "a.ii"], ["b"], ["c"], ["d"], e]]
    assert _turns(nested, "isolated") == [[["a.i", "a.ii"]], [["b"]], [["c"]], [["d"]], [e]]
    assert _turns(nested, "hybrid") == [[["a.i", "a.ii"], ["b"], ["c"], ["d"], e]]


def test_a_turn_shows_parents_then_sub_parts(nested: ProblemSet) -> None:
    keys = tuple(("2", p) for p in LEAF_IDS[5:])
    text = render_turn(PROMPTS["plain"], nested, keys, {"2"}, first_turn=False)
    starts = [line.split(")")[0] + ")" for line in text.splitlines() if line.startswith("(")]
    assert starts == ["(e)", "(i)", "(ii)", "(iii)", "(a)", "(b)", "(c)", "(iv)", "(v)"]
    assert text.startswith("(e) Read and write subspaces")
    alone = render_turn(PROMPTS["plain"], nested, (("2", "e.iii.b"),), {"2"},
                        first_turn=False)
    assert [line[:5] for line in alone.splitlines() if line.startswith("(")] == [
        "(e) R", "(iii)", "(b) W"]  # a leaf asked alone keeps its ancestors' prompts


# --- a scripted run, grades, reports, compare ------------------------------------------------


class NestedScripted(Scripted):
    """Answers each asked leaf with its official solution, labelled as the homework does."""

    def asked(self, text: str) -> list[tuple[str, str]]:
        return [(q.id, p.id) for q in self.pset.questions for p in q.leaves
                if p.prompt.strip() in text]

    def reply(self, keys: list[tuple[str, str]]) -> str:
        return "\n\n".join(f"**{self.pset.part(q, p).label}** {self.answers[(q, p)]}"
                           for q, p in keys if (q, p) in self.answers)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory, nested: ProblemSet) -> Path:
    folder = tmp_path_factory.mktemp("nested") / "logs"
    answers = {("2", p.id): p.solution for p in nested.questions[0].leaves}
    scripted = NestedScripted(nested, answers)
    result = run_set(NESTED, RunOptions(strategies=("one-turn", "per-part"),
                                        model=scripted.model(), log_dir=str(folder),
                                        cache=False))
    assert result.success
    return folder


def test_run_grades_every_leaf_with_its_path(logs: Path) -> None:
    runs = read_runs([logs])
    assert sorted(r.strategy for r in runs) == ["one-turn", "per-part"]
    for run in runs:
        assert [g.path for g in run.grades] == LEAF_IDS
        assert [g.part for g in run.grades] == LEAF_IDS
        assert all(g.verdict == Verdict.correct for g in run.grades), [
            (g.path, g.reason) for g in run.grades if g.verdict != Verdict.correct]
        assert sum(g.points for g in run.grades) == 15


def test_grades_jsonl_has_path(logs: Path) -> None:
    out = CliRunner().invoke(main, ["grades", str(logs), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert {r["path"] for r in rows} == set(LEAF_IDS) and len(rows) == 24


def test_old_grades_without_path_still_read() -> None:
    old = {"set_id": "s", "question": "1", "part": "a", "model": "m", "strategy": "one-turn",
           "verdict": "correct", "score": 1.0, "points": 1.0, "reason": "", "grader": "checks"}
    assert PartGrade.model_validate(old).path == "a"


def test_reports_group_leaves_under_their_parents(logs: Path, tmp_path: Path) -> None:
    runs = read_runs([logs])
    md = write_report(runs, tmp_path / "r.md").read_text()
    assert "| 2(e)(iii)(a) |" in md and "| 2(a)(ii) |" in md
    assert md.index("#### 2(e) · 6 points") < md.index("#### 2(e)(iii) · 2 points") \
        < md.index("**2(e)(iii)(a)**")
    html = write_report(runs, tmp_path / "r.html").read_text()
    assert '<div class="parent depth-1" id="p-2-e_iii">' in html
    assert html.index('id="p-2-e"') < html.index('id="p-2-e_i"')
    report = json.loads(write_report(runs, tmp_path / "r.json").read_text())
    q = report["questions"][0]
    assert [p["id"] for p in q["parents"]] == ["a", "e", "e.iii"]
    leaf = next(p for p in q["parts"] if p["id"] == "e.iii.c")
    assert leaf["label"] == "(e)(iii)(c)" and leaf["parent"] == "e.iii"
    assert leaf["path"] == ["e", "iii", "c"] and leaf["grades"][0]["path"] == "e.iii.c"


def test_compare_shows_headings(logs: Path) -> None:
    runs: list[Run] = sorted(read_runs([logs]), key=lambda r: r.strategy)
    c = asyncio.run(compare_runs(runs[0], runs[1], cache=False))
    assert [h.label for h in c.headings] == ["(a)", "(e)", "(e)(iii)"]
    text = format_comparison(c)
    lines = [line.split(" |")[0] for line in text.splitlines() if line.startswith("| ")]
    assert lines[1].startswith("| **2(a)** The simplest transformer has zero layers")
    assert lines[2:4] == ["| 2(a)(i)", "| 2(a)(ii)"]
    assert lines.index("| **2(e)(iii)** From this decomposition:") + 1 == \
        lines.index("| 2(e)(iii)(a)")


def test_view_labels_sub_parts(logs: Path) -> None:
    runs = read_runs([logs])
    app = build_app(logs, load=lambda _: runs)
    parts = app.handle("/parts?strategy=per-part").body.decode()
    assert ">2(e)(iii)(a)</a>" in parts and ">2(b)</a>" in parts
    report = app.handle("/report?set=nested-q2").body.decode()
    assert '<div class="parent depth-0" id="p-2-a">' in report
