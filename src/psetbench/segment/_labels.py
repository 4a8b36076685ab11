"""Find the labels that start a part's answer ("(a)", "**Part (c):**", "Q2(b)", "## Question 7").

Labels are searched at line starts only, in text whose code and LaTeX were masked, so
"f(a)" in a formula, "(b)" inside a code block and "as shown in (a)" mid-sentence never
count. The part-id alternatives are built from the set's real ids, so "(e)" is no label
when the parts are a-d, and "(ii)" is no label when the parts are lettered.

Hand-written: no maintained library splits homework answers by part label, and the rules
here (real ids only, question scope, merged parts) are specific to homework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from psetbench.segment._text import names_title


@dataclass
class Marker:
    """One label found at a line start: a part label or a question heading."""

    start: int  # start of the label's line
    body: int  # where the answer text begins (after the label and its punctuation)
    kind: str  # "part" or "question"
    question: str | None  # the question id written in the label, if any
    tokens: tuple[str, ...] = ()  # part ids as written
    ranges: tuple[bool, ...] = ()  # ranges[i]: tokens[i-1]..tokens[i] is a range ("(a)-(c)")
    style: str = ""  # the label's form and decoration, e.g. "paren/**", "part/###", "dot/"
    keyword: bool = False  # written with "Part"/"Question": case of the id does not matter
    method: str = "label"
    inline: bool = False  # found after another label on the same line ("a) 4 b) 5")
    decorated: bool = False  # a Markdown heading, bold or LaTeX command
    rest: str = ""  # the rest of the label's line

    @property
    def merged(self) -> bool:
        return len(self.tokens) > 1


def _alt(ids: tuple[str, ...]) -> str:
    ordered = sorted({i for i in ids if i}, key=len, reverse=True)
    return "|".join(re.escape(i) for i in ordered) if ordered else r"(?!x)x"


_PRE = (
    r"^(?P<indent>[ \t]{0,3})(?:>[ \t]?)*(?:(?P<table>\|)[ \t]*)?(?:[-*+•][ \t]+)?"
    r"(?:(?P<hash>#{1,6})[ \t]+)?"
    r"(?:(?P<tex>\\(?:textbf|textit|emph|underline|(?:sub){0,2}section\*?|paragraph\*?)\{"
    r"|\\item[ \t]*\[)[ \t]*)?"
    r"(?P<em>\*\*|__|\*|_)?[ \t]*"
    r"(?P<lead>(?:final[ \t]+)?(?:answer|solution|response)s?(?:[ \t]+(?:to|for))?[ \t]+"
    r"|for[ \t]+(?=parts?\b))?"
)
_QKW = r"(?:question|problem|exercise|task|prob\.?|ex\.|q\.?)"
_PARTKW = r"(?:parts?|pt\.?)"
_SEP = (r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|and[ \t]+|&|/|\+|[-–—]|to[ \t]+|through[ \t]+"
        r"|thru[ \t]+)[ \t]*")
_RANGE_SEP = re.compile(r"[-–—]|\b(?:to|through|thru)\b", re.I)
_TAIL = re.compile(
    r"(?:\*\*|__|\*|_)?(?:[ \t]*(?:[:.,](?=\s|$|\*|_)|[-–—](?=\s)|[)}\]|]))*(?:\*\*|__)?[ \t]*"
)
_REFERENCE_AFTER = re.compile(r"\s*(?:['’]s\b|,(?!\s*(?:and\b|\()))")
# a line ending like this continues a sentence, so a label on the next line is a reference
_CONTINUES = re.compile(
    r"(?:\b(?:in|from|of|to|by|using|use|see|and|or|with|on|as|part|parts|that|than|like|per"
    r"|via|into|for|the|under|between|both)|[,(\[])\s*$",
    re.I,
)
_PARTKW_RE = re.compile(rf"^{_PARTKW}", re.I)
_SEPARATOR = re.compile(r"[:.)\-–—|]")
_LIST_SEPARATOR = re.compile(r"[;,|]\s*$")
_FORMULA = re.compile(r"[=+*/^<>≤≥−×·]")
# what follows a label in a wrapped sentence: a lower-case word or punctuation
_READS_ON = re.compile(r"[ \t]*(?:[a-z]|[,.;:)]|$)")
_EM_ONLY = re.compile(r"[\s*_:.\-–—|]*")


@lru_cache(maxsize=256)
def label_regex(part_ids: tuple[str, ...], question_ids: tuple[str, ...]) -> re.Pattern[str]:
    """The label pattern for a set's part ids and question ids (cached: sets repeat)."""
    word_ids = tuple(i for i in part_ids if not i.isdigit())
    pid = rf"(?:{_alt(part_ids)})(?![A-Za-z0-9])"
    wid = rf"(?:{_alt(word_ids)})(?![A-Za-z0-9])"
    qid = rf"(?:{_alt(question_ids)}|\d{{1,3}})(?![0-9])"
    paren = rf"\([ \t]*{pid}[ \t]*\)"
    right = rf"{wid}\)"
    item = rf"(?:{paren}|{right})"
    multi = rf"(?:\([ \t]*{pid}(?:{_SEP}{pid})+[ \t]*\)|{item}(?:{_SEP}{item})+)"
    kw_multi = rf"{_PARTKW}[ \t]*(?:{multi}|{pid}(?:{_SEP}{pid})+)"
    kw_single = rf"{_PARTKW}[ \t]*(?:{paren}|\[[ \t]*{pid}[ \t]*\]|{pid})"
    spec = rf"(?:{kw_multi}|{multi}|{kw_single}|{paren}|{right}|\[[ \t]*{pid}[ \t]*\])"
    core = (
        rf"(?P<qkw>{_QKW}[ \t]*(?P<q1>{qid})[ \t]*(?:[.,:][ \t]*)?(?P<s1>{spec}|{wid}\.(?=\s|$)))"
        rf"|(?P<qadj>(?:{_QKW}[ \t]*)?(?P<q2>{qid})\.?(?P<s2>{pid}))"
        rf"|(?P<qsp>(?P<q3>{qid})[ \t]*(?:[.,:][ \t]*)?(?P<s3>{spec}))"
        rf"|(?P<part>{spec})"
        rf"|(?P<dot>{wid})\.(?=[\s*_]|$)"
        rf"|(?P<qh>{_QKW}[ \t]*(?P<q4>{qid}))"
        rf"|(?P<qn>(?P<q5>{qid}))(?:[.):]|(?=[ \t*_]|$))"
    )
    return re.compile(_PRE + rf"(?:{core})", re.M | re.I)


