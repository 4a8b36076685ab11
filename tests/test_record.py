"""The log contract (psetbench.record): what a log stores about its run and its turns, typed,
versioned, and read the same from logs written before it existed (tests/fixtures/old_logs/format1
were written by psetbench 0.1.0 before the contract: a scripted run under one-turn and
per-part, with a nudge, and an imported chat conversation; grades.jsonl is what that version's
`psetbench grades --format jsonl` printed for them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from psetbench.grading import read_runs, regrade
from psetbench.problemset import load_problem_set
from psetbench.record import (
    LOG_FORMAT,
    ImportedMeta,
    LogError,
    Nudge,
    RunMeta,
    TurnRecord,
    dump_turns,
    load_turns,
)
from psetbench.runs import grade_rows

FORMAT1 = Path(__file__).parent / "fixtures" / "old_logs" / "format1"
TINY = Path(__file__).parent / "fixtures" / "tiny" / "tiny.yaml"


def _rows(rows: list[dict]) -> list[dict]:
    return sorted(({k: v for k, v in r.items() if k != "log"} for r in rows),
                  key=lambda r: (r["strategy"], r["question"], r["part"]))


def test_logs_written_before_the_contract_read_the_same() -> None:
    expected = [json.loads(line) for line in (FORMAT1 / "grades.jsonl").read_text().splitlines()]
    runs = read_runs([FORMAT1])
    assert _rows(grade_rows(runs)) == _rows(expected)
    by_strategy = {(r.strategy, r.prompt): r for r in runs}
    per_part = by_strategy[("one-turn", "expert")]
    assert per_part.meta is not None and per_part.meta.format == LOG_FORMAT
    assert per_part.meta.set_path and per_part.meta.imported is None
    turns = [t for epochs in per_part.turns.values() for ts in epochs for t in ts]
    nudged = {k for t in turns if t.nudge is not None for k in t.keys}
    assert nudged and nudged == {(r["question"], r["part"]) for r in expected
                                 if Path(r["log"]).name == Path(per_part.path).name
                                 and r["nudged"]}
    assert {t.nudge.reason for t in turns if t.nudge is not None} == {"empty"}
    imported = by_strategy[("per-part", "imported")]
    assert imported.meta is not None and isinstance(imported.meta.imported, ImportedMeta)
    assert imported.meta.imported.files[0]["path"].endswith("tiny_copied.txt")
    assert imported.metadata["imported"]["strategy_inferred"] is True  # plain data for reports
    assert all(t.source is not None for e in imported.turns.values() for ts in e for t in ts)


def test_old_logs_regrade_to_the_same_grades(tmp_path: Path) -> None:
    copy = tmp_path / "logs"
    shutil.copytree(FORMAT1, copy)
    before = _rows(grade_rows(read_runs([copy])))
    assert _rows(grade_rows(regrade([str(copy)]))) == before


def test_turn_records_round_trip_and_keep_fields_they_do_not_know() -> None:
    turn = TurnRecord(conversation=1, turn=2, parts=[("1", "a"), ("1", "b")], prompt="Solve",
                      reply="(a) 2 TB (b) True",
                      nudge=Nudge(reason="empty", prompt="again", first_reply=""))
    stored = dump_turns([turn])
    assert stored[0]["parts"] == [["1", "a"], ["1", "b"]]  # JSON, as the sample store keeps it
    assert load_turns(stored) == [turn]
    later = {**stored[0], "latency_ms": 812}  # written by a later psetbench
    [read] = load_turns([later])
    assert read.keys == [("1", "a"), ("1", "b")]
    assert dump_turns([read])[0]["latency_ms"] == 812


def test_run_meta_round_trips_through_log_metadata() -> None:
    pset = load_problem_set(TINY).pset
    meta = RunMeta(set=pset, strategy="hybrid", prompt="plain", version="9.9")
    stored = meta.to_metadata()
    assert set(stored) == {"psetbench"} and stored["psetbench"]["set"]["id"] == "tiny"
    assert RunMeta.from_metadata(stored, "x.eval") == meta


@pytest.mark.parametrize(
    ("metadata", "message"),
    [(None, "x.eval: not a psetbench log (no psetbench metadata); run it with"),
     ({"psetbench": {"format": 2, "version": "2.0", "strategy": "s", "set": {}}},
      "x.eval: written in log format 2 by a newer psetbench (2.0); upgrade psetbench"),
     ({"psetbench": {"strategy": "one-turn", "set": {"id": "x"}}},
      "x.eval: damaged psetbench metadata (set.psetbench: Field required); run or import "
      "it again")],
)
def test_unreadable_metadata_is_one_line(metadata: dict | None, message: str) -> None:
    with pytest.raises(LogError) as caught:
        RunMeta.from_metadata(metadata, "x.eval")
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
