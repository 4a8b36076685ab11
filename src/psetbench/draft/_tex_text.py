"""LaTeX text to the set's Markdown + LaTeX: math stays as written, text markup becomes Markdown.

`\\textbf{x}` becomes `**x**` (psetbench's checks read a bold value as a final answer),
`\\emph{x}` `*x*`, `itemize` a `- ` list, `\\[...\\]` `$$...$$`; layout commands go. Only
text outside math is touched, so macros inside formulas are kept verbatim.
"""

from __future__ import annotations

import re

from psetbench.draft._types import tidy

MATH = re.compile(
    r"\$\$.*?\$\$|\\\[.*?\\\]|\\\(.*?\\\)|(?<!\\)\$(?:\\.|[^$\\])+?\$"
    r"|\\begin\{(equation|align|gather|multline|eqnarray|displaymath)(\*?)\}.*?\\end\{\1\2\}",
    re.DOTALL)
_WRAP = {"textbf": "**", "bf": "**", "emph": "*", "textit": "*", "texttt": "`"}
_KEEP = ("underline", "text", "mbox", "textrm", "textsf", "textsc", "textnormal", "textup")
_DROP_WITH_ARG = re.compile(r"\\(?:vspace|hspace|label|addpoints|pointsinmargin|setlength|"
                            r"renewcommand|pagestyle|thispagestyle)\*?(?=\{)")
_DROP = re.compile(r"\\(?:noindent|centering|maketitle|newpage|clearpage|pagebreak|linebreak|"
                   r"medskip|bigskip|smallskip|vfill|hfill|droppoints|fullwidth|raggedright|"
                   r"printanswers|noprintanswers|normalsize|small|large|Large)\b\s*")
_LIST = re.compile(r"\\begin\{(itemize|enumerate|description)\}(?:\[[^\]]*\])?|"
                   r"\\end\{(itemize|enumerate|description)\}|\\item\b(?:\s*\[([^\]]*)\])?")
_ESCAPES = {r"\%": "%", r"\&": "&", r"\#": "#", r"\_": "_", r"\{": "{", r"\}": "}",
            r"\ldots": "...", r"\dots": "...", "``": '"', "''": '"', r"\textbackslash": "\\"}


def matching_brace(text: str, start: int) -> int:
    """The index of the `}` that closes the `{` at `start` (-1 if none)."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def to_markdown(tex: str) -> str:
    """A LaTeX fragment as Markdown + LaTeX math."""
    out: list[str] = []
    pos = 0
    for match in MATH.finditer(tex):
        out.append(_text(tex[pos:match.start()]))
        out.append(_math(match.group()))
        pos = match.end()
    out.append(_text(tex[pos:]))
    return tidy("\n".join(line.strip() for line in "".join(out).splitlines()))


def _math(math: str) -> str:
    if math.startswith(r"\["):
        return "$$" + math[2:-2] + "$$"
    if math.startswith(r"\("):
        return "$" + math[2:-2] + "$"
    return math


def _text(text: str) -> str:
    text = _lists(text)
    text = _commands(text)
    text = _DROP.sub("", text)
    text = re.sub(r"\\\\(?:\[[^\]]*\])?|\\newline\b", "\n", text)
    text = re.sub(r"\\par\b", "\n\n", text)
    for source, target in _ESCAPES.items():
        text = text.replace(source, target)
    text = text.replace("---", "—").replace("--", "–")
    return re.sub(r"(?<!\\)~", " ", text)


def _commands(text: str) -> str:
    """Text commands with one argument, innermost first: wrap, keep or drop their argument."""
    pattern = re.compile(r"\\(" + "|".join(list(_WRAP) + list(_KEEP)) + r")\s*\{")
    for _ in range(1000):
        match = pattern.search(text) or _DROP_WITH_ARG.search(text)
        if match is None:
            return text
        open_at = match.end() - 1 if match.group(0).endswith("{") else match.end()
        close = matching_brace(text, open_at)
        if close < 0:
            return text
        inner = _commands(text[open_at + 1:close])
        name = match.group(1) if match.re is pattern else ""
        if name in _WRAP:
            inner = f"{_WRAP[name]}{inner.strip()}{_WRAP[name]}"
        elif not name:
            inner = ""
        text = text[:match.start()] + inner + text[close + 1:]
    return text


def _lists(text: str) -> str:
    """itemize -> '- ' lines, enumerate -> '1. ' lines, description -> '- **term** '."""
    stack: list[list[int | str]] = []
    out: list[str] = []
    pos = 0
    for match in _LIST.finditer(text):
        out.append(text[pos:match.start()])
        pos = match.end()
        if match.group(1):
            stack.append([match.group(1), 0])
            out.append("\n")
        elif match.group(2):
            if stack:
                stack.pop()
            out.append("\n")
        elif not stack:
            out.append(f"- {match.group(3)} " if match.group(3) else "- ")
        else:
            env = stack[-1]
            env[1] = int(env[1]) + 1
            if match.group(3):
                bullet = f"- **{match.group(3)}** " if env[0] == "description" else \
                    f"- {match.group(3)} "
            else:
                bullet = f"{env[1]}. " if env[0] == "enumerate" else "- "
            out.append("\n" + "  " * (len(stack) - 1) + bullet)
    out.append(text[pos:])
    return "".join(out)
