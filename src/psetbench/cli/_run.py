"""`psetbench run`: solve a set under strategies, grade it, write the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from psetbench.cli._common import (
    friendly,
    limit_options,
    limits_from,
    parse_model_args,
    strategy_name,
)


@click.command()
@click.argument("set_file", type=click.Path(dir_okay=False))
@click.option("--model", "-m", default=None,
              help="Inspect model name (openai/gpt-4o, anthropic/..., ollama/...), "
                   "'local' (default: the embedded model) or local/PATH.gguf.")
@click.option("--strategy", "-s", "strategies", multiple=True, type=strategy_name(),
              help="Turn strategy (repeatable; default one-turn and per-part; "
                   "`psetbench strategies` describes them).")
@click.option("--prompt", default="expert", show_default=True,
              help="expert, plain, or a YAML file of Jinja2 templates.")
@click.option("--epochs", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--log-dir", default=None, help="Where logs go (default psetbench-logs/SET/MODEL).")
@click.option("--model-arg", "model_args", multiple=True, help="KEY=VALUE passed to the model.")
@click.option("--grader", default=None,
              help="Model that judges each answer against the official solution.")
@click.option("--judge-votes", default=1, show_default=True, type=click.IntRange(min=1),
              help="Ask the judge N times and take the majority.")
@click.option("--max-connections", type=click.IntRange(min=1), default=None)
@click.option("--max-tokens", type=click.IntRange(min=1), default=None)
@click.option("--temperature", type=float, default=None)
@click.option("--no-cache", is_flag=True, help="Do not reuse cached model responses.")
@click.option("--report", "report_path", default=None,
              help="Report file to write; .html, .md or .json (default LOG_DIR/report.html).")
@click.option("--display", type=click.Choice(["full", "rich", "plain", "log", "none"]),
              default=None, help="Inspect's progress display.")
@click.option("--live", is_flag=True,
              help="Stream sample events so `inspect view` shows running samples (slower).")
@limit_options
@friendly
def run(set_file: str, model: str | None, strategies: tuple[str, ...], prompt: str, epochs: int,
        log_dir: str | None, model_args: tuple[str, ...], grader: str | None, judge_votes: int,
        max_connections: int | None, max_tokens: int | None, temperature: float | None,
        no_cache: bool, report_path: str | None, display: str | None, live: bool,
        request_timeout: int, max_retries: int, time_limit: int) -> None:
    """Run a problem set under one or more strategies, grade it and write the report."""
    from psetbench.report import report_form, write_report
    from psetbench.runs import DEFAULT_STRATEGIES, RunOptions, print_summary, run_set

    options = RunOptions(
        strategies=strategies or DEFAULT_STRATEGIES, model=model, prompt=prompt, epochs=epochs,
        log_dir=log_dir, model_args=parse_model_args(model_args), max_connections=max_connections,
        max_tokens=max_tokens, temperature=temperature, cache=not no_cache, display=display,
        grader=grader, judge_votes=judge_votes, live=live,
        limits=limits_from(request_timeout, max_retries, time_limit),
    )
    if report_path is not None:
        report_form(Path(report_path), None)  # an unknown suffix fails before any model call
    result = run_set(set_file, options)
    print_summary(result)
    if result.runs:
        path = write_report(result.runs, report_path or Path(result.log_dir) / "report.html")
        click.echo(f"Report: {path}")
    if not result.success:
        click.echo("Some samples failed; run the same command again to retry them.", err=True)
        sys.exit(1)
