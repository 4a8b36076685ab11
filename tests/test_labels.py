"""Labels files: a TA's verdicts load, round-trip, validate against runs, and bad files are
refused one line per problem with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from psetbench.errors import PsetbenchError
from psetbench.grading import Run
from psetbench.importers import import_conversation
from psetbench.labels import (
    DEFAULT_LABELS_NAME,
    PARTIAL_CREDIT,
    Label,
    LabelsError,
    LabelsFile,
    TaGrade,
    label_problems,
    load_labels,
    save_labels,
    set_label,
    ta_grade,
    validate_labels,
)
from psetbench.types import PartGrade, Verdict

TRANSCRIPTS = Path(__file__).parent / "fixtures" / "transcripts"
CORPUS_LABELS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seed-q2" \
    / "expected.yaml"

GOOD = """\
# Labels for the tiny set.
# Second header line.

tiny_copied.txt:
  strategy: per-part
  parts:
    1/a: {verdict: correct, kind: hard, note: "2 TB"}
    1/b: {verdict: [correct, partial], kind: soft}
    1/c: {verdict: partial, score: 0.5, by: ta1, at: 2026-01-02T03:04:05Z}
"""


def _write(tmp_path: Path, text: str, name: str = DEFAULT_LABELS_NAME) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny_run(tiny_set: Path, tmp_path: Path) -> Run:
    result = import_conversation([TRANSCRIPTS / "tiny_copied.txt"], tiny_set,
                                 log_dir=tmp_path / "logs")
    assert result.run is not None
    return result.run


def test_a_good_file_loads_with_lines(tmp_path: Path) -> None:
    labels = load_labels(_write(tmp_path, GOOD))
    group = labels.groups["tiny_copied.txt"]
    assert group.strategy == "per-part"
    assert group.parts["1/a"].accepts(Verdict.correct)
    assert group.parts["1/b"].accepts("partial") and not group.parts["1/b"].accepts("incorrect")
    assert group.parts["1/c"].score == 0.5 and group.parts["1/c"].by == "ta1"
    assert group.parts["1/c"].at is not None and group.parts["1/c"].at.year == 2026
    assert labels.line("tiny_copied.txt") == 4 and labels.line("tiny_copied.txt", "1/b") == 8


def _grade(verdict: Verdict, score: float) -> PartGrade:
    return PartGrade(set_id="s", question="1", part="a", model="m", strategy="one-turn",
                     verdict=verdict, score=score, points=1.0, reason="", grader="checks")


def test_the_ta_grade_rule() -> None:
    correct, partial = _grade(Verdict.correct, 1.0), _grade(Verdict.partial, 0.3)
    mixed = Label(verdict=[Verdict.incorrect, Verdict.partial])
    assert ta_grade(mixed, correct) == TaGrade(Verdict.incorrect, 0.0, confirmed=False)
    assert ta_grade(mixed, partial) == TaGrade(Verdict.partial, 0.3, confirmed=True)
    assert ta_grade(Label(verdict=Verdict.partial, score=0.25), partial).score == 0.25
    assert ta_grade(Label(verdict=Verdict.partial), correct) == TaGrade(
        Verdict.partial, PARTIAL_CREDIT, confirmed=False)
    assert ta_grade(Label(verdict=[Verdict.correct, Verdict.partial], score=0.5),
                    correct) == TaGrade(Verdict.correct, 1.0, confirmed=True)
    assert ta_grade(Label(verdict=Verdict.missing), None) == TaGrade(Verdict.missing, 0.0,
                                                                     confirmed=False)
    assert ta_grade(Label(verdict=Verdict.correct), _grade(Verdict.ungraded, 0.0)).score == 1.0


def test_the_corpus_labels_load_unchanged() -> None:
    if not CORPUS_LABELS.exists():
        pytest.skip(f"no corpus at {CORPUS_LABELS}")
    labels = load_labels(CORPUS_LABELS)
    assert set(labels.groups) == {"q2-one-turn.txt", "q2-per-part.txt"}
    assert labels.groups["q2-per-part.txt"].parts["2/d"].verdicts == [Verdict.partial]


def test_save_round_trips_and_keeps_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    labels = load_labels(path)
    save_labels(path, labels)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Labels for the tiny set.\n# Second header line.\n")
    again = load_labels(path)
    assert again.groups == labels.groups
    assert [p.name for p in tmp_path.iterdir()] == [DEFAULT_LABELS_NAME]  # no temp file left


def test_set_label_adds_a_group_for_an_imported_run(tiny_run: Run, tmp_path: Path) -> None:
    empty = LabelsFile()
    assert empty.for_run(tiny_run) is None
    one = set_label(empty, tiny_run, "1/a", Label(verdict=Verdict.incorrect, note="no"))
    assert empty.groups == {}  # the original is left as it was
    group = one.for_run(tiny_run)
    assert group is not None and group.strategy == tiny_run.strategy
    assert list(one.groups) == ["tiny_copied.txt"]
    two = set_label(one, tiny_run, "1/a", Label(verdict=Verdict.correct))
    assert two.groups["tiny_copied.txt"].parts["1/a"].verdict == Verdict.correct
    path = tmp_path / "new" / DEFAULT_LABELS_NAME
    save_labels(path, two)
    assert load_labels(path).groups == two.groups
    assert path.read_text().startswith("#")


def test_a_run_is_found_by_its_log_file_name(tiny_run: Run) -> None:
    name = Path(tiny_run.path).name
    labels = LabelsFile.model_validate({"groups": {name: {"parts": {"1/a": {
        "verdict": "correct"}}}}})
    group = labels.for_run(tiny_run)
    assert group is not None and "1/a" in group.parts


def test_validate_one_policy(tiny_set: Path, tmp_path: Path) -> None:
    """A question or part the run's set lacks is an error; a group no log is, a question a
    run of some questions did not ask and another strategy are warnings."""
    shutil.copy(tiny_set, tmp_path / "tiny.yaml")
    shutil.copytree(tiny_set.parent / "figures", tmp_path / "figures")
    one = import_conversation([TRANSCRIPTS / "tiny_copied.txt"], tmp_path / "tiny.yaml",
                              questions=["1"], log_dir=tmp_path / "logs").run
    assert one is not None
    path = _write(tmp_path, GOOD.replace("per-part", "one-turn")
                  + "    2/a: {verdict: correct}\n    9/e1: {verdict: correct}\n"
                  "    1/z: {verdict: correct}\nother.txt:\n  parts:\n    1/a: "
                  "{verdict: correct}\n")
    labels = load_labels(path)
    found = label_problems(labels, [one])
    assert found.errors == [
        f"{path}:11: tiny_copied.txt: unknown question '9' in '9/e1'; tiny ({tmp_path}"
        "/tiny.yaml) has questions 1, 2",
        f"{path}:12: tiny_copied.txt: unknown part '1/z'; question 1 of tiny has parts "
        "1/a, 1/b, 1/c"]
    assert found.warnings[0] == f"{path}:4: tiny_copied.txt: labelled as strategy one-turn, " \
        f"but {one.path} ran per-part"
    assert found.warnings[1].startswith(f"{path}:10: tiny_copied.txt: 2/a is labelled but ")
    assert found.warnings[1].endswith("holds questions 1 only; left out")
    assert found.warnings[2].startswith(f"{path}:13: other.txt: labelled, but none of the logs")
    assert len(found.warnings) == 3
    with pytest.raises(LabelsError) as raised:
        validate_labels(labels, [one])
    assert raised.value.problems == found.errors
    # the set file gone: the log's own set is all there is, and the error says so
    (tmp_path / "tiny.yaml").unlink()
    gone = label_problems(labels, [one])
    assert "unknown question '2' in '2/a'" in gone.errors[0]
    assert f"as held in {Path(one.path).name}; its set file" in gone.errors[0]


BAD = {
    "verdict off the menu": ("t.txt:\n  parts:\n    1/a: {verdict: great}\n", 3, "verdict"),
    "ungraded is no TA verdict": ("t.txt:\n  parts:\n    1/a: {verdict: ungraded}\n", 3,
                                  "not a TA verdict"),
    "score of the wrong type": ("t.txt:\n  parts:\n\n    1/a: {verdict: partial, score: lots}\n",
                                4, "score"),
    "score out of range": ("t.txt:\n  parts:\n    1/a: {verdict: partial, score: 2}\n", 3,
                           "less than or equal to 1"),
    "unknown field": ("t.txt:\n  parts:\n    1/a: {verdict: correct,\n      verdcit: x}\n", 4,
                      "unknown field `verdcit`"),
    "missing verdict": ("t.txt:\n  parts:\n    1/a: {note: hm}\n", 3, "`verdict` is required"),
    "bad kind": ("t.txt:\n  parts:\n    1/a: {verdict: correct, kind: medium}\n", 3,
                 "use hard or soft"),
    "part key without a slash": ("t.txt:\n  parts:\n    1a: {verdict: correct}\n", 3,
                                 "not QUESTION/PART"),
    "group not a mapping": ("t.txt: [1, 2]\n", 1, "expected a mapping"),
    "bad YAML": ("t.txt:\n  parts:\n    1/a: {verdict: correct\n", 4, "invalid YAML"),
    "not a mapping at all": ("- a\n- b\n", 1, "not a labels file"),
    "duplicate part": ("t.txt:\n  parts:\n    1/a: {verdict: correct}\n"
                       "    1/a: {verdict: partial}\n", 4, "duplicate key '1/a'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_give_one_line_per_problem(case: str, tmp_path: Path) -> None:
    text, line, words = BAD[case]
    path = _write(tmp_path, text)
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    assert isinstance(caught.value, PsetbenchError)
    first = str(caught.value).splitlines()[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert words in first, first
    assert path.read_text(encoding="utf-8") == text


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.txt:\n  parts:\n    1/a: {verdict: great}\n"
                            "    1/b: {verdict: correct, score: x}\nu.txt: 3\n")
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    lines = str(caught.value).splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5"], lines


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(LabelsError, match=r"nope\.yaml:1: no such labels file"):
        load_labels(tmp_path / "nope.yaml")


def test_an_empty_file_has_no_labels(tmp_path: Path) -> None:
    assert load_labels(_write(tmp_path, "# nothing yet\n")).groups == {}


def test_the_json_schema_accepts_good_files_and_refuses_bad_ones(tmp_path: Path) -> None:
    import json

    import jsonschema
    import yaml
    from click.testing import CliRunner

    from psetbench.cli import main

    out = CliRunner().invoke(main, ["schema", "--labels"])
    assert out.exit_code == 0, out.output
    schema = json.loads(out.output)
    good = yaml.safe_load(GOOD)
    good["tiny_copied.txt"]["parts"]["1/c"]["at"] = "2026-01-02T03:04:05Z"
    jsonschema.validate(good, schema)
    if CORPUS_LABELS.exists():
        jsonschema.validate(yaml.safe_load(CORPUS_LABELS.read_text(encoding="utf-8")), schema)
    for text, _, _ in (BAD[k] for k in ("verdict off the menu", "ungraded is no TA verdict",
                                        "unknown field", "part key without a slash")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(text), schema)


def test_the_example_in_the_format_docs_loads(tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text()
    section = docs.split("## Labels files", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    labels = load_labels(_write(tmp_path, example))
    assert labels.groups["q2-one-turn.txt"].parts["2/d"].by == "ta-anna"
    assert labels.groups["q2-one-turn.txt"].parts["2/a2"].verdicts == [Verdict.correct,
                                                                        Verdict.partial]
