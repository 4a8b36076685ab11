"""Blank out code and LaTeX so that "(a)" inside `f(a)` or a code block is never read as a label.

The masked text has the same length and the same line breaks as the input, so a position
found in it is a position in the original. Masked characters become FILL, not spaces, so a
masked line never looks blank.
"""

from __future__ import annotations

import re

FENCE = re.compile(
    r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence)[ \t]*$|\Z)",
    re.M | re.S,
)
_MATH_ENVS = r"equation|align|alignat|gather|multline|eqnarray|split|array|cases|[pbvBV]?matrix"
# Each is applied to the text left after the previous ones, so a `$` inside code is ignored.
_PATTERNS = (
    FENCE,
    re.compile(r"\$\$.+?\$\$", re.S),
    re.compile(r"\\\[.+?\\\]", re.S),
    re.compile(rf"\\begin\{{(?P<env>{_MATH_ENVS})\*?\}}.*?\\end\{{(?P=env)\*?\}}", re.S),
    re.compile(r"\\\(.+?\\\)", re.S),
    re.compile(r"`[^`\n]+`"),
    # inline $...$ on one line; "$5 and $6" stays text because `$ ` cannot open math
    re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)"),
)
_NOT_NEWLINE = re.compile(r"[^\n]")
FILL = "\x00"


def _blank(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(FILL, match.group(0))


def mask(text: str) -> str:
    """`text` with code blocks, inline code and LaTeX replaced by FILL (line breaks kept)."""
    for pattern in _PATTERNS:
        text = pattern.sub(_blank, text)
    return text


def block_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every fenced code block and display-math block: a blank line inside
    one is no paragraph break."""
    return [(m.start(), m.end()) for pattern in _PATTERNS[:4] for m in pattern.finditer(text)]
