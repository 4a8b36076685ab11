"""Run a part's checks on its answer: each kind grades its own checks (see `kinds/`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from psetbench.checks._config import Answer, CheckConfig
from psetbench.types import CheckResult


class HasChecks(Protocol):
    """A part, as the checks see it: its prompt and its checks."""

    @property
    def prompt(self) -> str: ...

    @property
    def checks(self) -> Sequence[CheckConfig]: ...


def run_check(check: CheckConfig, answer: str) -> CheckResult:
    """One check on an answer; never raises on an answer."""
    return type(check).check_all([check], Answer(answer))[0]


def run_checks(part: HasChecks, answer: str, supplement: str = "") -> list[CheckResult]:
    """Every check of a part, in the part's order. Checks of one kind are graded together
    (numeric checks are resolved together with the part's prompt, so that each takes the value
    of its own ask; see docs/checks.md). `supplement` (text elsewhere in the reply that also
    answers the part) is for kinds that read content, never final values."""
    context = Answer(answer, supplement, part.prompt)
    by_kind: dict[type[CheckConfig], list[int]] = {}
    for i, check in enumerate(part.checks):
        by_kind.setdefault(type(check), []).append(i)
    results: dict[int, CheckResult] = {}
    for kind, indices in by_kind.items():
        graded = kind.check_all([part.checks[i] for i in indices], context)
        results.update(zip(indices, graded, strict=True))
    return [results[i] for i in range(len(part.checks))]
