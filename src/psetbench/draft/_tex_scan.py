"""LaTeX body to events, in the two house styles homework is written in.

Exam class: `\\question[3]`, `\\titledquestion{Title}[3]`, `\\part[2]`, `\\subpart`,
`\\subsubpart`, the `solution` environments, `choices` with `\\CorrectChoice`. Plain:
`\\section*{Problem 1 (10 points)}` (or a numbered `\\section{Title}`) for questions, nested
`enumerate` items for parts ((a) from `[(a)]`/`[label=(\\alph*)]`, else LaTeX's default
labels), and `Solution:` (or a `solution` environment) for solutions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from psetbench.draft._labels import argument_points, line_label, take_points, to_roman
from psetbench.draft._markdown import parse_heading
from psetbench.draft._tex import Source
from psetbench.draft._tex_text import matching_brace, to_markdown
from psetbench.draft._types import Event

_SOLUTION_ENVS = "solution|solutionorbox|solutionorlines|solutionordottedlines|solutionorgrid"
_CHOICE_ENVS = "choices|checkboxes|oneparchoices|oneparcheckboxes"
_TOKEN = re.compile(
    r"\\(?P<q>titledquestion|bonustitledquestion|question|bonusquestion)(?![A-Za-z])"
    r"|\\(?P<p>subsubpart|subpart|part|bonussubsubpart|bonussubpart|bonuspart)(?![A-Za-z])"
    r"|\\begin\{(?P<bsol>" + _SOLUTION_ENVS + r")\}(?:\s*\[[^\]]*\])?"
    r"|\\end\{(?P<esol>" + _SOLUTION_ENVS + r")\}"
    r"|\\begin\{(?P<bch>" + _CHOICE_ENVS + r")\}"
    r"|\\begin\{(?P<benv>enumerate|itemize|description)\}"
    r"|\\end\{(?P<eenv>enumerate|itemize|description)\}"
    r"|\\(?:begin|end)\{(?:questions|parts|subparts|subsubparts)\}"
    r"|\\item(?![A-Za-z])"
    r"|\\(?P<sec>section|subsection|subsubsection|paragraph)(?P<star>\*?)\s*(?=\{)"
    r"|\\begin\{(?P<fig>figure\*?)\}"
    r"|\\includegraphics"
    r"|\\setcounter\{(?P<counter>question)\}\{(?P<value>\d+)\}"
    r"|(?P<marker>\\(?:textbf|emph|textit|textsc)\{\s*Solutions?\b[^}]{0,3}\}|"
    r"(?m:^[ \t]*Solutions?\s*[:.]))"
)
_DEPTH = {"part": 1, "subpart": 2, "subsubpart": 3, "bonuspart": 1, "bonussubpart": 2,
          "bonussubsubpart": 3}


@dataclass
class _List:
    kind: str  # enumerate, itemize, description
    structural: bool
    style: str = ""
    count: int = 0


@dataclass
class _Scanner:
    source: Source
    start: int
    end: int
    exam: bool
    folder: Path
    events: list[Event] = field(default_factory=list)
    lists: list[_List] = field(default_factory=list)
    in_solution: str = ""  # "env" inside a solution environment, "marker" after Solution:
    solution_lists: int = 0
    sections: int = 0
    next_question: int = 0  # set by \\setcounter{question}{N}: the next is N + 1

    def event(self, kind: str, offset: int, **values: object) -> None:
        file, line = self.source.where(offset)
        self.events.append(Event(kind=kind, file=file, line=line, **values))  # type: ignore[arg-type]

    def text(self, start: int, end: int) -> None:
        chunk = self.source.text[start:end]
        if not chunk.strip():
            return
        text = to_markdown(chunk)
        last = self.events[-1] if self.events else None
        if last is not None and last.kind == "label" and last.points is None:
            # an item's text up to its solution, as `_markdown` reads a label's line:
            # `\item What is $2+2$? [2 pts]`, `\item (3 points) Text`
            last.points, text = take_points(text)
        if text.strip():
            self.event("text", start + len(chunk) - len(chunk.lstrip()), text=text)

    def args(self, pos: int) -> tuple[str | None, str | None, int]:
        """The optional [..] and the {..} arguments right after `pos`."""
        text = self.source.text
        optional = braced = None
        match = re.compile(r"\s*\[([^\]]*)\]").match(text, pos)
        if match:
            optional, pos = match.group(1), match.end()
        brace = re.compile(r"\s*\{").match(text, pos)
        if brace:
            close = matching_brace(text, brace.end() - 1)
            if close > 0:
                braced, pos = text[brace.end():close], close + 1
        if optional is None and braced is not None:
            match = re.compile(r"\s*\[([^\]]*)\]").match(text, pos)
            if match:
                optional, pos = match.group(1), match.end()
        return optional, braced, pos

    def optional(self, pos: int) -> tuple[str | None, int]:
        match = re.compile(r"[ \t]*\[([^\]]*)\]").match(self.source.text, pos)
        return (match.group(1), match.end()) if match else (None, pos)

    def run(self) -> list[Event]:
        text_start = pos = self.start
        while (match := _TOKEN.search(self.source.text, pos, self.end)) is not None:
            if self.handle(match, dry=True) is None:  # text here: only count lists
                self.handle(match)
                pos = match.end()
                continue
            self.text(text_start, match.start())
            pos = text_start = self.handle(match) or match.end()
        self.text(text_start, self.end)
        return self.events

    def handle(self, match: re.Match[str], dry: bool = False) -> int | None:
        """Emit the token's events and return where the text resumes; None if the token is
        text in this context. With `dry`, only say which."""
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        token = match.group(0)
        if "bsol" in groups or "esol" in groups:
            return match.end() if dry else self.solution_env(match, "bsol" in groups)
        if "marker" in groups:
            if self.in_solution:
                return None
            return match.end() if dry else self.marker(match)
        if self.exam:
            return self.exam_token(match, groups, token, dry)
        return self.plain_token(match, groups, token, dry)

    # -- tokens ----------------------------------------------------------------------
    def solution_env(self, match: re.Match[str], begin: bool) -> int:
        self.in_solution = "env" if begin else ""
        self.event("solution" if begin else "end-solution", match.start())
        return match.end()

    def marker(self, match: re.Match[str]) -> int:
        self.in_solution = "marker"
        self.solution_lists = 0
        self.event("solution", match.start())
        return match.end()

    def exam_token(self, match: re.Match[str], groups: dict[str, str], token: str,
                   dry: bool) -> int | None:
        if "q" in groups:
            if dry:
                return match.end()
            if groups["q"].endswith("titledquestion"):
                points, title, pos = self.args(match.end())
            else:
                title = None
                points, pos = self.optional(match.end())
            self.in_solution = ""
            number = str(self.next_question) if self.next_question else None
            self.next_question = self.next_question + 1 if self.next_question else 0
            self.event("heading", match.start(), title=to_markdown(title) if title else None,
                       points=argument_points(points), label=number)
            return pos
        if "p" in groups:
            if dry:
                return match.end()
            points, pos = self.optional(match.end())
            self.in_solution = ""
            self.event("label", match.start(), depth=_DEPTH[groups["p"]],
                       points=argument_points(points))
            return pos
        if "bch" in groups:
            return match.end() if dry else self.choices(match)
        if "counter" in groups:
            if not dry:
                self.next_question = int(groups["value"]) + 1
            return match.end()
        if token.startswith((r"\begin{questions", r"\end{questions", r"\begin{parts",
                             r"\end{parts", r"\begin{subparts", r"\end{subparts",
                             r"\begin{subsubparts", r"\end{subsubparts")):
            return match.end()
        return self.figure_token(match, groups, dry)

    def choices(self, match: re.Match[str]) -> int:
        text = self.source.text
        end = text.find(r"\end{" + match.group("bch") + "}", match.end())
        end = self.end if end < 0 else end
        body = text[match.end():end]
        items = re.split(r"\\(choice|CorrectChoice)(?![A-Za-z])", body)
        options, correct = [], None
        for kind, item in zip(items[1::2], items[2::2], strict=False):
            options.append(to_markdown(item).replace("\n", " "))
            if kind == "CorrectChoice":
                correct = chr(ord("A") + len(options) - 1)
        self.event("choices", match.start(), options=options, correct=correct)
        return end + len(r"\end{" + match.group("bch") + "}")

    def figure_token(self, match: re.Match[str], groups: dict[str, str], dry: bool
                     ) -> int | None:
        if "fig" not in groups and not match.group(0).startswith(r"\includegraphics"):
            return None
        if dry:
            return match.end()
        text = self.source.text
        if "fig" in groups:
            end = text.find(r"\end{" + groups["fig"] + "}", match.end())
            end = self.end if end < 0 else end
            body = text[match.end():end]
            caption = re.search(r"\\caption\s*\{", body)
            cap = None
            if caption:
                close = matching_brace(body, caption.end() - 1)
                cap = to_markdown(body[caption.end():close]) if close > 0 else None
            graphic = re.search(r"\\includegraphics\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}", body)
            if graphic:
                self.add_figure(graphic.group(1), cap, match.start())
            return end + len(r"\end{" + groups["fig"] + "}")
        _, name, pos = self.args(match.end())
        if name:
            self.add_figure(name, None, match.start())
        return pos

    def add_figure(self, name: str, caption: str | None, offset: int) -> None:
        from psetbench.draft._figures import load_figure

        file, line = self.source.where(offset)
        figure = load_figure(self.folder, name.strip(), f"{file}:{line}")
        if figure is None:
            self.event("text", offset, text=f"[figure {name.strip()} not found]")
            return
        figure.caption = caption
        self.event("figure", offset, figure=figure)

    def plain_token(self, match: re.Match[str], groups: dict[str, str], token: str,
                    dry: bool) -> int | None:
        if "sec" in groups:
            return self.section(match, groups, dry)
        if "benv" in groups:
            structural = groups["benv"] == "enumerate" and not self.in_solution and \
                all(x.structural for x in self.lists)
            if not structural:
                if self.in_solution and not dry:
                    self.solution_lists += 1
                return None
            if dry:
                return match.end()
            style, pos = self.optional(match.end())
            self.lists.append(_List("enumerate", True, style or ""))
            return pos
        if "eenv" in groups:
            if self.in_solution == "marker" and self.solution_lists > 0:
                if not dry:
                    self.solution_lists -= 1
                return None
            if not self.lists or not self.lists[-1].structural:
                return None
            if dry:
                return match.end()
            self.lists.pop()
            if self.in_solution:
                self.in_solution = ""
                self.event("end-solution", match.start())
            return match.end()
        if token.startswith(r"\item"):
            if not self.lists or not self.lists[-1].structural or \
                    (self.in_solution and self.solution_lists > 0) or self.in_solution == "env":
                return None
            return match.end() if dry else self.item(match)
        return self.figure_token(match, groups, dry)

    def section(self, match: re.Match[str], groups: dict[str, str], dry: bool) -> int | None:
        _, title, pos = self.args(match.end())
        title = to_markdown(title or "").replace("\n", " ")
        heading = parse_heading(title, part_is_question=False, heading=True)
        label = line_label(title) if heading is None else None
        if heading is None and label is None and (groups["star"] or groups["sec"] != "section"):
            return None
        if dry:
            return match.end()
        self.in_solution = ""
        self.lists = []
        if label is not None:
            points, rest = take_points(label[1])
            self.event("label", match.start(), label=label[0], points=points, text=rest)
        elif heading is not None:
            self.event("heading", match.start(), label=heading.label, title=heading.title,
                       points=heading.points)
        else:
            self.sections += 1
            points, rest = take_points(title)
            self.event("heading", match.start(), title=rest or None, points=points)
        return pos

    def item(self, match: re.Match[str]) -> int:
        explicit, pos = self.optional(match.end())
        stated = argument_points(explicit)
        if stated is not None and explicit is not None and not explicit.strip().isdigit():
            explicit = None
        current = self.lists[-1]
        current.count += 1
        depth = sum(1 for x in self.lists if x.structural)
        if explicit is not None:
            label = re.sub(r"[^a-z0-9]", "", explicit.lower()) or None
        else:
            label = _styled(current.style, current.count, depth)
        rest_points, pos2 = self.optional(pos)
        points = stated if explicit is None else None
        if rest_points is not None and argument_points(rest_points) is not None:
            points, pos = argument_points(rest_points), pos2
        self.in_solution = ""
        self.solution_lists = 0
        self.event("label", match.start(), label=label, depth=depth, points=points)
        return pos


def _styled(style: str, count: int, depth: int) -> str:
    """The label an enumerate style prints: '(a)', 'label=(\\alph*)', 'i.', default by depth."""
    if re.search(r"\\alph|\ba\b|\(a\)|a\)|a\.", style):
        return chr(ord("a") + count - 1)
    if re.search(r"\\roman|\bi\b|\(i\)|i\)|i\.", style):
        return to_roman(count)
    if re.search(r"\\arabic|1", style):
        return str(count)
    return {1: str(count), 2: chr(ord("a") + count - 1)}.get(depth, to_roman(count))


def scan(source: Source, start: int, end: int, folder: Path) -> list[Event]:
    """Events of the body text[start:end]; exam class when it uses \\question."""
    exam = re.search(r"\\(?:titled)?question(?![A-Za-z])|\\begin\{questions\}",
                     source.text[start:end]) is not None
    return _Scanner(source, start, end, exam, folder).run()
