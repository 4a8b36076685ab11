"""`psetbench draft`: a problem-set YAML drafted from a course's homework files."""

from __future__ import annotations

import click

from psetbench.cli._common import friendly


@click.command()
@click.argument("homework", type=click.Path(dir_okay=False))
@click.option("--solutions", type=click.Path(dir_okay=False), default=None,
              help="A separate solutions file (.tex, .pdf, .md, .txt), aligned by label.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The set to write (SET.yaml); figures go to figures/ beside it.")
@click.option("--model", default=None, metavar="MODEL",
              help="An Inspect model that rewords prompts and proposes checks (labelled as "
                   "its proposals); without it the draft is deterministic.")
@click.option("--force", is_flag=True, help="Overwrite an existing output and figures.")
@friendly
def draft(homework: str, solutions: str | None, output: str, model: str | None,
          force: bool) -> None:
    """Draft a problem set from homework files (.tex, .pdf, .md, .txt) for a TA to review."""
    from psetbench.draft import draft_set, format_summary

    summary = draft_set(homework, output, solutions=solutions, model=model, force=force)
    click.echo(format_summary(summary))
