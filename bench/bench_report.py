"""Time report generation for 10,000 graded parts (synthetic runs, no model, no logs).

    python bench/bench_report.py [--questions 100] [--parts 20] [--strategies 5] [--epochs 1]

Prints the seconds for each stage (building the runs is not counted: it stands in for reading
logs) and the size of each file. Target: data + HTML in under 5 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from psetbench.report import build_report_data, render_html, render_markdown, synthetic_runs
from psetbench.report._json import report_dict
from psetbench.report._synthetic import STRATEGIES


def _timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def report_seconds(questions: int = 100, parts: int = 20, strategies: int = 5,
                   epochs: int = 1) -> tuple[float, int]:
    """(seconds for report data + HTML, graded parts): the row `run_all.py` prints."""
    runs = synthetic_runs(questions=questions, parts=parts, strategies=STRATEGIES[:strategies],
                          epochs=epochs)
    start = time.perf_counter()
    render_html(build_report_data(runs))
    return time.perf_counter() - start, sum(len(r.grades) for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--parts", type=int, default=20, help="parts per question")
    parser.add_argument("--strategies", type=int, default=5, choices=range(1, 6))
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    runs, t_runs = _timed(lambda: synthetic_runs(
        questions=args.questions, parts=args.parts, strategies=STRATEGIES[:args.strategies],
        epochs=args.epochs))
    graded = sum(len(r.grades) for r in runs)
    data, t_data = _timed(lambda: build_report_data(runs))
    html, t_html = _timed(lambda: render_html(data))
    md, t_md = _timed(lambda: render_markdown(data))
    import json

    doc, t_json = _timed(lambda: json.dumps(report_dict(data)))
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "report.html").write_text(html, encoding="utf-8")
        size = Path(tmp, "report.html").stat().st_size
    print(f"report benchmark · {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"{graded:,} graded parts: {args.questions} questions x {args.parts} parts x "
          f"{args.strategies} strategies x {args.epochs} epoch(s) "
          f"(synthetic runs built in {t_runs:.2f} s, not counted)")
    print(f"  report data (scores, intervals, patterns)  {t_data:6.2f} s")
    print(f"  HTML rendering                             {t_html:6.2f} s   "
          f"{size / 1e6:.1f} MB")
    print(f"  data + HTML                                {t_data + t_html:6.2f} s   "
          f"target < 5 s")
    print(f"  Markdown rendering                         {t_md:6.2f} s   "
          f"{len(md.encode()) / 1e6:.1f} MB")
    print(f"  JSON                                       {t_json:6.2f} s   "
          f"{len(doc.encode()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
