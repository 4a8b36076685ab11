"""Reports: the graded runs as something a person would rather read than logs."""

from psetbench.report._data import Column, ReportData, ReportError, build_report_data
from psetbench.report._markdown import render_markdown
from psetbench.report._write import write_report

__all__ = [
    "Column",
    "ReportData",
    "ReportError",
    "build_report_data",
    "render_markdown",
    "write_report",
]
