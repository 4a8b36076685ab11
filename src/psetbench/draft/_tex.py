"""LaTeX homework: the file with its `\\input`/`\\include`s, comments removed, checked balanced.

Every line keeps the file and line it came from, so a problem is reported where the TA
wrote it. Unbalanced braces or environments stop the draft with one line naming the place:
a draft built on a mis-nested file would put text in the wrong parts without saying so.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from psetbench.draft._tex_text import matching_brace, to_markdown
from psetbench.draft._types import DraftError

MAX_INPUT_DEPTH = 8
_INPUT = re.compile(r"\\(?:input|include|subfile)\s*\{([^}]+)\}")
_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*$")
_VERBATIM = ("verbatim", "lstlisting", "minted", "comment")


@dataclass(frozen=True)
class SourceLine:
    file: str
    line: int
    text: str


class Source:
    """The expanded text and where each of its lines came from."""

    def __init__(self, lines: list[SourceLine]) -> None:
        self.lines = lines
        self.text = "\n".join(line.text for line in lines)
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line.text) + 1

    def where(self, offset: int) -> tuple[str, int]:
        """(file, line) of an offset into `text`."""
        if not self.lines:
            return "", 1
        index = max(0, bisect_right(self.starts, offset) - 1)
        line = self.lines[index]
        return line.file, line.line


def load_tex(path: Path, shown: str) -> Source:
    """The file with its inputs expanded (relative to the including file, then to the main
    file's folder), at most MAX_INPUT_DEPTH deep and never one inside itself."""
    return Source(_expand(path, shown, path.parent, (path.resolve(),)))


def _expand(path: Path, shown: str, root: Path, chain: tuple[Path, ...]) -> list[SourceLine]:
    text = path.read_text(encoding="utf-8", errors="replace")
    out: list[SourceLine] = []
    verbatim = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if re.search(r"\\end\{(" + "|".join(_VERBATIM) + r")\}", raw):
            verbatim = False
        line = raw if verbatim else _COMMENT.sub(r"\1", raw)
        if re.search(r"\\begin\{(" + "|".join(_VERBATIM) + r")\}", raw):
            verbatim = True
        pos = 0
        for match in _INPUT.finditer(line):
            out.append(SourceLine(shown, number, line[pos:match.start()]))
            out.extend(_included(match.group(1).strip(), path, shown, number, root, chain))
            pos = match.end()
        out.append(SourceLine(shown, number, line[pos:]))
    return out


def _included(name: str, path: Path, shown: str, number: int, root: Path,
              chain: tuple[Path, ...]) -> list[SourceLine]:
    where = f"{shown}:{number}"
    if len(chain) >= MAX_INPUT_DEPTH:
        raise DraftError(f"{where}: \\input{{{name}}} is nested more than {MAX_INPUT_DEPTH} "
                         "deep; flatten the inputs")
    candidates = [base / (name if name.endswith(".tex") else name + ".tex")
                  for base in (path.parent, root)]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise DraftError(f"{where}: \\input{{{name}}} not found next to {path.name}; "
                         "put the file there or remove the \\input")
    if found.resolve() in chain:
        raise DraftError(f"{where}: \\input{{{name}}} includes itself (a loop); remove it")
    try:
        label = str(found.relative_to(root))
    except ValueError:
        label = found.name
    return _expand(found, label, root, (*chain, found.resolve()))


_TOKEN = re.compile(r"\\begin\s*\{([^}]*)\}|\\end\s*\{([^}]*)\}|\\[\\{}$%&#_]|\\[A-Za-z@]+|[{}]")


def check_balanced(source: Source) -> None:
    """Raise one located DraftError for the first unbalanced brace or environment."""
    stack: list[tuple[str, int]] = []  # ("{" or an environment name, offset)
    text = source.text
    verbatim: str | None = None
    for match in _TOKEN.finditer(text):
        begin, end, token = match.group(1), match.group(2), match.group(0)
        if verbatim is not None:
            if end == verbatim:
                verbatim = None
                stack.pop()
            continue
        if begin is not None:
            stack.append((begin, match.start()))
            if begin in _VERBATIM:
                verbatim = begin
        elif end is not None:
            _close_environment(source, stack, end, match.start())
        elif token == "{":
            stack.append(("{", match.start()))
        elif token == "}":
            if not stack or stack[-1][0] != "{":
                opened = f" inside \\begin{{{stack[-1][0]}}}" if stack else ""
                _fail(source, match.start(), f"`}}` closes nothing{opened}; remove it or add "
                      "the `{` it closes")
            stack.pop()
    if stack:
        name, offset = stack[-1]
        if name == "{":
            _fail(source, offset, "`{` is never closed; add the `}` that closes it")
        _fail(source, offset, f"\\begin{{{name}}} is never closed; add \\end{{{name}}}")


def _close_environment(source: Source, stack: list[tuple[str, int]], name: str,
                       offset: int) -> None:
    if stack and stack[-1][0] == name:
        stack.pop()
        return
    if not stack:
        _fail(source, offset, f"\\end{{{name}}} closes nothing; remove it or add "
              f"\\begin{{{name}}}")
    open_name, open_offset = stack[-1]
    if open_name == "{":
        _fail(source, open_offset, f"`{{` is not closed before \\end{{{name}}}; add its `}}`")
    file, line = source.where(open_offset)
    _fail(source, offset, f"\\end{{{name}}} closes \\begin{{{open_name}}} (from {file}:{line}); "
          f"close \\begin{{{open_name}}} first")


def _fail(source: Source, offset: int, message: str) -> None:
    file, line = source.where(offset)
    raise DraftError(f"{file}:{line}: unbalanced LaTeX: {message}")


def body_and_title(source: Source) -> tuple[int, int, str | None]:
    """The document body's span (between \\begin{document} and \\end{document}, or all of
    it) and the \\title, if any."""
    text = source.text
    start = text.find(r"\begin{document}")
    end = text.rfind(r"\end{document}")
    title_match = re.search(r"\\title\s*(?:\[[^\]]*\])?\s*\{", text[:max(start, 0)])
    title = None
    if title_match:
        close = matching_brace(text, title_match.end() - 1)
        if close > 0:
            title = to_markdown(text[title_match.end():close]).replace("\n", " ").strip()
    body_start = start + len(r"\begin{document}") if start >= 0 else 0
    return body_start, end if end >= 0 else len(text), title or None