@lru_cache(maxsize=256)
def _token_regex(part_ids: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9])(?:{_alt(part_ids)})(?![A-Za-z0-9])", re.I)


def _tokens(spec: str, part_ids: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    spec = _PARTKW_RE.sub("", spec.strip())
    matches = list(_token_regex(part_ids).finditer(spec))
    tokens = tuple(m.group(0) for m in matches)
    ranges = tuple(
        i > 0 and bool(_RANGE_SEP.search(spec[matches[i - 1].end():m.start()]))
        for i, m in enumerate(matches)
    )
    return tokens, ranges


def _previous_line(text: str, start: int) -> str:
    if start == 0:
        return ""
    begin = text.rfind("\n", 0, start - 1) + 1
    return text[begin:start - 1]


def find_markers(
    masked: str,
    part_ids: tuple[str, ...],
    question_ids: tuple[str, ...],
    titles: dict[str, str] | None = None,
) -> list[Marker]:
    """Every label at a line start of `masked`, in order (question headings included).
    `titles` (question id -> title) tell "## 2. LoRA" from a numbered step "### 2. Setup"."""
    markers: list[Marker] = []
    for m in label_regex(part_ids, question_ids).finditer(masked):
        line_end = masked.find("\n", m.end())
        line_end = len(masked) if line_end < 0 else line_end
        tail = _TAIL.match(masked, m.end())
        body = tail.end() if tail else m.end()
        rest = masked[body:line_end].strip()
        tail_text = masked[m.end():body]
        decorated = bool(m.group("hash") or m.group("em") or m.group("tex"))
        separated = bool(_SEPARATOR.search(tail_text)) or decorated or not rest
        dress = m.group("hash") or m.group("em") or ("tex" if m.group("tex") else "") or (
            "|" if m.group("table") else "")
        marker = Marker(start=m.start(), body=body, kind="part", question=None,
                        decorated=decorated, rest=rest)
        if m.group("qkw") or m.group("qadj") or m.group("qsp"):
            marker.question = m.group("q1") or m.group("q2") or m.group("q3")
            spec = m.group("s1") or m.group("s2") or m.group("s3")
            if not m.group("qkw") and _FORMULA.match(rest) and not separated:
                continue  # "2a + 3 = 7", "3(a) = 2": algebra, not a label
            marker.tokens, marker.ranges = _tokens(spec, part_ids)
            marker.keyword, marker.style = True, f"qualified/{dress}"
        elif m.group("part") or m.group("dot"):
            spec = m.group("part") or m.group("dot")
            marker.tokens, marker.ranges = _tokens(spec, part_ids)
            marker.keyword = bool(_PARTKW_RE.match(spec))
            closed = spec.rstrip().endswith((")", "]"))
            if marker.keyword:
                form = "part"
                if not closed and not separated:
                    continue  # "Part a of the question asks ..." is a sentence
            elif m.group("dot") or not spec.startswith(("(", "[")):
                form = "dot" if m.group("dot") else "right"
            else:
                form = "paren"
            marker.style = f"{form}/{dress}"
            if not marker.keyword and _REFERENCE_AFTER.match(masked, m.end()):
                continue  # "(a)'s result", "(a), so ..." is a reference, not a label
            if (not decorated and _CONTINUES.search(_previous_line(masked, m.start()))
                    and _READS_ON.match(masked, m.end())):
                continue  # a wrapped sentence: "... from\n(a) we know"
            if not marker.tokens:
                continue
            if m.group("lead"):
                marker.style = "lead"
        else:
            marker.kind = "question"
            marker.question = m.group("q4") or m.group("q5")
            marker.keyword = bool(m.group("qh"))
            marker.style = "question"
            if m.group("qn"):
                if marker.question not in question_ids or not _numbered_heading(
                        m, rest, (titles or {}).get(marker.question)):
                    continue
            elif not separated:
                continue  # "Question 2 asks for ..." is a sentence
            if decorated or m.group("qn"):
                marker.body = line_end  # a heading's title is not part of an answer
        markers.append(marker)
        if marker.kind == "part" and marker.style in ("paren/", "right/"):
            markers.extend(_inline(masked, marker, body, line_end, part_ids))
    return markers


@lru_cache(maxsize=256)
def _inline_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<=[\s;,.|])(?:{pattern})")


