"""Answer text as the checks read it: math delimiters, LaTeX and Markdown made plain, and the
answer cut into pieces ranked by how "final" they are (boxed > bold/answer line > conclusion >
the rest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tiers: how final a piece of the answer is. Higher wins; within a tier, later wins.
BOXED, ANSWER, CONCLUSION, BODY = 4, 3, 2, 1
TIER_NAMES = {BOXED: "boxed", ANSWER: "bold or answer line", CONCLUSION: "conclusion", BODY: "text"}

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")

_TEXT_COMMAND = re.compile(
    r"\\(?:text|mathrm|textrm|mathit|textit|textbf|mathbf|operatorname|mbox|rm|bf)\s*\{([^{}]*)\}"
)

# (pattern, replacement), applied in order; precompiled once.
_LATEX: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\\(?:left|right|displaystyle)(?![A-Za-z])"), ""),
    (re.compile(r"(?<=\d),\\!(?=\d{3}\b)"), ","),  # 16,\!386
    (re.compile(r"(?<=\d)(?:\\[,;: !]|\{,\}|[\u2009\u202f\u00a0])(?=\d{3}\b)"), ""),  # 1\,000
    (re.compile(r"\{,\}"), ","),
    (re.compile(r"\\(?:[,;:! ]|q?quad(?![A-Za-z]))|~"), " "),
    (re.compile(r"\\times(?![A-Za-z])|\u00d7"), " × "),
    (re.compile(r"\\cdot(?![A-Za-z])|[⋅∙]"), "·"),
    (re.compile(r"\\(?:approx|simeq|sim|thickapprox)(?![A-Za-z])"), "≈"),
    (re.compile(r"\\(?:Rightarrow|implies|to|rightarrow|Longrightarrow)(?![A-Za-z])"), " ⇒ "),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\\$"), "$"),
    (_TEXT_COMMAND, r" \1 "),
    (_TEXT_COMMAND, r" \1 "),  # twice, for \mathbf{\text{...}}
    (re.compile(r"\\frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}"), r"\1/\2"),
    (re.compile(r"\\d?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"(\1)/(\2)"),
    (re.compile(r"\^\s*\{([^{}]*)\}"), r"^\1"),
    (re.compile(r"_\s*\{([^{}]*)\}"), r"_\1"),
    (re.compile(r"\\[A-Za-z]+"), " "),
    (re.compile(r"[{}]"), ""),
    (re.compile(r"[−–—](?=\s*\d)"), "-"),
    (re.compile(r"(?<![\w)])\*\*|\*\*(?![-(\d])|__|`"), ""),  # bold marks, not 10**9
    (re.compile(r"US\$"), "$"),
    (re.compile(r"[ \t]+"), " "),
]


def normalize(text: str) -> str:
    """LaTeX and unicode made plain: '1.7 \\times 10^{15}\\,\\text{FLOP}' -> '1.7 × 10^15 FLOP'."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), text)
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    return text


# Pandoc's rule for inline math: the opening $ has a non-space on its right, the closing $ a
# non-space on its left and no digit right after it. Any other $ is a dollar sign, except that
# a span holding a LaTeX command may close after a space, as copied chat replies write it
# ("$20 \times 4096 = $ **81,920**"): money never holds "\times".
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.S)
INLINE_MATH = re.compile(
    r"(?<![\\$])\$(?=[^\s$])((?:[^$\\\n]|\\.)*?)(?<=[^\s\\])\$(?!\d)"
    r"|(?<![\\$])\$(?=[^\s$])((?:[^$\\\n]|\\.)*?\\[A-Za-z]+(?:[^$\\\n]|\\.)*?)[ \t]+\$(?!\d)")


def strip_math(text: str) -> str:
    """Math delimiters replaced by spaces; a remaining '$' is money."""
    text = DISPLAY_MATH.sub(lambda m: " " + (m[1] or m[2] or m[3] or "") + " ", text)
    return INLINE_MATH.sub(lambda m: " " + (m[1] if m[1] is not None else m[2]) + " ", text)


def boxed_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every \\boxed{...} / \\fbox{...} content, braces balanced."""
    spans: list[tuple[int, int]] = []
    for m in BOXED_START.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth == 0:
            spans.append((m.end(), i - 1))
    return spans


BOXED_START = re.compile(r"\\(?:boxed|fbox)\s*\{")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
MARKUP = re.compile(r"^\s*(?:[#>*+-]+\s*|\d+[.)]\s+|\(?[a-z]\)\s+)*")
# List bullets and numbers, which are not quantities: "1. ", "(2) ", "- ", "### ".
LIST_MARKER = re.compile(r"^\s*(?:[#>]+\s*|[*+-]\s+|\(?\d{1,2}[.)]\s+|\(\w\)\s+)+")
ANSWER_LINE = re.compile(r"^(?:\**\s*)(?:final\s+answer|answer|result)\b", re.I)
CONCLUSION_LINE = re.compile(
    r"^(?:\**\s*)(?:therefore|thus|so|hence|overall|in\s+total|in\s+summary|total|≈|⇒|→|∴)",
    re.I,
)


@dataclass(frozen=True)
class Piece:
    """A stretch of the answer with its tier; `order` sorts pieces by position."""

    tier: int
    order: tuple[int, int]
    text: str  # normalized


def pieces(answer: str) -> list[Piece]:
    """The answer as ranked pieces: every line, plus its bold parts and any boxed content."""
    raw = strip_math(answer)
    out: list[Piece] = []
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", raw)]
    for start, end in boxed_spans(raw):
        row = sum(1 for s in line_starts if s <= start) - 1
        out.append(Piece(BOXED, (row, start - line_starts[row]), normalize(raw[start:end])))
    for index, line in enumerate(raw.split("\n")):
        if not line.strip():
            continue
        for m in BOLD.finditer(line):
            out.append(Piece(ANSWER, (index, m.start()), normalize(m[1] or m[2])))
        plain = normalize(LIST_MARKER.sub("", line))
        head = MARKUP.sub("", line)
        if ANSWER_LINE.match(head):
            tier = ANSWER
        elif CONCLUSION_LINE.match(head):
            tier = CONCLUSION
        else:
            tier = BODY
        out.append(Piece(tier, (index, 0), plain))
    return out
