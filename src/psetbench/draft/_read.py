"""Read a homework file of any supported format into a `DraftDocument`.

The suffix picks the reader. Before any reader runs, a file that is missing, empty or not
text (for the text formats) is refused in one line naming the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from psetbench.draft._markdown import read_markdown
from psetbench.draft._structure import build
from psetbench.draft._types import DraftDocument, DraftError, Event

SUFFIXES = (".tex", ".pdf", ".md", ".markdown", ".txt")
MAX_BYTES = 50_000_000
Role = Literal["homework", "solutions"]


def _check_file(path: Path, shown: str, role: Role) -> bytes:
    if not path.exists():
        raise DraftError(f"{shown}: no such file; check the path")
    if path.is_dir():
        raise DraftError(f"{shown}: is a folder; give the {role} file itself")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftError(f"{shown}: cannot draft from {suffix or 'a file without a suffix'}; "
                         "give a .tex, .pdf, .md or .txt file")
    if path.stat().st_size > MAX_BYTES:
        raise DraftError(f"{shown}: larger than {MAX_BYTES // 1_000_000} MB; split it")
    data = path.read_bytes()
    if not data.strip():
        raise DraftError(f"{shown}: the file is empty; give the {_owner(role)} source or PDF")
    return data


def _owner(role: Role) -> str:
    return "homework's" if role == "homework" else "solutions'"


def _check_text(data: bytes, shown: str, role: Role) -> str:
    """Refuse binary data in a text format: NUL bytes or bytes that are not UTF-8."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise DraftError(f"{shown}:{line}: binary data (a NUL byte) in a text file; give the "
                         f"{_owner(role)} text source")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DraftError(f"{shown}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                         "save the file as UTF-8") from None


def read_document(path: Path, *, role: Role = "homework") -> DraftDocument:
    """The questions, parts and solutions of one homework (or solutions) file. An error in
    the solutions file starts with `--solutions`, so that it is not taken for the homework."""
    try:
        return _read(path, path.name, role)
    except DraftError as exc:
        if role == "homework":
            raise
        raise DraftError(f"--solutions {exc}") from None


def _read(path: Path, shown: str, role: Role) -> DraftDocument:
    data = _check_file(path, shown, role)
    suffix = path.suffix.lower()
    title: str | None
    events: list[Event]
    if suffix == ".pdf":
        if not data.lstrip().startswith(b"%PDF"):
            raise DraftError(f"{shown}: not a PDF (no %PDF header); give the PDF itself")
        from psetbench.draft._pdf import read_pdf

        title, events = read_pdf(path, shown, path.stem)
    elif suffix == ".tex":
        _check_text(data, shown, role)
        title, events = _read_tex(path, shown)
    else:
        title, events = read_markdown(_check_text(data, shown, role), shown)
    document = build(events, shown)
    document.title = title or document.title
    if not document.questions:
        raise DraftError(f"{shown}: found no questions or parts; mark them as the format's "
                         "docs say (docs/draft.md), e.g. '## Problem 1' and '(a)'"
                         + (", as in the homework" if role == "solutions" else ""))
    return document


def _read_tex(path: Path, shown: str) -> tuple[str | None, list[Event]]:
    from psetbench.draft._tex import body_and_title, check_balanced, load_tex
    from psetbench.draft._tex_scan import scan

    source = load_tex(path, shown)
    check_balanced(source)
    start, end, title = body_and_title(source)
    return title, scan(source, start, end, path.parent)
