"""`psetbench run` against a fault-injecting server: every run ends within its limits, says
what went wrong in one clear line, never prints a traceback, and grades what it got right.

The limits are small (a 1 s request timeout, one retry) so that a hung or failing server ends
the run in seconds; they are bounds the run must respect, not speed targets.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from psetbench.grading import read_runs
from psetbench.types import Verdict
from tests.fakeserver import asked, fake_server

ANSWER = ("**(a)** Each parameter takes 2 bytes, so the weights take **2 TB**.\n\n"
          "**(b)** **Answer: True**\n\n"
          "**(c)** 2 TB / 80 GB = **25 GPUs**; one device cannot hold it.")
LIMITS = ("--request-timeout", "1", "--max-retries", "1", "--time-limit", "20")


def _psetbench(tiny_set: Path, logs: Path, url: str, *args: str,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, FAKE_BASE_URL=url, FAKE_API_KEY="test", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "psetbench", "run", str(tiny_set), "--model",
         "openai-api/fake/m", "--strategy", "one-turn", "--log-dir", str(logs), "--display",
         "none", "--no-cache", *LIMITS, *args],
        env=full_env, capture_output=True, text=True, timeout=120)


def _output(proc: subprocess.CompletedProcess[str]) -> str:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "╭─" not in out, out  # no (rich) traceback
    return " ".join(out.split())  # as one line: the summary table wraps to the terminal


def _verdicts(logs: Path) -> dict[str, Verdict]:
    return {g.key: g.verdict for r in read_runs([logs]) for g in r.grades}


def test_hung_server_fails_the_samples_within_the_limit_and_a_rerun_retries_them(
        tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    with fake_server(tmp_path, "--fault", "hang") as (url, _):
        proc = _psetbench(tiny_set, logs, url)
    out = _output(proc)
    assert proc.returncode == 1, out
    assert "fake/m: no reply within 1 s, retry 1/1" in out
    assert "the model gave no reply within the request timeout" in out
    assert "run the same command again" in out
    assert set(_verdicts(logs).values()) == {Verdict.ungraded}
    # The rerun meets a rate limit with Retry-After. The provider SDK retries a 429 twice by
    # itself: six 429s make both samples' first tries fail and Inspect's retry succeed.
    with fake_server(tmp_path, "--answer", ANSWER, "--fault", "429", "--fault-times", "6",
                     "--retry-after", "0.1") as (url, record):
        proc = _psetbench(tiny_set, logs, url, "--request-timeout", "8")
        out = _output(proc)
        assert proc.returncode == 0, out
        assert len({a for a in asked(record)}) == 2  # both failed samples, asked again
    assert "fake/m: rate limited (429), retry 1/1" in out
    verdicts = _verdicts(logs)
    assert verdicts["1(a)"] == verdicts["1(b)"] == verdicts["1(c)"] == Verdict.correct


def test_judge_answering_500_every_time_leaves_parts_ungraded_never_right(
        tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    with fake_server(tmp_path, "--answer", ANSWER) as (url, _), \
            fake_server(tmp_path / "judge", "--fault", "500") as (judge_url, judge_record):
        # (a try includes the provider SDK's own quick retries: give it time to see the 500)
        proc = _psetbench(tiny_set, logs, url, "--grader", "openai-api/judge/m",
                          "--request-timeout", "8",
                          env={"JUDGE_BASE_URL": judge_url, "JUDGE_API_KEY": "test"})
        judge_asks = len(asked(judge_record))
    out = _output(proc)
    assert proc.returncode == 1, out
    assert "judge/m: server returned 500, retry 1/1" in out
    assert "server error (5xx) on every try" in out
    verdicts = _verdicts(logs)
    assert verdicts["1(a)"] == verdicts["1(b)"] == verdicts["1(c)"] == Verdict.ungraded
    assert Verdict.correct not in verdicts.values()
    # a handful of judge calls, each: one try and one retry, each repeated at most twice by
    # the SDK itself; nothing like the endless retries without limits
    assert 0 < judge_asks <= 10 * 2 * 3


def test_malformed_json_is_one_line_and_fails_only_that_sample(tiny_set: Path,
                                                               tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    with fake_server(tmp_path, "--answer", ANSWER, "--fault", "malformed",
                     "--fault-on", "LoRA") as (url, _):
        proc = _psetbench(tiny_set, logs, url)
    out = _output(proc)
    assert proc.returncode == 1, out
    assert "the model server's reply was not valid JSON" in out
    verdicts = _verdicts(logs)
    assert verdicts["1(a)"] == Verdict.correct  # the other sample is graded
    assert verdicts["2(a)"] == verdicts["2(b)"] == Verdict.ungraded


def test_cut_off_after_the_nudge_is_recorded_and_said(tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    with fake_server(tmp_path, "--answer", ANSWER, "--fault", "truncated",
                     "--fault-on", "weights") as (url, _):
        proc = _psetbench(tiny_set, logs, url)
    assert proc.returncode == 0, _output(proc)
    run = read_runs([logs])[0]
    turn = next(t for epochs in run.turns.values() for turns in epochs for t in turns
                if ("1", "a") in t.keys)
    assert turn.nudge is not None and turn.nudge.reason == "truncated"
    assert turn.nudge.still_failed is True and turn.nudge.still_truncated is True
    reasons = {g.key: g.reason for g in run.grades}
    assert all("cut off (max tokens) even after a nudge" in reasons[k]
               for k in ("1(a)", "1(b)", "1(c)"))
    assert "cut off" not in reasons["2(a)"]


def test_empty_reply_is_nudged_and_credentials_are_never_written(
        tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    secret = "s3cr3t-pw-42"
    with fake_server(tmp_path, "--answer", ANSWER, "--fault", "empty", "--fault-times",
                     "1", "--fault-on", "weights") as (url, _):
        credentialed = url.replace("http://", f"http://user:{secret}@")
        proc = _psetbench(tiny_set, logs, credentialed)
    out = _output(proc)
    assert proc.returncode == 0, out
    run = read_runs([logs])[0]
    assert {g.key for g in run.grades if g.nudged} == {"1(a)", "1(b)", "1(c)"}
    assert _verdicts(logs)["1(a)"] == Verdict.correct
    assert secret not in out
    traces = list((Path(os.environ["XDG_DATA_HOME"]) / "inspect_ai" / "traces").glob("*"))
    assert traces, "Inspect wrote no trace file"
    for path in [p for p in logs.rglob("*") if p.is_file()] + traces:
        assert secret.encode() not in _contents(path), path
    # the trace does log each request's URL: the test would see a secret in it
    assert any(b"/v1/chat/completions" in _contents(p) for p in traces)


def _contents(path: Path) -> bytes:
    """A file's bytes, decompressed: .gz traces, and .eval logs (zip archives) member by
    member."""
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes())
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"\n".join(archive.read(name) for name in archive.namelist())
    return path.read_bytes()


@pytest.mark.parametrize("text", [
    "POST http://user:pw@host:8000/v1/chat/completions",
    "https://token@api.example.com/v1",
    '{"Authorization": "Bearer sk-abc"}',
    "x-api-key: sk-abc",
])
def test_scrub_removes_credentials(text: str) -> None:
    from psetbench.models import scrub

    cleaned = scrub(text)
    assert "pw@" not in cleaned and "token@" not in cleaned and "sk-abc" not in cleaned
    assert "***" in cleaned
