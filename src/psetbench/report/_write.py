"""Write a report file atomically: a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from psetbench.grading import Run
from psetbench.report._data import ReportError, build_report_data
from psetbench.report._markdown import render_markdown


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(runs: list[Run], output: str | Path) -> Path:
    """Render the runs into `output`; the suffix picks the form (.md)."""
    path = Path(output)
    data = build_report_data(runs)
    if path.suffix.lower() in (".md", ".markdown"):
        text = render_markdown(data)
    else:
        raise ReportError(f"{path}: unknown report form {path.suffix!r}; use .md")
    atomic_write(path, text)
    return path
