"""Start bench/fake_openai.py on a free loopback port for a test, and stop it afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER = Path(__file__).parent.parent / "bench" / "fake_openai.py"


@contextmanager
def fake_server(tmp: Path, *args: str) -> Iterator[tuple[str, Path]]:
    """Yield (base_url, record file)."""
    tmp.mkdir(parents=True, exist_ok=True)
    port_file = tmp / f"port-{time.monotonic_ns()}"
    record = tmp / f"record-{time.monotonic_ns()}.jsonl"
    proc = subprocess.Popen([sys.executable, str(SERVER), "--port-file", str(port_file),
                             "--record", str(record), "--lifetime", "120", *args])
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}/v1", record
    finally:
        proc.kill()
        proc.wait()


def asked(record: Path) -> list[str]:
    if not record.exists():
        return []
    return [json.loads(line)["user"] for line in record.read_text().splitlines() if line]
