"""Problem-set commands: `validate`, `schema`, `strategies`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from psetbench.cli._common import friendly


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@friendly
def validate(paths: tuple[str, ...]) -> None:
    """Check problem-set files (or folders of them); exit 2 if any is invalid."""
    from psetbench.problemset import validate_file

    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    bad = 0
    for file in files:
        problems = validate_file(file)
        for problem in problems:
            click.echo(str(problem))
        bad += bool(problems)
    if not files:
        click.echo(f"Error: no .yaml files in {', '.join(paths)}", err=True)
        sys.exit(2)
    click.echo(f"{len(files) - bad} of {len(files)} file(s) valid.", err=True)
    if bad:
        sys.exit(2)


@click.command()
@click.option("--labels", "labels", is_flag=True,
              help="The schema of a labels file instead (see docs/format.md).")
def schema(labels: bool) -> None:
    """Print the JSON Schema of the problem-set format (or, with --labels, of labels files)."""
    if labels:
        from psetbench.labels import labels_json_schema

        click.echo(json.dumps(labels_json_schema(), indent=2))
        return
    from psetbench.problemset import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@click.command()
def strategies() -> None:
    """List the turn strategies."""
    from psetbench.strategies import STRATEGIES

    for name, text in STRATEGIES.items():
        click.echo(f"{name:10} {text}")
