"""Write a report file atomically: a reader never sees half of one."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from psetbench._fileutil import write_text_atomically
from psetbench.report._build import build_report_data
from psetbench.report._data import ReportData, ReportError
from psetbench.report._html import render_html
from psetbench.report._json import report_dict
from psetbench.report._markdown import render_markdown
from psetbench.report._svg import plots
from psetbench.report._ta import with_labels

if TYPE_CHECKING:
    from inspect_ai.model import Model

    from psetbench.labels import LabelsFile

from psetbench.grading import Run

Form = Literal["html", "md", "json"]
FORMS: tuple[str, ...] = ("html", "md", "json")
SUFFIXES: dict[str, Form] = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
                             ".json": "json"}


def atomic_write(path: Path, text: str) -> None:
    """The report in `path`, whole or not at all; an unwritable place is a ReportError."""
    try:
        write_text_atomically(path, text)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write here ({exc.strerror or exc}); "
                          "choose another file") from None


def report_form(path: Path, form: str | None) -> Form:
    """The form asked for, or the one the file's suffix names."""
    if form is not None:
        if form not in FORMS:
            raise ReportError(f"unknown report format {form!r}; use one of {', '.join(FORMS)}")
        return form  # type: ignore[return-value]
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise ReportError(f"{path}: unknown report form {path.suffix!r}; name the file .html, "
                          ".md or .json, or give --format")
    return found


def report_json(runs: Sequence[Run], comparisons: Sequence[Any] | None = None, *,
                labels: str | Path | LabelsFile | None = None) -> dict[str, Any]:
    """The report's data as a JSON-ready dict (schema_version 1, see docs/reports.md)."""
    return report_dict(report_data(runs, comparisons, labels))


def report_data(runs: Sequence[Run], comparisons: Sequence[Any] | None = None,
                labels: str | Path | LabelsFile | None = None) -> ReportData:
    """The report's data; with a TA's `labels`, the "Grader vs TA" figures, and the TA's
    verdicts over the machine's in the scores."""
    if labels is None:
        return build_report_data(runs, comparisons)
    labelled, calibration = with_labels(runs, labels)
    data = build_report_data(labelled, comparisons)
    data.calibration = calibration
    return data


def render(data: ReportData, form: Form, path: Path) -> str:
    """The report text; for Markdown, also writes the plots as SVG files beside `path`."""
    if form == "html":
        return render_html(data)
    if form == "json":
        return json.dumps(report_dict(data), ensure_ascii=False, indent=1) + "\n"
    files: dict[str, str] = {}
    for name, svg in plots(data).items():
        file = path.with_name(f"{path.stem}-{name}.svg")
        atomic_write(file, svg + "\n")
        files[name] = file.name
    return render_markdown(data, files)


def write_report(
    runs: Sequence[Run],
    output: str | Path,
    *,
    form: str | None = None,
    comparisons: Sequence[Any] | None = None,
    narrate_with: str | Model | None = None,
    labels: str | Path | LabelsFile | None = None,
    warn: Callable[[str], None] | None = None,
) -> Path:
    """Render the runs into `output`. The suffix (.html, .md, .json) picks the form unless
    `form` is given; a Markdown report's plots are written beside it as NAME-*.svg. With a
    TA's `labels` (a file or a loaded `LabelsFile`), the report has a "Grader vs TA" section
    and the TA's verdicts count in the scores; `warn` is told each of its warnings."""
    path = Path(output)
    chosen = report_form(path, form)
    data = report_data(runs, comparisons, labels)
    if warn is not None and data.calibration is not None:
        for warning in data.calibration.warnings:
            warn(warning)
    if narrate_with is not None:
        from psetbench.report._narrate import narrate

        narrate(data, narrate_with)
    atomic_write(path, render(data, chosen, path))
    return path
