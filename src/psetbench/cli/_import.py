"""`psetbench import`: chat conversations as graded logs."""

from __future__ import annotations

import click

from psetbench.cli._common import format_name, friendly, strategy_name


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--set", "set_file", required=True, type=click.Path(dir_okay=False),
              help="The problem set the conversation is about.")
@click.option("--model", "-m", default=None,
              help="The model that answered, as reports should name it "
                   "(default imported/unknown).")
@click.option("--strategy", "-s", default=None, type=strategy_name(),
              help="The strategy to record (default: inferred from the conversation).")
@click.option("--questions", default=None, help="Only these questions, e.g. 1,2.")
@click.option("--log-dir", default=None,
              help="Where the log goes (default psetbench-logs/SET/MODEL).")
@click.option("--format", "fmt", type=format_name(), default=None,
              help="The files' format (default: detected from the content).")
@click.option("--conversation", default=None,
              help="Which conversation of a chat-app export: its title or id.")
@click.option("--dry-run", is_flag=True, help="Print the mapping and write nothing.")
@friendly
def import_(files: tuple[str, ...], set_file: str, model: str | None, strategy: str | None,
            questions: str | None, log_dir: str | None, fmt: str | None,
            conversation: str | None, dry_run: bool) -> None:
    """Import conversations from chat apps (copied text or exports) as a graded log."""
    from psetbench.importers import import_conversation
    from psetbench.runs import print_grades

    wanted = [q.strip() for q in (questions or "").split(",") if q.strip()]
    result = import_conversation(
        list(files), set_file, model=model, strategy=strategy, questions=wanted or None,
        log_dir=log_dir, fmt=fmt, conversation=conversation, dry_run=dry_run)
    click.echo(result.describe())
    if result.run is not None:
        print_grades([result.run])
