"""PDF homework: its text layer read with pdfplumber, line by line, then parsed as text.

Words come with their font, so bold runs become Markdown bold again (a bold final value is
what psetbench's checks take as the answer), and a vertical gap larger than a line's height
becomes a paragraph break. Images become PNG figures of the question they appear in. A PDF
without a text layer (a scan) or one that needs a password is refused in one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psetbench.draft._figures import page_figures
from psetbench.draft._markdown import parse_lines
from psetbench.draft._types import DraftError, Event, Figure

_BOLD = re.compile(r"bold|black|heavy|semibold|cmbx|cmb10", re.IGNORECASE)
LINE_TOLERANCE = 3.0  # points: words this close vertically share a line


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    words: list[dict[str, Any]]


def _open(path: Path, shown: str) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:
        text = f"{type(exc).__name__} {exc!r} {exc.__cause__!r}".lower()
        if "password" in text or "encrypt" in text:
            raise DraftError(f"{shown}: the PDF is encrypted (it needs a password); save an "
                             "unencrypted copy (e.g. `qpdf --decrypt`) and draft that") from None
        raise DraftError(f"{shown}: not a readable PDF ({type(exc).__name__}); export it "
                         "again or draft from the .tex or .md source") from None


def _page_lines(page: Any, number: int) -> list[_Line]:
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        line = next((ln for ln in lines[-3:] if abs(ln.top - word["top"]) <= LINE_TOLERANCE
                     or abs(ln.bottom - word["bottom"]) <= LINE_TOLERANCE), None)
        if line is None:
            lines.append(_Line(number, word["top"], word["bottom"], [word]))
        else:
            line.words.append(word)
            line.bottom = max(line.bottom, word["bottom"])
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return sorted(lines, key=lambda ln: ln.top)


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped into paragraphs by the vertical gap before each."""
    groups: list[list[_Line]] = []
    for line in lines:
        if groups:
            last = groups[-1][-1]
            height = max(last.bottom - last.top, 1.0)
            if line.page == last.page and line.top - last.bottom <= 0.8 * height:
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def _bold(word: dict[str, Any]) -> bool:
    return bool(_BOLD.search(str(word.get("fontname", ""))))


def _render(paragraph: list[_Line]) -> list[str]:
    """Each line's text, bold runs as **...**, a run across lines closed only at its end.
    Words split only by a change of font (`**bold**.`) are joined without a space."""
    flat = [(i, w) for i, line in enumerate(paragraph) for w in line.words]
    texts: list[str] = ["" for _ in paragraph]
    for k, (i, word) in enumerate(flat):
        text = str(word["text"])
        if _bold(word):
            if k == 0 or not _bold(flat[k - 1][1]):
                text = "**" + text
            if k + 1 == len(flat) or not _bold(flat[k + 1][1]):
                text += "**"
        touching = k > 0 and flat[k - 1][0] == i and word["x0"] - flat[k - 1][1]["x1"] < 0.5
        texts[i] += text if touching or not texts[i] else " " + text
    return texts


def _title(texts: list[str]) -> str | None:
    """The first paragraph, if short and not itself a question or part, is the title (its
    lines are blanked so the parser does not read a wrapped '2) ...' as a label)."""
    end = texts.index("") if "" in texts else len(texts)
    if not 0 < end <= 3:
        return None
    candidate = " ".join(texts[:end]).replace("**", "").strip()
    if parse_lines(texts[:end], "")[1][0].kind != "text":
        return None
    texts[:end] = [""] * end
    return candidate


def read_pdf(path: Path, shown: str, stem: str) -> tuple[str | None, list[Event]]:
    """The PDF's title (its first line) and events, figures placed among the lines."""
    pdf = _open(path, shown)
    with pdf:
        lines: list[tuple[int, int, str]] = []  # (page, line on page, text)
        figures: list[tuple[int, Figure]] = []  # (index of the last line above it, figure)
        words = 0
        for number, page in enumerate(pdf.pages, start=1):
            page_lines = _page_lines(page, number)
            words += sum(len(line.words) for line in page_lines)
            tops: list[tuple[float, int]] = []
            for paragraph in _paragraphs(page_lines):
                if lines:
                    lines.append((number, 0, ""))
                for line, text in zip(paragraph, _render(paragraph), strict=True):
                    tops.append((line.top, len(lines)))
                    lines.append((number, len(tops), text))
            for top, figure in page_figures(page, number, stem):
                above = [index for t, index in tops if t < top]
                figures.append((max(above) if above else len(lines) - len(tops) - 1, figure))
    if words == 0:
        raise DraftError(f"{shown}: the PDF has no text layer (a scan or images only); run "
                         "OCR on it first (e.g. `ocrmypdf`) or draft from the source file")
    texts = [t for _, _, t in lines]
    title = _title(texts)
    _, events = parse_lines(texts, shown, first_line=0)
    out: list[Event] = []
    pending = sorted(figures, key=lambda f: f[0])
    for event in events:
        while pending and pending[0][0] < event.line:
            out.append(Event(kind="figure", file=event.file, line=event.line,
                             figure=pending.pop(0)[1]))
        page, on_page, _ = lines[event.line]
        event.file, event.line = f"{shown} page {page}", on_page
        out.append(event)
    out.extend(Event(kind="figure", file=shown, line=0, figure=f) for _, f in pending)
    return title, out
