"""Reports: the graded runs as something a person would rather read than logs.

`write_report(runs, "report.html")` writes one self-contained HTML page; `.md` writes
GitHub-flavoured Markdown with the plots as SVG files beside it; `.json` (or `form="json"`)
writes the same data for other tools. No model is ever called.
"""

from psetbench.report._build import build_report_data
from psetbench.report._data import Column, Header, ReportData, ReportError
from psetbench.report._html import render_html
from psetbench.report._json import SCHEMA_VERSION, report_dict
from psetbench.report._markdown import render_markdown
from psetbench.report._patterns import Pattern
from psetbench.report._suggest import Suggestion
from psetbench.report._synthetic import synthetic_runs
from psetbench.report._write import FORMS, report_form, report_json, write_report

__all__ = [
    "FORMS",
    "SCHEMA_VERSION",
    "Column",
    "Header",
    "Pattern",
    "ReportData",
    "ReportError",
    "Suggestion",
    "build_report_data",
    "render_html",
    "render_markdown",
    "report_dict",
    "report_form",
    "report_json",
    "synthetic_runs",
    "write_report",
]
