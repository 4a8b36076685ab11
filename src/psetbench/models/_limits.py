"""How long psetbench waits for a model, and how often it asks again, as Inspect settings.

Every model call (the solving model, the judge, the grader's segmentation, the pairwise judge
and the narrator) is bounded three ways, all enforced by Inspect's own retry loop:

- `request_timeout`: one request (GenerateConfig `attempt_timeout`); a request that has not
  answered by then is abandoned and retried;
- `max_retries`: how many times a failed or abandoned request is retried (`max_retries`);
- `time_limit`: the whole call, retries and backoff included (`timeout`); no retry starts
  after it.

The solving model gets them through the eval's generate config; other models through
`limited_model`, which gives them their own config. `using_limits` sets the limits for a
block (the CLI's `--request-timeout`, `--max-retries`, `--time-limit`).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspect_ai.model import GenerateConfig, Model

DEFAULT_REQUEST_TIMEOUT = 300  # a long answer from a slow API model takes minutes, not ten
DEFAULT_MAX_RETRIES = 6  # Inspect's backoff (3 s doubling) spends about 3 minutes on six
DEFAULT_TIME_LIMIT = 1800  # one call, all its retries included


@dataclass(frozen=True)
class Limits:
    """Bounds on every model call, in whole seconds (Inspect's settings are integers)."""

    request_timeout: int = DEFAULT_REQUEST_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    time_limit: int = DEFAULT_TIME_LIMIT

    def __post_init__(self) -> None:
        for name in ("request_timeout", "time_limit"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 second")
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")

    def generate_args(self) -> dict[str, Any]:
        """The GenerateConfig fields these limits set (for `eval_set(**args)`)."""
        return {"attempt_timeout": self.request_timeout, "max_retries": self.max_retries,
                "timeout": self.time_limit}

    def generate_config(self) -> GenerateConfig:
        from inspect_ai.model import GenerateConfig

        return GenerateConfig(**self.generate_args())

    def describe(self) -> str:
        return (f"request timeout {self.request_timeout} s, at most {self.max_retries} "
                f"retries, {self.time_limit} s per call")


_current: list[Limits] = [Limits()]


def current_limits() -> Limits:
    """The limits in force (the defaults unless inside `using_limits`)."""
    return _current[-1]


@contextlib.contextmanager
def using_limits(limits: Limits | None) -> Iterator[Limits]:
    """Use `limits` (None: the current ones) for every model psetbench calls in the block, and
    print a line for each retry while it lasts. Credentials are scrubbed from every log record
    from then on (see `install_scrubbing`)."""
    from psetbench.models._errors import install_scrubbing
    from psetbench.models._progress import reporting_retries

    install_scrubbing()
    chosen = limits or current_limits()
    _current.append(chosen)
    try:
        with reporting_retries(chosen):
            yield chosen
    finally:
        _current.pop()


def limited_model(model: str | Model) -> Model:
    """`model` (a name or a Model) bounded by the current limits; a Model's own settings win."""
    from inspect_ai.model import Model, get_model

    config = current_limits().generate_config()
    if isinstance(model, Model):
        merged = config.merge(model.config)
        if merged == model.config:
            return model
        bounded = copy.copy(model)  # as Inspect does for roles: the caller's Model is kept
        bounded.config = merged
        return bounded
    return get_model(model, config=config)
