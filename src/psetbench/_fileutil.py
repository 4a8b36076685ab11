"""Atomic file replacement that keeps ordinary permissions: every file psetbench writes (logs,
reports, labels, drafts) goes through here.

`tempfile.mkstemp` makes files readable by their owner only; a report or log moved into place
from one would be unreadable to a web server or a colleague. The temp file takes the target's
mode when it exists, else the mode the umask gives a new file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def staged(target: str | Path) -> Iterator[str]:
    """A temporary path beside `target` for the block to write; moved over `target` when the
    block ends, removed if it raises. Its name (`.NAME.XXXX.tmp`) never matches a log or
    report listing, so a reader never sees half a file."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        publish(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(target: str | Path, text: str) -> None:
    """`text` (UTF-8) in `target`, all of it or none of it."""
    with staged(target) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
