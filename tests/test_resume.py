"""A run killed with SIGKILL and run again finishes without re-asking finished samples."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from psetbench.grading import read_runs
from psetbench.problemset import load_problem_set
from psetbench.runs import RunOptions, print_summary, run_set
from tests.fakeserver import asked, fake_server
from tests.scripted import Scripted

Q1 = "How many bytes do the weights take?"
Q2 = "Give the memory of LoRA factors"


def _run_cli(tiny_set: Path, logs: Path, base_url: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, FAKE_BASE_URL=base_url, FAKE_API_KEY="test", COLUMNS="200")
    return subprocess.Popen(
        [sys.executable, "-m", "psetbench", "run", str(tiny_set), "--model", "openai-api/fake/m",
         "--strategy", "one-turn", "--log-dir", str(logs), "--display", "none", "--no-cache"],
        env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def test_sigkill_then_rerun_asks_only_unfinished(tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    with fake_server(tmp_path, "--delay", "0.05", "--hang-on", Q2) as (url, record):
        proc = _run_cli(tiny_set, logs, url)
        deadline = time.monotonic() + 60
        while len(asked(record)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(asked(record)) == 2, proc.stdout.read() if proc.stdout else b""
        time.sleep(4)  # question 1's sample is answered and flushed to the log
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    with fake_server(tmp_path, "--delay", "0.05") as (url, record):
        proc = _run_cli(tiny_set, logs, url)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, out.decode()
        second = asked(record)
    assert len(second) == 1 and Q2 in second[0], second
    runs = read_runs([logs])
    finished = [r for r in runs if r.status == "success"]
    assert len(finished) == 1 and len(finished[0].grades) == 5


def test_figures_after_resume_cover_every_invocation(tiny_set: Path, tmp_path: Path) -> None:
    """Tokens and time of a resumed run are summed over all its samples, not only over the
    samples the last invocation asked."""
    logs = tmp_path / "logs"
    with fake_server(tmp_path, "--delay", "0.05", "--tokens", "200", "--hang-on", Q2) as (
            url, record):
        proc = _run_cli(tiny_set, logs, url)
        deadline = time.monotonic() + 60
        while len(asked(record)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(4)  # question 1's sample is answered and flushed to the log
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    with fake_server(tmp_path, "--delay", "0.05", "--tokens", "200") as (url, _):
        proc = _run_cli(tiny_set, logs, url)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, out.decode()
    [run] = [r for r in read_runs([logs]) if r.status == "success"]
    # two samples of 200 completion tokens each, one from each invocation
    assert run.output_tokens == 400, run
    assert "/400 " in out.decode(), out.decode()  # the summary printed at the end
    assert run.wall_seconds is not None and run.wall_seconds > 0


def test_cached_calls_are_counted_and_shown_as_cached(tiny_set: Path, tmp_path: Path) -> None:
    answers = {("1", "a"): "2 TB", ("1", "b"): "True", ("1", "c"): "25 GPUs"}
    scripted = Scripted(load_problem_set(tiny_set).pset, answers)
    first = run_set(tiny_set, RunOptions(strategies=("one-turn",), model=scripted.model(),
                                         log_dir=str(tmp_path / "first")))
    calls = len(scripted.calls)
    again = run_set(tiny_set, RunOptions(strategies=("one-turn",), model=scripted.model(),
                                         log_dir=str(tmp_path / "again")))
    assert len(scripted.calls) == calls  # every reply came from the cache
    [run] = again.runs
    assert run.cached_calls == calls and run.input_tokens == run.output_tokens == 0
    assert run.cached_input_tokens == first.runs[0].input_tokens > 0
    assert read_runs([tmp_path / "again"])[0].cached_calls == calls  # and in the log
    print_summary(again)
