"""Secrets kept out of everything written, and model-call failures told in one line.

A base URL may carry credentials (`http://user:secret@host/v1`) and Inspect logs the URL of
every request (its trace file, the console at the HTTP level). `install_scrubbing` makes
every log record pass through `scrub` first, process-wide, so neither Inspect nor psetbench
writes them; psetbench's own messages call `scrub` themselves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from types import TracebackType
from typing import Any

REDACTED = "***"

# scheme://user:password@host or scheme://token@host: keep the scheme and host
_URL_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@'\"<>]+@")
# Authorization: Bearer abc / "authorization": "Basic abc" / api-key: abc / x-api-key=abc
_HEADER = re.compile(
    r"(?P<name>\b(?:proxy-)?authorization|\bx?-?api[-_]?key)(?P<sep>['\"]?\s*[:=]\s*['\"]?)"
    r"(?P<scheme>(?:bearer|basic|token)\s+)?(?P<value>[^\s'\",}]+)",
    re.IGNORECASE)


def scrub(text: str) -> str:
    """`text` with credentials in URLs and auth headers replaced by `***`."""
    if "://" in text:
        text = _URL_USERINFO.sub(lambda m: f"{m.group('scheme')}{REDACTED}@", text)
    if re.search(r"authorization|api[-_]?key", text, re.IGNORECASE):
        text = _HEADER.sub(
            lambda m: f"{m.group('name')}{m.group('sep')}{m.group('scheme') or ''}{REDACTED}",
            text)
    return text


def _scrub_value(value: Any) -> Any:
    return scrub(value) if isinstance(value, str) else value


_installed: list[bool] = []


def install_scrubbing() -> None:
    """Scrub every log record made in this process from now on (idempotent)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrub_value(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _scrub_value(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(factory)
    _installed.append(True)


# What a sample's error says, by the exception Inspect's retries gave up on.
_CAUSES: tuple[tuple[str, str], ...] = (
    ("AttemptTimeoutError", "the model gave no reply within the request timeout, on every try "
                            "(--request-timeout, --max-retries)"),
    ("StreamIdleTimeoutError", "the model's reply stalled on every try (--request-timeout)"),
    ("RateLimitError", "the model server was still rate limiting after every retry "
                       "(lower --max-connections or raise --max-retries)"),
    ("InternalServerError", "the model server returned a server error (5xx) on every try "
                            "(--max-retries, --time-limit)"),
    ("APITimeoutError", "the model server did not answer in time, on every try "
                        "(--request-timeout)"),
    ("APIConnectionError", "the model server could not be reached, on every try"),
    ("AuthenticationError", "the model server rejected the API key"),
    ("ConnectionError", "a network connection the model call needed failed (offline, a proxy, "
                        "or a wrong address)"),
    ("JSONDecodeError", "the model server's reply was not valid JSON"),
    ("APIResponseValidationError", "the model server's reply was not valid JSON"),
)


def explain_error(message: str) -> str:
    """One clear line for a sample's error message (credentials scrubbed)."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    first = lines[0] if lines else "unknown error"
    for name, text in _CAUSES:
        if re.search(rf"\b{name}\b", first):
            return text
    gave_up = re.search(r"RetryError\(.*raised (\w+)", first)
    if gave_up:
        return f"the model call failed on every try ({gave_up.group(1)})"
    return scrub(first)


#: Where Inspect's model calls run: an exception raised inside `Model.generate` in this file
#: came from the provider (its API, its network, its own set-up), not from psetbench's code.
_GENERATE = ("generate", PurePath("inspect_ai", "model", "_model.py"))
#: Inspect's own signals that pass through a model call and must stay as they are.
_PASS_THROUGH = ("LimitExceededError", "PrerequisiteError")


def _through_generate(tb: TracebackType | None) -> bool:
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == _GENERATE[0] and PurePath(code.co_filename).parts[-3:] == \
                _GENERATE[1].parts:
            return True
        tb = tb.tb_next
    return False


def model_call_failure(exc: BaseException) -> BaseException | None:
    """The exception a model call itself raised, if `exc` is (or wraps, as a cause or in an
    exception group) one; None for anything raised by psetbench's own code."""
    if type(exc).__name__ in _PASS_THROUGH or not isinstance(exc, Exception):
        return None
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = model_call_failure(inner)
            if found is not None:
                return found
        return None
    if _through_generate(exc.__traceback__):
        return exc
    return model_call_failure(exc.__cause__) if exc.__cause__ is not None else None


def describe_failure(exc: BaseException, model: str, role: str) -> str:
    """One line: the model, what failed (explained as a sample's error is), and the fix."""
    detail = scrub(f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    why = explain_error(detail)
    what = detail if why == detail else f"{why} ({detail})"
    return (f"--{role} {model}: the model call failed: {what}; check that the network reaches "
            "the model and that its name and key are right, then run again (--request-timeout "
            "and --max-retries bound each call)")


@contextmanager
def model_failures(model: str | None, role: str = "grader") -> Iterator[None]:
    """Around psetbench's own calls of a model outside Inspect's eval loop (where no sample
    keeps the error): a failure of the model call becomes one ModelError line naming the model
    and the fix. Anything else, a bug in psetbench included, passes through untouched, with
    its traceback."""
    from psetbench.errors import PsetbenchError
    from psetbench.models._types import ModelError

    try:
        yield
    except PsetbenchError:
        raise
    except Exception as exc:
        failed = model_call_failure(exc) if model is not None else None
        if failed is None:
            raise
        raise ModelError(describe_failure(failed, str(model), role)) from exc
