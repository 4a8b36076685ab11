"""The one base of every error a user can cause and fix.

Each stage raises its own subclass (`ProblemSetError`, `TranscriptError`, `LogError`,
`ModelError`, `StrategyError`, ...) whose message is one line naming the fix; the command line
catches `PsetbenchError` once and prints that line, and library callers can do the same.
"""

from __future__ import annotations


class PsetbenchError(Exception):
    """A problem with psetbench's input or set-up that the user can fix; `str()` says how."""


__all__ = ["PsetbenchError"]
