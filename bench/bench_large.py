"""Time and peak memory of importing very large input, each in a fresh child process:

* a 10 MB reply (copied text: paragraphs, one single line, and 2 M short lines), imported and
  graded against the tiny set;
* a 1 GB ChatGPT `conversations.json` (synthetic, written by streaming), one conversation
  picked with --conversation, so the export is streamed rather than held.

    python bench/bench_large.py [--quick]

--quick uses a 1 MB reply and a 64 MB export. Peak memory is the child's max RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny" / "tiny.yaml"
EXPORT = ROOT / "tests" / "fixtures" / "transcripts" / "tiny_chatgpt_export.json"
PARAGRAPH = ("Each parameter is a 16-bit float, i.e. 2 bytes, so the weights take **2 TB** in "
             "total (part a). ")


def reply_file(folder: Path, kind: str, size: int) -> Path:
    if kind == "one line":
        body = (PARAGRAPH * (size // len(PARAGRAPH) + 1))[:size]
    elif kind == "short lines":
        body = "\n".join(f"x{i % 10}" for i in range(size // 3))
    else:
        body = "\n\n".join([PARAGRAPH] * (size // (len(PARAGRAPH) + 2)))
    path = folder / f"reply-{kind.replace(' ', '-')}.txt"
    path.write_text("You said:\n(a) How many bytes do the weights take?\nChatGPT said:\n"
                    + body + "\n")
    return path


def export_file(folder: Path, size: int) -> Path:
    """A ChatGPT export of about `size` bytes: filler conversations, the homework one in the
    middle. Written a conversation at a time, so building it holds little memory."""
    homework = json.loads(EXPORT.read_text())[1]
    filler = dict(homework, title="filler", conversation_id="filler")
    node = next(n for n in filler["mapping"].values() if n.get("message"))
    text = "Some other conversation. " * 4000  # ~100 KB per filler conversation
    node = dict(node, message=dict(node["message"], content={"content_type": "text",
                                                              "parts": [text]}))
    filler["mapping"] = {**filler["mapping"], node["id"]: node}
    one = json.dumps(filler)
    count = max(2, size // len(one))
    path = folder / "conversations.json"
    with path.open("w") as f:
        f.write("[")
        for i in range(count):
            if i:
                f.write(",")
            f.write(json.dumps(homework) if i == count // 2 else
                    one.replace('"filler"', f'"filler {i}"', 2))
        f.write("]")
    return path


def measure(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one psetbench command in a fresh child."""
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"psetbench {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    seconds, peak = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


def child(args: list[str]) -> None:
    from psetbench.cli import main

    start = time.perf_counter()
    try:
        main(args, standalone_mode=False)
    finally:
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{seconds:.2f} {peak_mb:.0f}")


def large_rows(quick: bool) -> list[tuple[str, str, str]]:
    """Rows for bench/run_all.py: (benchmark, figure, note)."""
    reply_size = 1_000_000 if quick else 10_000_000
    export_size = 64 << 20 if quick else 1 << 30
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in ("paragraphs", "one line", "short lines"):
            path = reply_file(folder, kind, reply_size)
            seconds, peak = measure(["import", str(path), "--set", str(TINY),
                                     "--log-dir", str(folder / "logs")])
            rows.append((f"import + grade a {reply_size / 1e6:.0f} MB reply ({kind})",
                         f"{seconds:.1f} s", f"peak {peak:.0f} MB"))
            path.unlink()
        build = time.perf_counter()
        path = export_file(folder, export_size)
        built = time.perf_counter() - build
        seconds, peak = measure(["import", str(path), "--set", str(TINY), "--conversation",
                                 "Storage homework", "--log-dir", str(folder / "logs")])
        rows.append((f"import one conversation of a {path.stat().st_size / 1e6:.0f} MB "
                     "ChatGPT export", f"{seconds:.1f} s",
                     f"peak {peak:.0f} MB (export written in {built:.0f} s)"))
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 MB reply, 64 MB export")
    args = parser.parse_args()
    rows = large_rows(args.quick)
    width = max(len(r[0]) for r in rows)
    for name, figure, note in rows:
        print(f"{name:<{width}}  {figure:>8}  {note}")


if __name__ == "__main__":
    main()
