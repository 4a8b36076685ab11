"""A run killed with SIGKILL and run again finishes without re-asking finished samples."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from psetbench.grading import read_runs
from tests.fakeserver import asked, fake_server

Q1 = "How many bytes do the weights take?"
Q2 = "Give the memory of LoRA factors"


def _run_cli(tiny_set: Path, logs: Path, base_url: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, FAKE_BASE_URL=base_url, FAKE_API_KEY="test")
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
