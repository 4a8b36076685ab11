"""Homework files written from a problem set, for `psetbench draft`'s round-trip tests.

`exam_tex(pset)` writes the set as an exam-class LaTeX source (\\titledquestion, \\part[pts],
\\subpart, solution environments), converting the set's Markdown to LaTeX text markup;
`exam_pdf(pset, path)` draws the same homework with reportlab: headings and bold runs in a
bold font, the set's math as its LaTeX source (no TeX engine typesets it here).
"""

from __future__ import annotations

import re
from pathlib import Path

from psetbench.problemset import Part, ProblemSet

_MATH = re.compile(r"\$\$.*?\$\$|(?<!\\)\$(?:\\.|[^$\\])+?\$", re.DOTALL)
_TEXT_ESCAPES = {"%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_"}


def _text_to_tex(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", text, flags=re.DOTALL)
    text = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"\\emph{\1}", text)
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text)


def md_to_tex(markdown: str) -> str:
    """The set's Markdown + LaTeX as LaTeX: math kept, bold/italic/lists/escapes converted."""
    out, pos = [], 0
    for match in _MATH.finditer(markdown):
        out.append(_text_to_tex(markdown[pos:match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_text_to_tex(markdown[pos:]))
    lines, in_list = [], False
    for line in "".join(out).strip().splitlines():
        item = line.startswith("- ")
        if item and not in_list:
            lines.append(r"\begin{itemize}")
        if not item and in_list and (not line.strip() or not line.startswith(" ")):
            lines.append(r"\end{itemize}")
            in_list = False
        in_list = in_list or item
        lines.append(r"\item " + line[2:] if item else line)
    if in_list:
        lines.append(r"\end{itemize}")
    return "\n".join(lines)


def _points(value: float) -> str:
    return f"{value:g}"


def _tex_part(part: Part, depth: int) -> list[str]:
    command = ["part", "subpart", "subsubpart"][depth]
    if part.parts:
        env = ["subparts", "subsubparts"][depth]
        lines = [f"\\{command}", md_to_tex(part.prompt), f"\\begin{{{env}}}"]
        for child in part.parts:
            lines += _tex_part(child, depth + 1)
        return [*lines, f"\\end{{{env}}}"]
    return [f"\\{command}[{_points(part.points)}]", md_to_tex(part.prompt),
            r"\begin{solution}", md_to_tex(part.solution), r"\end{solution}", ""]


def exam_tex(pset: ProblemSet) -> str:
    lines = [r"\documentclass[answers,addpoints]{exam}", r"\usepackage{amsmath,amssymb}",
             f"\\title{{{md_to_tex(pset.title)}}}", r"\begin{document}", r"\maketitle", ""]
    if pset.preamble:
        lines += [md_to_tex(pset.preamble), ""]
    lines.append(r"\begin{questions}")
    for number, question in enumerate(pset.questions, start=1):
        if question.id.isdigit() and int(question.id) != number:
            lines.append(f"\\setcounter{{question}}{{{int(question.id) - 1}}}")
        lines.append(f"\\titledquestion{{{md_to_tex(question.title)}}}" if question.title
                     else r"\question")
        if question.stem:
            lines.append(md_to_tex(question.stem))
        lines.append(r"\begin{parts}")
        for part in question.parts:
            lines += _tex_part(part, 0)
        lines += [r"\end{parts}", ""]
    lines += [r"\end{questions}", r"\end{document}", ""]
    return "\n".join(lines)


# -- PDF --------------------------------------------------------------------------------

def _fonts() -> tuple[str, str]:
    """A TrueType font with the sets' symbols (≈, →): DejaVu Sans where the system has it,
    else the Vera that reportlab ships."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                   Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
                  (Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
                   Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf")]
    regular, bold = next(pair for pair in candidates if pair[0].is_file() and pair[1].is_file())
    pdfmetrics.registerFont(TTFont("Body", str(regular)))
    pdfmetrics.registerFont(TTFont("Body-Bold", str(bold)))
    pdfmetrics.registerFontFamily("Body", normal="Body", bold="Body-Bold", italic="Body",
                                  boldItalic="Body-Bold")
    return "Body", "Body-Bold"


def _markup(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text, flags=re.DOTALL)


def _paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs, each list item its own paragraph."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        current: list[str] = []
        for line in block.splitlines():
            if line.startswith("- ") and current:
                out.append(" ".join(current))
                current = []
            current.append(line.strip())
        if current:
            out.append(" ".join(current))
    return out


def exam_pdf(pset: ProblemSet, path: Path, image: Path | None = None) -> None:
    """The homework with solutions as a text PDF; `image` adds a figure to question 1."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13, spaceAfter=10)
    head = ParagraphStyle("head", parent=body, fontName=bold, fontSize=13, leading=16,
                          spaceBefore=8)
    story: list[object] = [Paragraph(_markup(pset.title), head)]
    story += [Paragraph(_markup(p), body) for p in _paragraphs(pset.preamble or "")]

    def part(item: Part, indent: int) -> None:
        style = ParagraphStyle(f"p{indent}", parent=body, leftIndent=indent)
        first, *rest = _paragraphs(item.prompt)
        points = "" if item.parts else f"[{_points(item.points)} points] "
        story.append(Paragraph(_markup(f"({item.id}) {points}{first}"), style))
        story.extend(Paragraph(_markup(p), style) for p in rest)
        if item.parts:
            for child in item.parts:
                part(child, indent + 18)
            return
        first, *rest = _paragraphs(item.solution)
        story.append(Paragraph(_markup(f"**Solution:** {first}"), style))
        story.extend(Paragraph(_markup(p), style) for p in rest)

    for number, question in enumerate(pset.questions):
        title = f": {question.title}" if question.title else ""
        story.append(Paragraph(_markup(f"Question {question.id}{title}"), head))
        story += [Paragraph(_markup(p), body) for p in _paragraphs(question.stem or "")]
        if image is not None and number == 0:
            story.append(Image(str(image), width=120, height=80))
        for item in question.parts:
            part(item, 0)
    SimpleDocTemplate(str(path), pagesize=letter).build(story)  # type: ignore[arg-type]
