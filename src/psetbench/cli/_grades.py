"""`grades` and `grade`: read or redo the grades of logs."""

from __future__ import annotations

import json

import click

from psetbench.cli._common import friendly, limit_options, limits_from


@click.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table",
              show_default=True)
@click.option("--regrade", is_flag=True, help="Grade again from the stored replies.")
@friendly
def grades(logs: tuple[str, ...], fmt: str, regrade: bool) -> None:
    """Print every part's grade from logs (files or folders)."""
    from psetbench.grading import read_runs
    from psetbench.runs import grade_rows, print_grades

    runs = read_runs(logs, regrade=regrade)
    if fmt == "jsonl":
        for row in grade_rows(runs):
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        print_grades(runs)


@click.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path())
@click.option("--grader", default=None, help="Model that judges answers against the solutions.")
@click.option("--judge-votes", default=1, show_default=True, type=click.IntRange(min=1),
              help="Ask the judge N times and take the majority.")
@limit_options
@friendly
def grade(logs: tuple[str, ...], grader: str | None, judge_votes: int, request_timeout: int,
          max_retries: int, time_limit: int) -> None:
    """Grade logs again from their stored replies (never calls the solving model)."""
    from psetbench.grading import regrade
    from psetbench.models import using_limits
    from psetbench.runs import print_grades

    with using_limits(limits_from(request_timeout, max_retries, time_limit)):
        runs = regrade(list(logs), grader=grader, votes=judge_votes)
    print_grades(runs)
