"""Hypothesis strategies for hostile input, shared by tests/test_fuzz.py (small, in CI) and
bench/fuzz.py (large, offline), and the checker that runs one input through the CLI.

An outcome is "handled" (exit 0, or exit 2 with `Error:` lines), a "traceback" (any other
exit, or a Python traceback on stderr) or a "hang" (past the time budget)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny" / "tiny.yaml"
EXPORT = FIXTURES / "transcripts" / "tiny_chatgpt_export.json"

_WEIRD = st.sampled_from(["", "\x00", "é", "∞", "1e400", "10^400", ".inf", ".nan", "NaN",
                          "-0", "&a", "*a", "{", "[", "'", '"', ":", "- ", "\t", "\n", "%",
                          "!!python/object", "~", "0x1F", "1_000", "2 TB", "GPU"])
TEXT = st.text(max_size=40) | _WEIRD
SCALAR: st.SearchStrategy[Any] = (st.none() | st.booleans() | st.integers()
                                  | st.floats(allow_nan=True, allow_infinity=True) | TEXT)
JSON = st.recursive(SCALAR, lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(TEXT, kids, max_size=4), max_leaves=12)


@st.composite
def yaml_sets(draw: st.DrawFn) -> str:
    """The tiny set's text with a few lines or values changed, or YAML-ish noise."""
    lines = TINY.read_text().splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        key, sep, _value = lines[i].partition(": ")
        choice = draw(st.integers(0, 3))
        if choice == 0 and sep:
            lines[i] = f"{key}: {draw(_WEIRD | TEXT)}"
        elif choice == 1:
            lines[i] = draw(TEXT)
        elif choice == 2:
            lines.insert(i, lines[i])
        else:
            del lines[i]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["x: &a [1, *a]", "x: *nope", "? [1]\n: 2",
                                           "x: &a [a, a]\ny: &b [*a, *a, *a]"])))
    return "\n".join(lines) + "\n"


@st.composite
def copied_text(draw: st.DrawFn) -> str:
    turns = ["You said:", "ChatGPT said:", "User:", "Assistant:", "## user", "## assistant",
             "(a)", "(b)", "1.", "**Answer:**", "```", "$$", "2 TB", "25 GPUs", "True"]
    pieces = draw(st.lists(st.sampled_from(turns) | TEXT, min_size=1, max_size=20))
    return "\n".join(pieces)


@st.composite
def chatgpt_exports(draw: st.DrawFn) -> str:
    data = json.loads(EXPORT.read_text())[1:]  # the homework conversation alone
    conv = data[0]
    nodes = list(conv["mapping"].values())
    targets = [conv, *nodes, *[n["message"] for n in nodes if n.get("message")]]
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(targets))  # dicts of the original export, changed in place
        key = draw(st.sampled_from(sorted(target, key=str) or ["x"]))
        target[key] = draw(JSON)
    return json.dumps(data)


@st.composite
def openai_json(draw: st.DrawFn) -> str:
    role = st.sampled_from(["user", "assistant", "system", "tool", "bot", "x"]) | TEXT
    msg = st.fixed_dictionaries({"role": role, "content": JSON | TEXT})
    return json.dumps(draw(st.lists(msg, max_size=6) | JSON))


def tampered_log(good: Path, target: Path, change: Any) -> Path:
    """A copy of a log with its psetbench metadata replaced by `change` (any JSON)."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("header.json", "_journal/start.json"):
                doc = json.loads(data)
                doc["eval"]["metadata"]["psetbench"] = change
                data = json.dumps(doc).encode()
            dst.writestr(info, data)
    return target


def outcome(args: list[str], timeout: float = 60) -> tuple[str, str]:
    """("handled" | "traceback" | "hang", the tail of stderr) for one CLI call."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    try:
        done = subprocess.run([sys.executable, "-m", "psetbench", *args], capture_output=True,
                              text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return "hang", ""
    tail = done.stderr[-1500:]
    if "Traceback" in done.stderr or done.returncode not in (0, 1, 2):
        return "traceback", tail
    if done.returncode != 0 and "Error:" not in done.stderr + done.stdout \
            and "valid." not in done.stderr:
        return "traceback", tail
    return "handled", tail


class Hang(Exception):
    """Raised by the alarm when one input runs past its time budget."""


@contextmanager
def budget(seconds: int) -> Iterator[None]:
    """Raise Hang after `seconds`; signal.alarm works in the main thread only."""
    def ring(_signum: int, _frame: Any) -> None:
        raise Hang

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def in_process(args: list[str], seconds: int = 30) -> tuple[str, str]:
    """outcome() without a new interpreter per input: click's runner, under an alarm."""
    from click.testing import CliRunner

    from psetbench.cli import main

    try:
        with budget(seconds):
            result = CliRunner().invoke(main, args)
    except Hang:
        return "hang", ""
    if isinstance(result.exception, Hang):
        return "hang", ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "traceback", f"{type(result.exception).__name__}: {result.exception}"[:1500]
    if result.exit_code not in (0, 2):
        return "traceback", result.output[-1500:]
    if result.exit_code == 2 and "Error:" not in result.output \
            and "valid." not in result.output:
        return "traceback", result.output[-1500:]
    return "handled", result.output[-300:]
