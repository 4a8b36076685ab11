"""A worker process for symbolic work, so a runaway computation can be stopped.

Why a process and not a thread: sympy cannot be interrupted from another thread (a hung
`simplify` keeps its thread busy forever), and math-verify's own timeout uses `signal.alarm`,
which works only in a main thread. A process can simply be killed and restarted.

Why `subprocess` and not `multiprocessing`: multiprocessing's safe start methods (spawn,
forkserver) re-import the caller's `__main__`, which breaks scripts without an
`if __name__ == "__main__"` guard, and fork is unsafe in a process that runs threads. A plain
child (`python -c ...`, see `main`) speaking JSON lines has neither problem.

One long-lived worker is reused, so the cost of starting it (importing sympy, about a second)
is paid once, and start-up never counts against a check's timeout.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import queue
import subprocess
import sys
import threading
from typing import IO, Any

START_TIMEOUT = 120.0
MAX_REQUEST_CHARS = 100_000  # a job larger than this is refused before it reaches the child
WARM_TARGET = "psetbench.checks._symbolic:warm"


class WorkerTimeout(Exception):
    """The job ran past its timeout; the worker was stopped."""


class WorkerError(Exception):
    """The job failed, or the worker could not run it; the message says why."""


def _run(target: str, payload: Any) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)(payload)


def serve(requests: IO[str], replies: IO[str]) -> None:
    """The child's loop: one JSON job per line in, one JSON reply per line out."""
    for line in requests:
        job = json.loads(line)
        try:
            reply = {"ok": True, "value": _run(job["target"], job["payload"])}
        except Exception as exc:  # reported to the parent; the worker keeps serving
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


class Worker:
    """One child process that runs `module:function` jobs, one at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()

    def call(self, target: str, payload: Any, timeout: float) -> Any:
        """Run `target(payload)` in the worker; WorkerTimeout or WorkerError if it cannot."""
        with self._lock:
            process = self._ensure_started()
            return self._ask(process, target, payload, timeout)

    def _ensure_started(self) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p or os.getcwd() for p in sys.path)
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", "from psetbench.checks._worker import main; main()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8", env=env,
            )
        except OSError as exc:
            raise WorkerError(f"could not start the symbolic worker: {exc}") from exc
        replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, replies), daemon=True,
                         name="psetbench-symbolic-reader").start()
        self._process, self._replies = process, replies
        try:
            self._ask(process, WARM_TARGET, None, START_TIMEOUT)
        except WorkerTimeout as exc:
            raise WorkerError(f"the symbolic worker did not start in {START_TIMEOUT:g}s") from exc
        return process

    def _ask(self, process: subprocess.Popen[str], target: str, payload: Any,
             timeout: float) -> Any:
        assert process.stdin is not None
        request = json.dumps({"target": target, "payload": payload})
        if len(request) > MAX_REQUEST_CHARS:
            raise WorkerError(f"the job is larger than {MAX_REQUEST_CHARS} characters")
        try:
            process.stdin.write(request + "\n")
            process.stdin.flush()
        except OSError as exc:
            self._stop()
            raise WorkerError(f"the symbolic worker failed: {exc}") from exc
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            self._stop()
            raise WorkerTimeout from None
        if line is None:
            self._stop()
            raise WorkerError("the symbolic worker died")
        reply = json.loads(line)
        if not reply["ok"]:
            raise WorkerError(reply["error"])
        return reply["value"]

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        """Stop the worker (the next call starts a new one)."""
        with self._lock:
            self._stop()


def _pump(stream: IO[str] | None, replies: queue.Queue[str | None]) -> None:
    """Move the child's reply lines into a queue, so the parent can wait with a timeout."""
    if stream is not None:
        try:
            for line in stream:
                replies.put(line)
        except (OSError, ValueError):  # the stream was closed when the worker was stopped
            pass
    replies.put(None)


_worker: Worker | None = None
_worker_lock = threading.Lock()


def worker() -> Worker:
    """The process-wide symbolic worker (started lazily, stopped at exit)."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = Worker()
            atexit.register(_worker.close)
        return _worker


def main() -> None:  # pragma: no cover - runs in the child process
    """The child's entry point."""
    replies = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the replies
    serve(sys.stdin, replies)
