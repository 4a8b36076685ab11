"""Markdown and LaTeX to safe HTML for reports.

Markdown goes through markdown-it-py with raw HTML off and images off, so a reply containing
`<script>` or `<img onerror=...>` renders as text and nothing in a report loads from the network.
Math (`$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`) is converted at build time to MathML, which
browsers render natively (no script, no fonts to fetch), with latex2mathml. latex2mathml does not
escape text (`\\text{<b>}` comes out as a tag), so its output is re-serialised through an
allow-list of MathML elements and attributes; anything else, or TeX it cannot parse, is shown as
the TeX source in monospace.
"""

from __future__ import annotations

import html
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

MATH_TAGS = frozenset(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mover munder "
    "munderover mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror semantics "
    "annotation mmultiscripts mprescripts none".split())
MATH_ATTRS = frozenset(
    "xmlns display mathvariant stretchy fence separator lspace rspace mathsize columnalign "
    "columnlines columnspacing rowalign rowlines rowspacing frame framespacing equalrows "
    "equalcolumns displaystyle scriptlevel accent accentunder movablelimits largeop symmetric "
    "minsize maxsize linethickness notation width height depth voffset form mathcolor "
    "mathbackground encoding columnspan rowspan align side linebreak".split())
MATHML_NS = "http://www.w3.org/1998/Math/MathML"


class _Unsafe(ValueError):
    pass


class _MathSanitizer(HTMLParser):
    """Rebuilds MathML from parse events, escaping all text; rejects anything not allowed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], close: bool) -> None:
        if tag not in MATH_TAGS:
            raise _Unsafe(tag)
        parts = [tag]
        for name, value in attrs:
            if name not in MATH_ATTRS or (name == "xmlns" and value != MATHML_NS):
                raise _Unsafe(name)
            if name == "xmlns" or (name == "display" and value == "inline"):
                continue  # implied in HTML: leaving them out keeps big reports smaller
            parts.append(f'{name}="{html.escape(value or "", quote=True)}"')
        self.out.append(f"<{' '.join(parts)}{' /' if close else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if tag not in MATH_TAGS:
            raise _Unsafe(tag)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def unknown_decl(self, data: str) -> None:
        raise _Unsafe(data)

    def handle_comment(self, data: str) -> None:
        raise _Unsafe("comment")

    def handle_pi(self, data: str) -> None:
        raise _Unsafe("processing instruction")


def _tex_source(tex: str, display: bool) -> str:
    cls = "math tex display" if display else "math tex"
    return f'<code class="{cls}">{html.escape(tex)}</code>'


@lru_cache(maxsize=8192)
def tex_to_html(tex: str, display: bool = False, mathml: bool = True) -> str:
    """One formula as safe HTML: sanitised MathML, or its TeX source in monospace."""
    tex = tex.strip()
    if not mathml or not tex:
        return _tex_source(tex, display)
    try:
        raw = latex_to_mathml(tex, display="block" if display else "inline")
        sanitizer = _MathSanitizer()
        sanitizer.feed(raw)
        sanitizer.close()
    except Exception:  # any converter or sanitizer failure shows the source
        return _tex_source(tex, display)
    body = "".join(sanitizer.out)
    if display:
        return f'<div class="math display">{body}</div>'
    return f'<span class="math">{body}</span>'


class Renderer:
    """Markdown with math to safe HTML; one instance per math mode, reused for every text."""

    def __init__(self, *, mathml: bool = True) -> None:
        self.mathml = mathml
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"]).disable("image")
        md.use(dollarmath_plugin, allow_digits=False, allow_space=False, double_inline=True)
        md.use(texmath_plugin, delimiters="brackets")
        mathml_on = mathml

        # markdown-it calls a render rule as a method of its renderer: (renderer, tokens, ...).
        def inline(renderer: RendererHTML, tokens: list[Token], idx: int,
                   options: OptionsDict, env: EnvType) -> str:
            return tex_to_html(tokens[idx].content, False, mathml_on)

        def block(renderer: RendererHTML, tokens: list[Token], idx: int,
                  options: OptionsDict, env: EnvType) -> str:
            return tex_to_html(tokens[idx].content, True, mathml_on) + "\n"

        def link_open(renderer: RendererHTML, tokens: list[Token], idx: int,
                      options: OptionsDict, env: EnvType) -> str:
            # A link in a report never tells its target where the reader came from.
            tokens[idx].attrSet("rel", "noopener noreferrer nofollow")
            result: str = renderer.renderToken(tokens, idx, options, env)
            return result

        md.add_render_rule("math_inline", inline)
        for rule in ("math_inline_double", "math_block", "math_block_label", "math_block_eqno"):
            md.add_render_rule(rule, block)
        md.add_render_rule("link_open", link_open)
        self.md = md

    def __call__(self, text: Any) -> Markup:
        if not text:
            return Markup("")
        return Markup(self.md.render(str(text)))  # html is off in the parser
