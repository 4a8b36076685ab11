"""Run every psetbench benchmark and print one table, with ratios measured side by side.

    python bench/run_all.py [--requests 1000] [--concurrency 32] [--delay 0.05] [--quick]

Absolute times on a shared machine are noise; the ratios between rows measured in the same
run are the figures to quote. Each throughput row is the median of --repeats runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench_grading import grading_cpu_per_part  # noqa: E402
from synthetic import synthetic_set  # noqa: E402


@contextmanager
def fake_server(delay: float, tokens: int = 200) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        proc = subprocess.Popen([sys.executable, str(HERE / "fake_openai.py"), "--port-file",
                                 str(port_file), "--delay", str(delay), "--tokens", str(tokens),
                                 "--lifetime", "900"])
        try:
            deadline = time.monotonic() + 20
            while not port_file.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the fake server did not start")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port_file.read_text()}/v1"
        finally:
            proc.kill()
            proc.wait()


def bare_client(base_url: str, n: int, concurrency: int) -> float:
    """Requests per second of a bare aiohttp client: the ceiling."""

    async def go() -> float:
        sem = asyncio.Semaphore(concurrency)
        body = {"model": "m", "messages": [{"role": "user", "content": "hello"}]}
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency)) as session:

            async def one() -> None:
                async with sem, session.post(f"{base_url}/chat/completions", json=body) as r:
                    await r.json()

            start = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(n)))
            return n / (time.perf_counter() - start)

    return asyncio.run(go())


def plain_inspect(base_url: str, n: int, concurrency: int, log_dir: str) -> float:
    """Samples per second of a plain Inspect eval with default settings, one request each."""
    from inspect_ai import Task, eval
    from inspect_ai.dataset import Sample
    from inspect_ai.solver import generate

    os.environ["FAKE_BASE_URL"] = base_url
    os.environ["FAKE_API_KEY"] = "bench"
    task = Task(dataset=[Sample(input=f"Part {i}: estimate the training compute.", id=i)
                         for i in range(n)], solver=generate(), name="plain")
    start = time.perf_counter()
    eval(task, model="openai-api/fake/m", max_connections=concurrency, log_dir=log_dir,
         display="none")
    return n / (time.perf_counter() - start)


def psetbench_run(base_url: str, n: int, concurrency: int, log_dir: str, workdir: Path,
                  strategy: str = "per-part") -> float:
    """Parts per second of `psetbench run`: per-part makes one request per part, the same
    requests as plain Inspect; one-turn one request per question of five parts."""
    from psetbench.runs import RunOptions, run_set

    os.environ["FAKE_BASE_URL"] = base_url
    os.environ["FAKE_API_KEY"] = "bench"
    set_path = synthetic_set(workdir, parts=n, parts_per_question=5)
    start = time.perf_counter()
    result = run_set(set_path, RunOptions(strategies=(strategy,), model="openai-api/fake/m",
                                          log_dir=log_dir, max_connections=concurrency,
                                          cache=False, display="none"))
    elapsed = time.perf_counter() - start
    if not result.success:
        raise RuntimeError("psetbench run failed")
    return n / elapsed


def median_of(repeats: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer requests, one repeat")
    parser.add_argument("--skip-local", action="store_true", help="skip the embedded model")
    parser.add_argument("--skip-large", action="store_true",
                        help="skip the 10 MB reply and 1 GB export (bench_large.py)")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.repeats = 200, 1
    n, c = args.requests, args.concurrency
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, fake_server(args.delay) as url:
        work = Path(tmp)
        bare = median_of(args.repeats, lambda: bare_client(url, n, c))
        plain = median_of(args.repeats, lambda: plain_inspect(
            url, n, c, tempfile.mkdtemp(dir=work)))
        ours = median_of(args.repeats, lambda: psetbench_run(
            url, n, c, tempfile.mkdtemp(dir=work), Path(tempfile.mkdtemp(dir=work))))
        grouped = median_of(args.repeats, lambda: psetbench_run(
            url, n, c, tempfile.mkdtemp(dir=work), Path(tempfile.mkdtemp(dir=work)),
            strategy="one-turn"))
        rows.append((f"bare aiohttp client, {n} requests, concurrency {c}", f"{bare:.0f} req/s",
                     "ceiling"))
        rows.append(("plain Inspect eval, default settings", f"{plain:.1f} samples/s",
                     f"{plain / bare:.2f}x bare"))
        rows.append((f"psetbench run per-part ({n} parts, {n} requests)", f"{ours:.1f} parts/s",
                     f"{ours / plain:.2f}x plain Inspect, {ours / bare:.2f}x bare"))
        rows.append((f"psetbench run one-turn ({n} parts, {n // 5} requests)",
                     f"{grouped:.1f} parts/s",
                     f"{grouped / plain:.2f}x plain Inspect, {grouped / bare:.2f}x bare"))
    per_part_ms, parts = grading_cpu_per_part()
    rows.append((f"grading CPU per part (segmentation + checks, {parts} parts)",
                 f"{per_part_ms:.2f} ms", "target <= 5 ms"))
    report = _report_row()
    if report:
        rows.append(report)
    if not args.skip_large:
        from bench_large import large_rows

        rows += large_rows(args.quick)
    if not args.skip_local:
        local = _local_row()
        if local:
            rows.append(local)
    width = max(len(r[0]) for r in rows)
    print(f"\npsetbench benchmarks · {time.strftime('%Y-%m-%d')} · {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'benchmark':<{width}}  {'figure':>18}  ratio")
    for name, figure, ratio in rows:
        print(f"{name:<{width}}  {figure:>18}  {ratio}")


def _report_row() -> tuple[str, str, str] | None:
    try:
        from bench_report import report_seconds
    except ImportError:
        return None
    seconds, parts = report_seconds()
    return (f"HTML report, {parts} graded parts", f"{seconds:.2f} s", "target < 5 s")


def _local_row() -> tuple[str, str, str] | None:
    try:
        from bench_local import local_tokens_per_second
    except ImportError:
        return None
    figures = local_tokens_per_second()
    if figures is None:
        return ("embedded model", "skipped", "llama-cpp-python not installed")
    ours, direct = figures
    return ("embedded model through psetbench vs llama-cpp-python",
            f"{ours:.1f} tok/s", f"{ours / direct:.2f}x direct ({direct:.1f} tok/s)")


if __name__ == "__main__":
    main()
