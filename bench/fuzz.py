"""Offline fuzz run over every input psetbench reads (not run in CI; tests/test_fuzz.py is the
small version): problem sets, copied text, OpenAI JSON, ChatGPT exports and logs.

    python bench/fuzz.py [--count 10000] [--budget 30]

Prints the inputs tried, how many were handled (exit 0 or a one-line `Error:`), tracebacks
and hangs (past --budget seconds each), and the first few failures in full.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz_inputs import (  # noqa: E402
    JSON,
    TINY,
    chatgpt_exports,
    copied_text,
    in_process,
    openai_json,
    tampered_log,
    yaml_sets,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs in all")
    parser.add_argument("--budget", type=int, default=30, help="seconds allowed per input")
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    failures: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="psetbench-fuzz-"))
    shutil.copytree(TINY.parent, work / "set")
    good = _good_log(work)

    def record(kind: str, detail: str, what: str) -> None:
        counts[kind] += 1
        counts["inputs"] += 1
        if kind != "handled" and len(failures) < 10:
            failures.append(f"[{kind}] {what}: {detail}")

    share = max(1, args.count // 3)
    fuzz = settings(max_examples=share, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

    @fuzz
    @given(text=yaml_sets())
    def sets(text: str) -> None:
        path = work / "set" / "fuzz.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        record(*in_process(["validate", str(path)], args.budget), f"set {text[:80]!r}")

    @fuzz
    @given(text=copied_text() | openai_json() | chatgpt_exports())
    def transcripts(text: str) -> None:
        path = work / "conversation.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        record(*in_process(["import", str(path), "--set", str(TINY), "--dry-run"],
                           args.budget), f"transcript {text[:80]!r}")

    @settings(fuzz, max_examples=max(1, args.count - 2 * share))
    @given(change=JSON, garbage=st.binary(max_size=64))
    def logs(change: Any, garbage: bytes) -> None:
        folder = work / "logs"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        tampered_log(good, folder / "tampered.eval", change)
        (folder / "garbage.eval").write_bytes(garbage)
        record(*in_process(["grades", str(folder)], args.budget), f"log metadata {change!r}"[:200])

    start = time.perf_counter()
    for run in (sets, transcripts, logs):
        run()
    elapsed = time.perf_counter() - start
    shutil.rmtree(work, ignore_errors=True)
    print(f"inputs {counts['inputs']}  handled {counts['handled']}  "
          f"tracebacks {counts['traceback']}  hangs {counts['hang']}  ({elapsed:.0f} s)")
    for line in failures:
        print(line)
    sys.exit(1 if counts["traceback"] or counts["hang"] else 0)


def _good_log(work: Path) -> Path:
    from click.testing import CliRunner

    from psetbench.cli import main as cli

    copied = TINY.parent.parent / "transcripts" / "tiny_copied.txt"
    result = CliRunner().invoke(cli, ["import", str(copied), "--set", str(TINY),
                                      "--log-dir", str(work / "good")])
    if result.exit_code != 0:
        raise SystemExit(f"could not write the seed log: {result.output}")
    return next((work / "good").glob("*.eval"))


if __name__ == "__main__":
    main()