def _numbered_heading(m: re.Match[str], rest: str, title: str | None) -> bool:
    """A line that is only "2." or "**2.**" starts question 2, and so does a numbered heading
    that names the question's title ("## 2. Transformer circuits"), or, for an untitled
    question, a top-level one ("## 2. ..."). "### 2. Setup" inside an answer is a step."""
    if _EM_ONLY.fullmatch(rest):
        return True
    if not (m.group("hash") or (m.group("em") == "**" and rest.endswith("**"))):
        return False
    if title:
        return names_title(rest.strip("*_ "), title)
    return len(m.group("hash") or "###") <= 2


def _inline(
    masked: str, first: Marker, body: int, line_end: int, part_ids: tuple[str, ...]
) -> list[Marker]:
    """More labels of the same style on the label's line: "a) 2 TB; b) yes; c) 25"."""
    if line_end - first.start > 300:
        return []
    if first.style.startswith("paren"):
        pattern = rf"\([ \t]*(?:{_alt(part_ids)})[ \t]*\)"
    else:
        pattern = rf"(?<![A-Za-z0-9(])(?:{_alt(tuple(i for i in part_ids if not i.isdigit()))})\)"
    found: list[Marker] = []
    for m in _inline_regex(pattern).finditer(masked, 0, line_end):
        if m.start() < body:
            continue
        before = masked[first.start:m.start()]
        if _CONTINUES.search(before) and not _LIST_SEPARATOR.search(before):
            continue
        if _REFERENCE_AFTER.match(masked, m.end()):
            continue
        tail = _TAIL.match(masked, m.end())
        tokens, ranges = _tokens(m.group(0), part_ids)
        found.append(Marker(start=m.start(), body=tail.end() if tail else m.end(), kind="part",
                            question=None, tokens=tokens, ranges=ranges, style=first.style,
                            inline=True))
    return found
