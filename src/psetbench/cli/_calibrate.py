"""`calibrate`: the grades of logs measured against a TA's labels."""

from __future__ import annotations

import sys

import click

from psetbench.cli._common import friendly, limit_options, limits_from


@click.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path())
@click.option("--labels", "labels_path", required=True, type=click.Path(dir_okay=False),
              help="The TA's labels file (see docs/format.md, Labels files).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for tools (docs/calibrate.md).")
@click.option("--min-kappa", type=click.FloatRange(-1.0, 1.0), default=None, metavar="K",
              help="Exit 1 when Cohen's kappa is below K (or undefined): a result, for CI.")
@click.option("--tolerance", type=click.FloatRange(0.0, 1.0), default=0.1, show_default=True,
              help="Largest credit difference (out of 1) that still agrees.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the bootstrap interval of kappa.")
@click.option("--regrade", is_flag=True,
              help="Grade the labelled parts again (on copies; the logs are left as they "
                   "are) and print the agreement before and after.")
@click.option("--grader", default=None, metavar="MODEL",
              help="With --regrade: the judge model (current judge settings).")
@click.option("--judge-votes", default=1, show_default=True, type=click.IntRange(min=1),
              help="With --regrade: ask the judge N times and take the majority.")
@limit_options
@friendly
def calibrate(logs: tuple[str, ...], labels_path: str, fmt: str, min_kappa: float | None,
              tolerance: float, seed: int, regrade: bool, grader: str | None, judge_votes: int,
              request_timeout: int, max_retries: int, time_limit: int) -> None:
    """Measure the grades in LOGS against a TA's labels: agreement, kappa, confusion."""
    from psetbench.calibrate import (
        Calibration,
        calibrate_regrade,
        format_before_after,
        format_table,
        kappa_text,
        to_json,
    )
    from psetbench.calibrate import calibrate as run_calibrate
    from psetbench.models import using_limits

    if (grader is not None or judge_votes != 1) and not regrade:
        raise click.UsageError("--grader and --judge-votes re-judge the labelled parts; add "
                               "--regrade")
    result: Calibration
    if regrade:
        with using_limits(limits_from(request_timeout, max_retries, time_limit)):
            both = calibrate_regrade(logs, labels_path, grader=grader, votes=judge_votes,
                                     tolerance=tolerance, seed=seed)
        result = both.after
        _warn(both.after.warnings)
        if fmt == "json":
            click.echo(_dumps({"before": to_json(both.before), "after": to_json(both.after),
                               "grader": grader, "votes": judge_votes}))
        else:
            click.echo(format_before_after(both.before, both.after, grader))
            click.echo("")
            click.echo("After:")
            click.echo(format_table(both.after))
    else:
        result = run_calibrate(logs, labels_path, tolerance=tolerance, seed=seed)
        _warn(result.warnings)
        click.echo(_dumps(to_json(result)) if fmt == "json" else format_table(result))
    if min_kappa is not None:
        kappa = result.overall.kappa.value
        if kappa is None or kappa < min_kappa:
            click.echo(f"kappa {kappa_text(result.overall)} is below --min-kappa {min_kappa:g}",
                       err=True)
            sys.exit(1)


def _warn(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"Warning: {line}", err=True)


def _dumps(data: object) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False)
