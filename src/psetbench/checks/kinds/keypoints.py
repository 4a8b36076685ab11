"""`keypoints`: statements a complete answer must make, in any wording. Without a grader
model they are matched by words; with one, the judge reads them."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from psetbench._bounds import MAX_CHECKS, MAX_SHORT_CHARS
from psetbench.checks._config import Answer, CheckConfig
from psetbench.checks._keypoints import check_keypoints
from psetbench.checks._registry import check_kind
from psetbench.types import CheckResult


@check_kind
class KeypointsCheck(CheckConfig):
    """Statements a complete answer must make, in any wording."""

    kind: Literal["keypoints"]
    points: list[Annotated[str, Field(max_length=MAX_SHORT_CHARS)]] = Field(
        min_length=1, max_length=MAX_CHECKS)

    deterministic: ClassVar[bool] = False  # word overlap informs the judge; it never decides

    def check(self, answer: Answer) -> CheckResult:
        # content may sit in a block the chat page put elsewhere: key points read it too
        return check_keypoints(self, answer.whole)

    def describe(self) -> str:
        return f"{self.titled()}, each must be made:\n" + "\n".join(
            f"   - {p}" for p in self.points)
