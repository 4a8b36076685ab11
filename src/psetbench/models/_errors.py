"""Secrets kept out of everything written, and model-call failures told in one line.

A base URL may carry credentials (`http://user:secret@host/v1`) and Inspect logs the URL of
every request (its trace file, the console at the HTTP level). `install_scrubbing` makes
every log record pass through `scrub` first, process-wide, so neither Inspect nor psetbench
writes them; psetbench's own messages call `scrub` themselves.
"""

from __future__ import annotations

import logging
import re
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
