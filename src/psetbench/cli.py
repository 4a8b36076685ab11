"""The `psetbench` command line: each command parses, calls the library, prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from psetbench import __version__
from psetbench.errors import PsetbenchError

F = TypeVar("F", bound=Callable[..., Any])


def _user_error(exc: Exception) -> bool:
    """psetbench's own errors, and Inspect's missing-prerequisite error (matched by name:
    Inspect exports no public class for it)."""
    if isinstance(exc, PsetbenchError):
        return True
    return any(cls.__name__ == "PrerequisiteError" and cls.__module__.startswith("inspect_ai")
               for cls in type(exc).__mro__)


def _plain(text: str) -> str:
    """Inspect's own errors carry rich markup ("[bold]ERROR[/bold]"); print them plain."""
    from rich.errors import MarkupError
    from rich.text import Text

    try:
        return Text.from_markup(text).plain
    except MarkupError:
        return text


def friendly(func: F) -> F:
    """Turn the errors a user can cause into one-line messages and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("Interrupted; run the same command again to resume.", err=True)
            sys.exit(130)
        except Exception as exc:
            if not _user_error(exc):
                raise
            text = _plain(str(exc))
            for line in [x for x in text.splitlines() if x.strip()] or [type(exc).__name__]:
                click.echo(f"Error: {line}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _model_args(values: tuple[str, ...]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r}: use KEY=VALUE", param_hint="--model-arg")
        args[key] = value
    return args


def limit_options(func: F) -> F:
    """--request-timeout, --max-retries and --time-limit: bounds on every model call."""
    from psetbench.models._limits import (
        DEFAULT_MAX_RETRIES,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_TIME_LIMIT,
    )

    options = [
        click.option("--request-timeout", type=click.IntRange(min=1),
                     default=DEFAULT_REQUEST_TIMEOUT, show_default=True, metavar="SECONDS",
                     help="Abandon (and retry) a model request with no reply by then."),
        click.option("--max-retries", type=click.IntRange(min=0), default=DEFAULT_MAX_RETRIES,
                     show_default=True, help="Retries of a failed model request."),
        click.option("--time-limit", type=click.IntRange(min=1), default=DEFAULT_TIME_LIMIT,
                     show_default=True, metavar="SECONDS",
                     help="Give up on a model call after this long, retries included."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _limits(request_timeout: int, max_retries: int, time_limit: int) -> Any:
    from psetbench.models import Limits

    return Limits(request_timeout=request_timeout, max_retries=max_retries,
                  time_limit=time_limit)


class StrategyName(click.ParamType):
    """A registered strategy (built-in or plugin): help and completion list the registry's
    names; the library checks the name, so an unknown one is a one-line error."""

    name = "strategy"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        from psetbench.strategies import STRATEGIES

        return f"[{'|'.join(STRATEGIES)}]"

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from psetbench.strategies import STRATEGIES

        return [CompletionItem(n) for n in STRATEGIES if n.startswith(incomplete)]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="psetbench")
def main() -> None:
    """Measure how well language models do multi-part written homework."""


@main.command()
@click.argument("set_file", type=click.Path(dir_okay=False))
@click.option("--model", "-m", default=None,
              help="Inspect model name (openai/gpt-4o, anthropic/..., ollama/...), "
                   "'local' (default: the embedded model) or local/PATH.gguf.")
@click.option("--strategy", "-s", "strategies", multiple=True, type=StrategyName(),
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
        log_dir=log_dir, model_args=_model_args(model_args), max_connections=max_connections,
        max_tokens=max_tokens, temperature=temperature, cache=not no_cache, display=display,
        grader=grader, judge_votes=judge_votes, live=live,
        limits=_limits(request_timeout, max_retries, time_limit),
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


@main.command()
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


@main.command()
def schema() -> None:
    """Print the JSON Schema of the problem-set format."""
    from psetbench.problemset import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@main.command()
def strategies() -> None:
    """List the turn strategies."""
    from psetbench.strategies import STRATEGIES

    for name, text in STRATEGIES.items():
        click.echo(f"{name:10} {text}")


@main.command()
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


@main.command()
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

    with using_limits(_limits(request_timeout, max_retries, time_limit)):
        runs = regrade(list(logs), grader=grader, votes=judge_votes)
    print_grades(runs)


@main.command()
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
@limit_options
@friendly
def report(logs: tuple[str, ...], output: str, fmt: str | None, regrade: bool,
           narrate: str | None, compare_pairs: tuple[tuple[str, str], ...],
           request_timeout: int, max_retries: int, time_limit: int) -> None:
    """Write a report from graded logs; calls a model only with --narrate."""
    from psetbench.compare import compare_logs
    from psetbench.grading import read_runs
    from psetbench.models import check_model, limited_model, using_limits
    from psetbench.report import write_report

    comparisons = [compare_logs(a, b) for a, b in compare_pairs]
    with using_limits(_limits(request_timeout, max_retries, time_limit)):
        narrator = limited_model(check_model(narrate, role="narrate")) if narrate else None
        path = write_report(read_runs(logs, regrade=regrade), output, form=fmt,
                            comparisons=comparisons, narrate_with=narrator)
    click.echo(f"Report: {path}")


@main.command()
@click.argument("log_dir", type=click.Path(file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free port, printed at start).")
@click.option("--inspect-port", type=click.IntRange(1, 65535), default=7575, show_default=True,
              help="Port of `inspect view`, for the transcript links.")
@friendly
def view(log_dir: str, port: int, inspect_port: int) -> None:
    """Serve the runs and reports of a log folder on 127.0.0.1."""
    from psetbench.view import serve

    serve(log_dir, port=port, inspect_port=inspect_port)


@main.command()
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
    from psetbench.models import using_limits

    with using_limits(_limits(request_timeout, max_retries, time_limit)):
        comparison = compare_logs(log_a, log_b, judge=judge, pairwise=pairwise)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_dict(), indent=2))
    else:
        click.echo(format_comparison(comparison))


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--set", "set_file", required=True, type=click.Path(dir_okay=False),
              help="The problem set the conversation is about.")
@click.option("--model", "-m", default=None,
              help="The model that answered, as reports should name it "
                   "(default imported/unknown).")
@click.option("--strategy", "-s", default=None, type=StrategyName(),
              help="The strategy to record (default: inferred from the conversation).")
@click.option("--questions", default=None, help="Only these questions, e.g. 1,2.")
@click.option("--log-dir", default=None,
              help="Where the log goes (default psetbench-logs/SET/MODEL).")
@click.option("--format", "fmt", type=click.Choice(["text", "openai", "chatgpt", "claude"]),
              default=None, help="The files' format (default: detected from the content).")
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
