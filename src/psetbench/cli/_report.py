"""`report`, `view` and `compare`: what people read."""

from __future__ import annotations

import json
from pathlib import Path

import click

from psetbench.cli._common import friendly, limit_options, limits_from


@click.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", default="report.html", show_default=True,
              help="Report file; its suffix (.html, .md, .json) picks the form.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json"]), default=None,
              help="Report form, whatever the file is called.")
@click.option("--regrade", is_flag=True, help="Grade again from the stored replies.")
@click.option("--narrate", default=None, metavar="MODEL",
              help="Have MODEL rewrite the derived suggestions as a paragraph.")
@click.option("--compare", "compare_pairs", nargs=2, multiple=True, metavar="LOG_A LOG_B",
              help="Add a head-to-head section for two logs (repeatable; grades only).")
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False), default=None,
              help="A TA's labels: a Grader vs TA section, TA verdicts in the scores  "
                   "[default: labels.yaml in the log folder, if there]")
@click.option("--no-labels", is_flag=True,
              help="Leave out the labels file of the log folder (not with --labels).")
@limit_options
@friendly
def report(logs: tuple[str, ...], output: str, fmt: str | None, regrade: bool,
           narrate: str | None, compare_pairs: tuple[tuple[str, str], ...],
           labels_path: str | None, no_labels: bool,
           request_timeout: int, max_retries: int, time_limit: int) -> None:
    """Write a report from graded logs; calls a model only with --narrate."""
    from psetbench.calibrate import CalibrateError
    from psetbench.compare import compare_logs
    from psetbench.grading import read_runs
    from psetbench.labels import default_labels_path
    from psetbench.models import check_model, limited_model, model_failures, using_limits
    from psetbench.report import ReportError, write_report

    if no_labels and labels_path is not None:
        raise ReportError(f"--labels {labels_path} and --no-labels contradict each other; give "
                          "--labels to use that file, or --no-labels to leave labels out")
    labels = labels_path or (None if no_labels else default_labels_path(logs))
    comparisons = [compare_logs(a, b) for a, b in compare_pairs]
    with using_limits(limits_from(request_timeout, max_retries, time_limit)):
        narrator = limited_model(check_model(narrate, role="narrate")) if narrate else None
        runs = read_runs(logs, regrade=regrade)

        def write(labels: str | Path | None) -> Path:
            with model_failures(narrate, role="narrate"):  # --narrate's call, outside an eval
                return write_report(runs, output, form=fmt, comparisons=comparisons,
                                    narrate_with=narrator, labels=labels,
                                    warn=lambda line: click.echo(f"Warning: {line}", err=True))

        try:
            path = write(labels)
        except CalibrateError as exc:
            if labels_path is not None:
                raise
            click.echo(f"Warning: {exc} (report written without them)", err=True)
            path = write(None)
    click.echo(f"Report: {path}")


@click.command()
@click.argument("log_dir", type=click.Path(file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free port, printed at start).")
@click.option("--inspect-port", type=click.IntRange(1, 65535), default=7575, show_default=True,
              help="Port of `inspect view`, for the transcript links.")
@click.option("--review", is_flag=True,
              help="Print the address of the review queue, where a TA labels the grades.")
@click.option("--labels", type=click.Path(dir_okay=False), default=None,
              help="Labels file the review page reads and writes  [default: LOG_DIR/labels.yaml]")
@click.option("--reviewer", default=None, metavar="NAME",
              help="Name signed on each label  [default: the OS user]")
@friendly
def view(log_dir: str, port: int, inspect_port: int, review: bool, labels: str | None,
         reviewer: str | None) -> None:
    """Serve the runs and reports of a log folder on 127.0.0.1, and the review queue."""
    from psetbench.view import serve

    serve(log_dir, port=port, inspect_port=inspect_port, labels=labels, reviewer=reviewer,
          review=review)


@click.command()
@click.argument("log_a", type=click.Path())
@click.argument("log_b", type=click.Path())
@click.option("--judge", "--grader", "judge", default=None,
              help="Model that decides tied parts, asked in both orders.")
@click.option("--pairwise", type=click.Choice(["ties", "all"]), default="ties", show_default=True,
              help="Ask the judge about tied parts only, or about every part.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@limit_options
@friendly
def compare(log_a: str, log_b: str, judge: str | None, pairwise: str, fmt: str,
            request_timeout: int, max_retries: int, time_limit: int) -> None:
    """Compare two runs of one set part by part, with paired statistics."""
    from psetbench.compare import compare_logs, format_comparison
    from psetbench.models import model_failures, using_limits

    with using_limits(limits_from(request_timeout, max_retries, time_limit)), \
            model_failures(judge, role="judge"):
        comparison = compare_logs(log_a, log_b, judge=judge, pairwise=pairwise)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_dict(), indent=2))
    else:
        click.echo(format_comparison(comparison))
