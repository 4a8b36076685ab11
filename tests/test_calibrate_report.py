"""Reports with a TA's labels: a "Grader vs TA" section in every form, and the TA's verdicts
over the machine's in the scores, marked as TA with the machine's verdict kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.calibrate import calibrate
from psetbench.cli import main
from psetbench.grading import read_runs
from psetbench.importers import import_conversation
from psetbench.labels import DEFAULT_LABELS_NAME
from psetbench.report import write_report
from tests.test_calibrate import LABELS, TRANSCRIPTS


@pytest.fixture
def logs(tiny_set: Path, tmp_path: Path) -> Path:
    import_conversation([TRANSCRIPTS / "tiny_openai.json"], tiny_set, log_dir=tmp_path / "logs")
    (tmp_path / "logs" / DEFAULT_LABELS_NAME).write_text(LABELS, encoding="utf-8")
    return tmp_path / "logs"


def _json_report(logs: Path, out: Path, *extra: str) -> dict:
    done = CliRunner().invoke(main, ["report", str(logs), "-o", str(out), *extra])
    assert done.exit_code == 0, done.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_labels_override_the_scores_and_keep_the_machine_verdict(logs: Path,
                                                                 tmp_path: Path) -> None:
    plain = _json_report(logs, tmp_path / "plain.json", "--no-labels")
    labelled = _json_report(logs, tmp_path / "ta.json")  # LOG_DIR/labels.yaml by default
    assert plain["grader_vs_ta"] is None
    # machine: 1 + 1 + 0 + 1 + 0 = 3 of 6 points (1/c is worth 2); TA: 1/b incorrect,
    # 2/a partial 0.5, 2/b correct: 1 + 0 + 0 + 0.5 + 1 = 2.5
    assert plain["scoreboard"][0]["earned"] == 3.0
    assert labelled["scoreboard"][0]["earned"] == 2.5
    grades = {f"{q['id']}/{p['id']}": p["grades"][0] for q in labelled["questions"]
              for p in q["parts"]}
    assert all(g["grader"] == "ta" for g in grades.values())
    assert grades["1/b"]["verdict"] == "incorrect"
    assert grades["1/b"]["reason"].startswith("TA: no reason given (machine: correct 1.00 by "
                                              "checks: ")
    assert grades["2/a"]["score"] == 0.5 and grades["2/b"]["verdict"] == "correct"
    section = labelled["grader_vs_ta"]
    expected = calibrate([logs], logs / DEFAULT_LABELS_NAME)
    assert section["overall"]["verdict"] == expected.overall.verdict.model_dump()
    assert section["overall"]["kappa"]["value"] == expected.overall.kappa.value
    assert {d["part"] for d in section["disagreements"]} == {"1/b", "2/a", "2/b"}


def test_html_and_markdown_sections(logs: Path, tmp_path: Path) -> None:
    runs = read_runs([logs])
    html = write_report(runs, tmp_path / "r.html", labels=logs / DEFAULT_LABELS_NAME)
    text = html.read_text(encoding="utf-8")
    assert '<section id="grader-vs-ta">' in text and 'href="#grader-vs-ta"' in text
    assert "hard 2/3, soft 0/2" in text and "Confusion (rows: TA, columns: grader)" in text
    assert "both gradients vanish" in text and "(TA)</a>" in text
    assert '<span class="flag good">TA</span>' in text
    md = write_report(runs, tmp_path / "r.md", labels=logs / DEFAULT_LABELS_NAME)
    body = md.read_text(encoding="utf-8")
    assert "## Grader vs TA" in body and "| TA \\ grader | correct |" in body
    assert "| tiny_openai.json 2/b [soft] | correct 1.00 | ungraded 0.00 by checks" in body
    assert "## Grader vs TA" not in write_report(runs, tmp_path / "n.md").read_text()


def test_labels_that_match_no_log(logs: Path, tmp_path: Path) -> None:
    (logs / DEFAULT_LABELS_NAME).write_text("other.txt:\n  parts:\n    1/a: {verdict: correct}\n")
    done = CliRunner().invoke(main, ["report", str(logs), "-o", str(tmp_path / "r.json")])
    assert done.exit_code == 0 and "Warning:" in done.output
    assert json.loads((tmp_path / "r.json").read_text())["grader_vs_ta"] is None
    done = CliRunner().invoke(main, ["report", str(logs), "-o", str(tmp_path / "s.json"),
                                     "--labels", str(logs / DEFAULT_LABELS_NAME)])
    assert done.exit_code == 2 and "no labelled part is in the logs" in done.output
    assert not (tmp_path / "s.json").exists()


def test_a_bad_labels_file_writes_no_report(logs: Path, tmp_path: Path) -> None:
    bad = LABELS.replace("verdict: correct, kind: hard", "verdict: yes, kind: hard")
    (logs / DEFAULT_LABELS_NAME).write_text(bad)
    done = CliRunner().invoke(main, ["report", str(logs), "-o", str(tmp_path / "r.html")])
    assert done.exit_code == 2
    assert done.output.startswith(f"Error: {logs / DEFAULT_LABELS_NAME}:5: ")
    assert not (tmp_path / "r.html").exists()
    assert (logs / DEFAULT_LABELS_NAME).read_text() == bad


MIXED = """\
tiny_openai.json:
  parts:
    1/a: {verdict: [incorrect, partial], note: "the unit is wrong"}
    1/b: {verdict: [partial, incorrect], score: 0.25}
    1/c: {verdict: [incorrect, partial], score: 0.25}
    2/a: {verdict: [correct, partial], score: 0.5}
    2/b: {verdict: partial}
