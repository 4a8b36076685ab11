"""An answer as the numeric check reads it: every line with its tier (boxed and bold stretches
ranked within it), Markdown tables read as rows of labelled values, and, for each quantity, the
words of its clause and sentence, which say what the quantity is the value of.

Hand-written on top of `_text`: a Markdown parser (markdown-it) would give the table cells, but
not the finality of a line or the clause a number stands in, which is what grading needs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from psetbench.checks._numbers import read_number
from psetbench.checks._quantities import Found, Stated, scan_text
from psetbench.checks._text import (
    ANSWER,
    ANSWER_LINE,
    BODY,
    BOLD,
    BOXED,
    CONCLUSION,
    CONCLUSION_LINE,
    LIST_MARKER,
    MARKUP,
    boxed_spans,
    normalize,
    strip_math,
)
from psetbench.checks._units import UnitError, parse_unit

FINAL = 5  # a line that starts "Final answer"
BOLD_TIER = CONCLUSION  # bold alone is emphasis, as final as a "So ..." line: the later wins
TIER_LABELS = {FINAL: "final answer line", BOXED: "boxed", ANSWER: "answer line",
               CONCLUSION: "bold or conclusion", BODY: "text"}

_FINAL_MIDLINE = re.compile(r"(?<=[.!?)])[ \t]+(?=\**[ \t]*final[ \t]+answer[ \t]*:)", re.I)
_FINAL_LINE = re.compile(r"^\**\s*final\s+answer", re.I)
_CHECK_LINE = re.compile(
    r"^\**\s*(?:sanity[ -]?check|check|checking|verify|verification|double[ -]check|"
    r"cross[ -]check|as a check|for comparison|for reference|compare|comparison|note)\b", re.I)
_ASIDE_WORDS = re.compile(r"\b(?:i_e_|e_g_|compare[ds]?|comparison|vs|versus)\b", re.I)
_ABBREVIATIONS = re.compile(r"\b(?:i\.e\.|e\.g\.|vs\.|approx\.|ca\.)", re.I)
_SENTENCE_END = re.compile(r"(?<![\d])[.!?](?=\s|$)|[.!?](?=\s+[A-Z*(])|;")
_CONCLUDING = re.compile(
    r"\b(?:answer|total|overall|altogether|in all|final(?:ly)?|so|therefore|thus|hence|"
    r"result|comes to|we get|gives?)\b", re.I)
_CHAIN = re.compile(r"[\s)\]]*(?:=|⇒|→|≈|->)")  # "8.571 ⇒ 9": the left side is a step
_CLAUSE_END = re.compile(r"[,;:(]|\s(?:and|but|so|while|whereas)\s")
_CLAUSE_START = re.compile(r"[,;]\s|\s(?:and|but|so|while|whereas|then)\s")
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?[a-z]*")
_SIZE_ID = re.compile(r"\d+(?:\.\d+)?[kmbt]")
_CONTINUES = re.compile(r"\s*(?:[a-z$\\(]|\d+(?![.)]\s))")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}")
_HEADER_UNIT = re.compile(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$|\bin\s+(\S+)\s*$")
STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from how in into is it its of on or so that the "
    "then there this to was we what which with you your per each one about roughly around "
    "approximately value answer final result give compute find number many much".split())


@dataclass(frozen=True)
class _Segment:
    text: str  # raw (math stripped, not yet normalized)
    tier: int
    scan: bool = True  # a table's row label and headers are context, not values


@functools.lru_cache(maxsize=4096)
def words(text: str) -> frozenset[str]:
    """Content words, lowercased and singular, with 'per X' kept as 'per:x'."""
    tokens = [stem(t) for t in _WORD.findall(text.lower().replace("-", " "))]
    out = {t for t in tokens if t not in STOP_WORDS and not _number_token(t)}
    out |= {f"per:{b}" for a, b in itertools.pairwise(tokens) if a == "per"}
    return frozenset(out)


def size_ids(found_words: frozenset[str]) -> frozenset[str]:
    """Model-size names among the words: '1b', '70b', '100t'."""
    return frozenset(w for w in found_words if _SIZE_ID.fullmatch(w))


def stem(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss") \
            and not token[-2].isdigit():
        return token[:-1]
    return token


def _number_token(token: str) -> bool:
    return token.replace(".", "").isdigit()


@functools.lru_cache(maxsize=256)
def stated_quantities(answer: str) -> list[Found]:
    """Every quantity of the answer, with its tier and the words around it."""
    raw = _break_long_lines(strip_math(_unwrap(answer)))
    lines = raw.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    boxes = boxed_spans(raw)
    out: list[Found] = []
    heading: frozenset[str] = frozenset()
    for index, segments in _lines(lines, starts, boxes):
        text, found = _scan_line(segments)
        if not found and text.strip():
            if _is_heading(lines[index]):
                heading = words(text)
            continue
        out.extend(_found(index, text, found, heading, _line_tier(lines[index]),
                          bool(_CHECK_LINE.match(MARKUP.sub("", lines[index])))))
    return out


def _unwrap(answer: str) -> str:
    """Hard-wrapped prose joined: a line that continues a sentence (it starts in lowercase, with
    math or a digit, after a line with no closing punctuation) is one line with the previous."""
    out: list[list[str]] = []  # pieces of each joined line: joining stays linear in size
    answer = _FINAL_MIDLINE.sub("\n", answer)  # "... Final Answer: 9" on one line
    for line in answer.split("\n"):
        prev = out[-1][-1].rstrip() if out else ""
        if prev and _CONTINUES.match(line) and prev[-1] not in ".!?:|" \
                and not out[-1][0].lstrip().startswith(("|", "#")):
            out[-1][-1] = prev
            out[-1].append(line.strip())
        else:
            out.append([line])
    return "\n".join(" ".join(pieces) for pieces in out)


#: Longest line scanned as one: a longer one (a reply with no line breaks) is cut at sentence
#: ends or spaces, so the per-line scans stay linear in the reply's size.
_MAX_LINE = 4000


def _break_long_lines(text: str) -> str:
    if all(len(line) <= _MAX_LINE for line in text.split("\n")):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > _MAX_LINE:
            window = line[:_MAX_LINE]
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! ")) + 1
            cut = cut if cut > _MAX_LINE // 2 else window.rfind(" ")
            cut = cut if cut > _MAX_LINE // 2 else _MAX_LINE
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    return "\n".join(out)


def _lines(lines: list[str], starts: list[int],
           boxes: list[tuple[int, int]]) -> list[tuple[int, list[_Segment]]]:
    out: list[tuple[int, list[_Segment]]] = []
    index = 0
    while index < len(lines):
        table = _table(lines, index)
        if table:
            out.extend(table)
            index += len(table) + 2
            continue
        line = lines[index]
        inside = [(a - starts[index], b - starts[index]) for a, b in boxes
                  if starts[index] <= a and b <= starts[index] + len(line)]
        out.append((index, _segments(line, inside)))
        index += 1
    return out


def _segments(line: str, boxes: list[tuple[int, int]]) -> list[_Segment]:
    marker = LIST_MARKER.match(line)
    skip = marker.end() if marker is not None else 0
    spans = [(a, b, BOXED, a, b) for a, b in boxes]
    spans += [(m.start(), m.end(), BOLD_TIER, m.start(m.lastindex or 1), m.end(m.lastindex or 1))
              for m in BOLD.finditer(line)]
    out = [_Segment(line[:skip], BODY, scan=False)]
    pos = skip
    for start, end, tier, inner_start, inner_end in sorted(spans):
        if start < pos:
            continue
        out.append(_Segment(line[pos:start], BODY))
        out.append(_Segment(line[inner_start:inner_end], tier))
        pos = end
    out.append(_Segment(line[pos:], BODY))
    return out


def _table(lines: list[str], index: int) -> list[tuple[int, list[_Segment]]]:
    """A Markdown table's rows as 'label: header value unit; ...' with the header's unit."""
    if index + 1 >= len(lines) or not lines[index].lstrip().startswith("|") \
            or not _TABLE_RULE.match(lines[index + 1].strip()):
        return []
    header = _cells(lines[index])
    units = [_header_unit(h) for h in header]
    rows: list[tuple[int, list[_Segment]]] = []
    for row_index in range(index + 2, len(lines)):
        if not lines[row_index].lstrip().startswith("|"):
            break
        cells = _cells(lines[row_index])
        row_unit = _header_unit(cells[0]) if cells else None
        segments = [_Segment(f"{cells[0] if cells else ''}: ", BODY, scan=False)]
        for col, cell in enumerate(cells[1:], start=1):
            name = header[col] if col < len(header) else ""
            unit = units[col] if col < len(units) else None
            unit = unit or row_unit
            bare = read_number(normalize(cell).strip(" ~≈"), 0)
            if unit and bare is not None and bare.end == len(normalize(cell).strip(" ~≈")):
                cell = f"{cell} {unit}"
            segments += [_Segment(f"{name} ", BODY, scan=False), _Segment(cell, BODY),
                         _Segment("; ", BODY, scan=False)]
        rows.append((row_index, segments))
    return rows


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _header_unit(header: str) -> str | None:
    m = _HEADER_UNIT.search(header)
    candidates = [m[1] or m[2]] if m is not None else []
    candidates.append(header.strip("* "))
    for unit in candidates:
        try:
            parse_unit(unit)
        except UnitError:
            continue
        return unit
    return None


def _scan_line(segments: list[_Segment]) -> tuple[str, list[tuple[Stated, int]]]:
    """The normalized line, and each quantity with its segment's tier."""
    text, bounds = "", []
    for segment in segments:
        part = normalize(segment.text)
        bounds.append((len(text), len(text) + len(part), segment))
        text += part
    found = []
    for stated in scan_text(text):
        for start, end, segment in bounds:
            if start <= stated.start < max(end, start + 1) and segment.scan:
                found.append((stated, segment.tier))
                break
    return text, found


