"""Atomic file replacement that keeps ordinary permissions.

`tempfile.mkstemp` makes files readable by their owner only; a report or log moved into place
from one would be unreadable to a web server or a colleague. The temp file takes the target's
mode when it exists, else the mode the umask gives a new file.
"""

from __future__ import annotations

import os
from pathlib import Path


def publish(tmp: str | Path, target: str | Path) -> None:
    """Give `tmp` the right mode and move it over `target` in one step."""
    target = Path(target)
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    os.replace(tmp, target)