"""


def test_a_ta_verdict_never_contradicts_its_credit(logs: Path, tmp_path: Path) -> None:
    """One rule (labels.ta_grade) for reports and calibrate: a list that rejects the machine's
    verdict puts in its first verdict with that verdict's own credit; a list that accepts it
    leaves the machine's grade, confirmed."""
    (logs / DEFAULT_LABELS_NAME).write_text(MIXED, encoding="utf-8")
    data = _json_report(logs, tmp_path / "r.json")
    grades = {f"{q['id']}/{p['id']}": p["grades"][0] for q in data["questions"]
              for p in q["parts"]}
    # machine: 1/a correct 1, 1/b correct 1, 1/c incorrect 0, 2/a correct 1, 2/b ungraded 0
    assert (grades["1/a"]["verdict"], grades["1/a"]["score"]) == ("incorrect", 0.0)
    assert (grades["1/b"]["verdict"], grades["1/b"]["score"]) == ("partial", 0.25)
    assert (grades["1/c"]["verdict"], grades["1/c"]["score"]) == ("incorrect", 0.0)
    assert (grades["2/a"]["verdict"], grades["2/a"]["score"]) == ("correct", 1.0)
    assert (grades["2/b"]["verdict"], grades["2/b"]["score"]) == ("partial", 0.5)
    for g in grades.values():  # the verdict and the credit say the same thing
        assert (g["verdict"] == "correct") == (g["score"] == 1.0)
        assert (g["verdict"] in ("incorrect", "missing")) == (g["score"] == 0.0)
    assert grades["1/c"]["reason"].startswith("TA confirmed: ")
    assert grades["2/a"]["reason"].startswith("TA confirmed: ")
    assert grades["1/a"]["reason"].startswith("TA: the unit is wrong (machine: correct 1.00")
    # calibrate's TA side is the same rule: the credit each part is published with
    pairs = {p["part"]: p for p in data["grader_vs_ta"]["pairs"]}
    for key, g in grades.items():
        assert (pairs[key]["ta_verdict"], pairs[key]["ta_score"]) == (g["verdict"], g["score"])


def test_labels_checked_as_calibrate_checks_them(tiny_set: Path, tmp_path: Path) -> None:
    """One policy: a question the set lacks stops the report (file:line, exit 2, nothing
    written); labels for a run no log is, or a question the run did not ask, are warnings."""
    logs = tmp_path / "one"
    import_conversation([TRANSCRIPTS / "tiny_openai.json"], tiny_set, log_dir=logs,
                        questions=["1"])
    labels = tmp_path / "labels.yaml"
    labels.write_text(LABELS + "elsewhere.txt:\n  parts:\n    1/a: {verdict: correct}\n")
    out = tmp_path / "r.json"
    done = CliRunner().invoke(main, ["report", str(logs), "-o", str(out), "--labels",
                                     str(labels)])
    assert done.exit_code == 0, done.output
    warnings = [line for line in done.output.splitlines() if line.startswith("Warning: ")]
    assert [w.split(": ")[3].split(" ")[0] for w in warnings] == ["labelled", "2/a", "2/b",
                                                                 "labelled,"]
    assert json.loads(out.read_text())["grader_vs_ta"]["overall"]["parts"] == 3
    labels.write_text(LABELS + "    9/e1: {verdict: correct}\n")
    again = CliRunner().invoke(main, ["report", str(logs), "-o", str(tmp_path / "s.json"),
                                      "--labels", str(labels)])
    assert again.exit_code == 2
    assert again.output.startswith(f"Error: {labels}:10: tiny_openai.json: unknown question "
                                   "'9' in '9/e1'")
    assert not (tmp_path / "s.json").exists()


def test_labels_and_no_labels_conflict(logs: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("not: [labels\n")  # never read: the options conflict first
    done = CliRunner().invoke(main, ["report", str(logs), "-o", str(tmp_path / "r.json"),
                                     "--no-labels", "--labels", str(bad)])
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "--no-labels" in lines[0]
    assert "bad.yaml" not in lines[0].split("--labels")[0]
    assert not (tmp_path / "r.json").exists()


def test_no_hard_soft_split_without_kinds(logs: Path, tmp_path: Path) -> None:
    """Labels from the review page have no kind: no 'hard 0/0, soft 0/0' anywhere."""
    plain = "\n".join(line.replace(", kind: hard", "").replace(", kind: soft", "")
                      for line in LABELS.splitlines())
    (logs / DEFAULT_LABELS_NAME).write_text(plain + "\n", encoding="utf-8")
    table = CliRunner().invoke(main, ["calibrate", str(logs), "--labels",
                                      str(logs / DEFAULT_LABELS_NAME)])
    assert table.exit_code == 0, table.output
    assert "Verdicts agree: 2/5 (40%)\n" in table.output
    runs = read_runs([logs])
    html = write_report(runs, tmp_path / "r.html", labels=logs / DEFAULT_LABELS_NAME)
    md = write_report(runs, tmp_path / "r.md", labels=logs / DEFAULT_LABELS_NAME)
    for text in (table.output, html.read_text(), md.read_text()):
        assert "hard 0/0" not in text and "soft 0/0" not in text
        assert not re.search(r"\bhard\s*(</th>)?\s*\|?\s*(<th>)?soft\b", text), text
    assert "<th>verdicts</th><th>credit</th>" in html.read_text()
    assert "| verdicts | credit |" in md.read_text()
    assert re.search(r"parts +verdicts +credit", table.output)
    # with kinds, the split is there
    (logs / DEFAULT_LABELS_NAME).write_text(LABELS, encoding="utf-8")
    kinds = CliRunner().invoke(main, ["calibrate", str(logs), "--labels",
                                      str(logs / DEFAULT_LABELS_NAME)])
    assert "; hard 2/3, soft 0/2\n" in kinds.output
