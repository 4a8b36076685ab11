"""What every command shares: one-line errors, model-call limits, strategy names."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

import click

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


def parse_model_args(values: tuple[str, ...]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r}: use KEY=VALUE", param_hint="--model-arg")
        args[key] = value
    return args


def limit_options(func: F) -> F:
    """--request-timeout, --max-retries and --time-limit: bounds on every model call."""
    from psetbench.models import (
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


def limits_from(request_timeout: int, max_retries: int, time_limit: int) -> Any:
    from psetbench.models import Limits

    return Limits(request_timeout=request_timeout, max_retries=max_retries,
                  time_limit=time_limit)


class RegistryName(click.ParamType):
    """A name from a registry (built-in or plugin): help and completion list the registry's
    names, read only when asked (plugins load lazily); the library checks the name, so an
    unknown one is a one-line error."""

    def __init__(self, name: str, names: Callable[[], Iterable[str]]) -> None:
        self.name = name
        self._names = names

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return f"[{'|'.join(self._names())}]"

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(n) for n in self._names() if n.startswith(incomplete)]


def _strategy_names() -> Iterable[str]:
    from psetbench.strategies import STRATEGIES

    return STRATEGIES


def _format_names() -> Iterable[str]:
    from psetbench.importers import FORMATS

    return FORMATS


def strategy_name() -> RegistryName:
    return RegistryName("strategy", _strategy_names)


def format_name() -> RegistryName:
    return RegistryName("format", _format_names)
