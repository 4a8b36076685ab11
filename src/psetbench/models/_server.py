"""Run a local OpenAI-compatible server as a child process, and always stop it.

The server runs in its own process group (so Ctrl-C in a terminal reaches psetbench, which then
stops the server in order) and is stopped on every way out of the `with` block. Safety nets for
the ways out that skip `finally`: an atexit hook, SIGTERM/SIGHUP handlers, and, on Linux, a
parent-death signal set inside the child, so even a killed psetbench leaves no server behind.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from types import FrameType
from typing import IO, Any

from psetbench.models._types import ModelError

# Runs a module like `python -m`, after asking Linux to SIGTERM this process when its parent
# dies (prctl PR_SET_PDEATHSIG = 1); elsewhere the prctl call is skipped.
CHILD_BOOTSTRAP = """\
import ctypes, os, runpy, signal, sys
try:
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
except (AttributeError, OSError):
    pass
if os.getppid() != int(os.environ.get("PSETBENCH_PARENT_PID", os.getppid())):
    sys.exit("psetbench exited before its model server started")
module = sys.argv[1]
sys.argv = [module, *sys.argv[2:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""

STOP_GRACE_S = 5.0

_live: dict[int, subprocess.Popen[bytes]] = {}
_live_lock = threading.Lock()
_safety_net_installed = False


def python_module_command(module: str, *args: str) -> list[str]:
    """argv that runs `python -m module args...` under the parent-death bootstrap."""
    return [sys.executable, "-c", CHILD_BOOTSTRAP, module, *args]


def free_port(preferred: int | None = None) -> int:
    """`preferred` if it can be bound on 127.0.0.1 now, else a port the OS picks."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise ModelError("No free port on 127.0.0.1 for the local model server")


def answers(base_url: str, timeout: float = 2.0) -> bool:
    """True when GET {base_url}/models answers 200 (proxies bypassed: this is loopback)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{base_url}/models", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, ValueError):  # URLError, connection refused/reset, timeouts
        return False


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server's process group, then kill it if it lingers."""
    with _live_lock:
        _live.pop(proc.pid, None)
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, STOP_GRACE_S)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, sig)
            elif sig == signal.SIGTERM:
                proc.terminate()
            else:
                proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait)
            return


def stop_all() -> None:
    """Stop every server this process started and has not stopped yet."""
    with _live_lock:
        procs = list(_live.values())
    for proc in procs:
        stop(proc)


def _on_signal(previous: Any) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop_all()
        if callable(previous):
            previous(signum, frame)
        else:  # the default action: die of the same signal
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    return handler


def _install_safety_net() -> None:
    global _safety_net_installed
    if _safety_net_installed:
        return
    _safety_net_installed = True
    atexit.register(stop_all)
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        previous = signal.getsignal(sig)
        if previous is not signal.SIG_IGN and previous is not None:
            signal.signal(sig, _on_signal(previous))


def _tail(log: IO[bytes], lines: int = 3, chars: int = 400) -> str:
    log.flush()
    log.seek(0)
    text = log.read().decode("utf-8", errors="replace")
    kept = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    joined = " | ".join(kept) or "(no output on stderr)"
    return joined if len(joined) <= chars else "..." + joined[-chars:]


def _start(argv: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PSETBENCH_PARENT_PID": str(os.getpid())}
    extra: dict[str, Any] = {}
    if sys.platform == "win32":
        extra["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        extra["start_new_session"] = True  # own session and process group
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, env=env, **extra
    )
    with _live_lock:
        _live[proc.pid] = proc
    return proc


def _wait_ready(
    proc: subprocess.Popen[bytes], base_url: str, log: IO[bytes], label: str, timeout: float,
    hint: str,
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            raise ModelError(
                f"The model server for {label} exited (code {code}) before answering: "
                f"{_tail(log)}. {hint}"
            )
        if answers(base_url):
            return
        if time.monotonic() > deadline:
            raise ModelError(
                f"The model server for {label} did not answer within {timeout:g} s: "
                f"{_tail(log)}. {hint}"
            )
        time.sleep(0.1)


@contextlib.contextmanager
def local_server(
    command: Callable[[int], list[str]],
    *,
    label: str,
    preferred_port: int | None = None,
    timeout: float = 120.0,
    hint: str = "",
) -> Iterator[str]:
    """Start `command(port)` on a free loopback port; yield its base URL ending in `/v1`.

    `preferred_port` is tried first, so the URL (which Inspect's response cache keys on) stays
    the same from run to run when that port is free; if the server cannot bind it, one more try
    goes to a port the OS picks. The server is stopped when the block exits, however it exits.
    """
    _install_safety_net()
    with tempfile.TemporaryFile() as log:
        port = free_port(preferred_port)
        proc: subprocess.Popen[bytes] | None = None
        try:
            for attempt in (1, 2):
                base_url = f"http://127.0.0.1:{port}/v1"
                log.seek(0)
                log.truncate()
                proc = _start(command(port), log)
                try:
                    _wait_ready(proc, base_url, log, label, timeout, hint)
                    break
                except ModelError:
                    stop(proc)
                    if attempt == 2 or "address already in use" not in _tail(log, 20, 5000):
                        raise
                    port = free_port()
            yield base_url
        finally:
            if proc is not None:
                stop(proc)