def _line_tier(line: str) -> int:
    head = MARKUP.sub("", line)
    if _FINAL_LINE.match(head):
        return FINAL
    if ANSWER_LINE.match(head):
        return ANSWER
    if CONCLUSION_LINE.match(head):
        return CONCLUSION
    return BODY


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("#") or stripped.endswith(":") or bool(
        re.fullmatch(r"\*\*[^*]+\*\*:?", stripped))


_WINDOW = 240  # characters before a value that can name it: its clause, at most this much


def _found(index: int, text: str, found: list[tuple[Stated, int]], heading: frozenset[str],
           base: int, check_line: bool) -> list[Found]:
    """Each quantity of one line with its context; linear in the line's length."""
    shadow = _ABBREVIATIONS.sub(lambda m: m[0].replace(".", "_"), text)
    sentences = _sentences(shadow)
    sentence_starts = [a for a, _ in sentences]
    clause_starts = [m.end() for m in _CLAUSE_START.finditer(text)]
    depth = list(itertools.accumulate(((ch == "(") - (ch == ")") for ch in text), initial=0))
    far_words: dict[int, frozenset[str]] = {}
    out = []
    for i, (stated, tier) in enumerate(found):
        k = bisect.bisect_right(sentence_starts, stated.start) - 1
        a, b = sentences[max(k, 0)]
        nxt = found[i + 1][0].start if i + 1 < len(found) else b
        after = _CLAUSE_END.split(text[stated.end:min(nxt, b)], maxsplit=1)[0]
        c = bisect.bisect_right(clause_starts, stated.start) - 1
        clause = max(a, clause_starts[c] if c >= 0 else a, stated.start - _WINDOW)
        # the clause up to the value, other values left out: "s = 2.1/15 = 0.14" names s
        before = _without(text, clause, stated.start, found, i)
        near = words(" ".join([_tail(before), " ".join(after.split()[:6]), stated.per]))
        aside = check_line or depth[stated.start] > 0 \
            or bool(_ASIDE_WORDS.search(shadow, max(a, stated.start - _WINDOW), stated.start))
        if k not in far_words:
            far_words[k] = words(text[a:b]) | heading
        out.append(Found(
            text=text[stated.start:stated.end].strip(),
            readings=stated.readings,
            bare=stated.bare,
            tier=max(base, tier),
            order=(index, 0, stated.start),
            demoted=stated.demoted,
            sentence=_excerpt(text, a, b, stated.start),
            near=near,
            far=far_words[k],
            aside=aside,
            counted=stated.counted,
            spread=stated.spread,
            operand=stated.operand,
            intermediate=bool(_CHAIN.match(text, stated.end)),
            concluding=max(base, tier) >= CONCLUSION or bool(_CONCLUDING.search(before)),
        ))
    return out


def _excerpt(text: str, a: int, b: int, at: int, width: int = 200) -> str:
    """The sentence a value stands in, cut to a window around the value when long."""
    lo, hi = max(a, at - width // 2), min(b, at + width // 2)
    return ("…" if lo > a else "") + " ".join(text[lo:hi].split()) + ("…" if hi < b else "")


def _tail(text: str, count: int = 6) -> str:
    """The last few words: what a value is the value of stands right before it."""
    return " ".join(_WORD.findall(text.lower().replace("-", " "))[-count:])


def _without(text: str, start: int, end: int, found: list[tuple[Stated, int]], i: int) -> str:
    """text[start:end] with the quantities before the i-th cut out."""
    j = i
    while j > 0 and found[j - 1][0].end > start:
        j -= 1
    pieces, pos = [], start
    for other, _ in found[j:i]:
        if pos <= other.start and other.end <= end:
            pieces.append(text[pos:other.start])
            pos = other.end
    pieces.append(text[pos:end])
    return " ".join(pieces)


def _sentences(shadow: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(shadow):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(shadow)))
    return out
