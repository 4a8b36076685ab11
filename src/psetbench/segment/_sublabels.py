"""Sub-part labels at line starts: "(a)(ii)", "a.ii", "a(ii)", "(c3)", "c-iii", "Part (c)(iii)",
"**Answer (a)(i):**", "a) i)", and items after a label on its own line ("(c) (i) True; (ii)
False"). Each label is read as a path of atoms; `_nested` places it in the tree of asked parts.

Searched in text whose math and code were masked, with the same guards as `_labels` (a label
that reads on from a wrapped sentence, "(a)'s result", "(a) = 2" are no labels). Hand-written
for the same reason: no library splits homework answers by part label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psetbench.segment._tree import ordinal

_LEAD = re.compile(
    r"[ \t]{0,3}(?:>[ \t]?)*(?:\|[ \t]*)?(?:[-*+•][ \t]+)?(?:#{1,6}[ \t]+)?"
    r"(?:\\(?:textbf|emph|(?:sub){0,2}section\*?|paragraph\*?)\{)?(?P<em>\*\*|__|\*|_)?[ \t]*"
    r"(?:(?:final[ \t]+)?(?:answer|solution|response)s?(?:[ \t]+(?:to|for))?[ \t]+(?=[(a-z]))?"
    r"(?:(?:question|problem|q)[ \t]*\.?[ \t]*\d{1,3}[ \t]*[:.,]?[ \t]*(?=[(a-z]))?"
    r"(?:(?P<kw>(?:sub-?)?parts?|pt\.?)[ \t]*)?", re.I)
_ATOM = r"(?:[a-z]|i{1,3}|iv|vi{0,3}|ix|x|\d{1,2})"
_ROMAN_ATOM = r"(?:i{1,3}|iv|vi{0,3}|ix|x|\d{1,2})"
_FORMS = (
    re.compile(rf"\((?!{_ROMAN_ATOM}\))[ \t]*(?P<a>[a-z])[.\-]?(?P<b>{_ROMAN_ATOM})[ \t]*\)",
               re.I),  # (c3) (c.iii), not (ii)
    re.compile(rf"\([ \t]*(?P<a>{_ATOM})[ \t]*\)", re.I),  # (a) (ii) (3)
    re.compile(rf"(?P<a>[a-z])\((?P<b>{_ROMAN_ATOM})\)", re.I),  # a(ii)
    re.compile(rf"(?P<a>[a-z])[.\-](?P<b>{_ROMAN_ATOM})(?=[\s:.)*_]|$)", re.I),  # a.ii c-3
    re.compile(r"(?P<a>[a-z]|i{1,3}|iv|vi{0,3}|ix|x)[.)](?=[\s*_]|$)", re.I),  # a. ii)
)
_CLOSE = re.compile(r"(?:\*\*|__|\*|_)")  # the emphasis that closes "**(a)**"
_AFTER = re.compile(r"[ \t]*(?:[:.\-–—)|]+(?=\s|$|\*|_))?[ \t]*")
# "(c) (i) True; (ii) True; (iii) False": a following item on the label's own line
_INLINE = re.compile(r"(?<=[;,.|])[ \t]*(?P<label>\([ \t]*(?P<a>[a-z]|i{1,3}|iv|vi{0,3}|ix|x"
                     r"|\d{1,2})[ \t]*\))", re.I)
_GAP = re.compile(r"[ \t]?(?=\()")
_RIGHT_GAP = re.compile(r"[ \t]?(?=(?:i{1,3}|iv|vi{0,3}|ix|x)\)|\()", re.I)
_REFERENCE = re.compile(r"\s*(?:['’]s\b|,(?!\s*(?:and\b|\()))")
_CONTINUES = re.compile(
    r"(?:\b(?:in|from|of|to|by|using|see|and|or|with|on|as|part|parts|that|than|like|per|via"
    r"|into|for|the|under|between)|[,(\[])\s*$", re.I)
_FORMULA = re.compile(r"\s*(?:[=+/^<>≤≥−×·]|\*(?=\s*[\d(]))")  # "(a) = 2", not "(a) **True**"


@dataclass
class Marker:
    start: int  # start of the label's line
    body: int  # where the text after the label begins
    atoms: tuple[str, ...]
    heading: str  # the rest of the label's line, as written
    decorated: bool


def _atoms(line: str) -> tuple[tuple[str, ...], int, bool] | None:
    """The labels at the start of a line, where the text after them begins, and whether it
    was written as a heading or bold; None when the line starts with no label."""
    lead = _LEAD.match(line)
    pos = lead.end() if lead else 0
    decorated = bool(lead and ("#" in lead.group(0) or "*" in lead.group(0)
                               or "\\" in lead.group(0)))
    atoms: list[str] = []
    while pos < len(line):
        m = next((m for form in _FORMS if (m := form.match(line, pos)) is not None
                  and not (form is _FORMS[-1] and m.group("a").isdigit())), None)
        if m is None:
            break  # "2." is a numbered step, never a sub-part label: the last form skips it
        atoms += [g for g in (m.group("a"), m.groupdict().get("b")) if g]
        pos = m.end()
        if m.re is _FORMS[-1] and not m.group(0).endswith(")"):
            break  # "a." ends the label; "a) i)" goes on
        gap = (_RIGHT_GAP if m.re is _FORMS[-1] else _GAP).match(line, pos)
        if gap is None:
            break
        pos = gap.end()
    if not atoms:
        return None
    if lead and lead.group("em") and (close := _CLOSE.match(line, pos)):
        pos = close.end()
    after = _AFTER.match(line, pos)
    body = after.end() if after else pos
    if lead and lead.group("em") and (close := _CLOSE.match(line, body)):
        body = close.end()  # "**(a):** text"
    return tuple(atoms), body, decorated


def find_labels(masked: str, original: str) -> list[Marker]:
    """Every line that starts with a part label, in order (math and code already masked)."""
    found: list[Marker] = []
    offset = 0
    previous = ""
    for line in masked.split("\n"):
        parsed = _atoms(line)
        if parsed is not None:
            atoms, body, decorated = parsed
            rest = line[body:]
            reference = _REFERENCE.match(line, body) is not None and body > 0
            wrapped = not decorated and _CONTINUES.search(previous) and rest[:1].islower()
            if not (reference or wrapped or (_FORMULA.match(rest) and not decorated)):
                heading = original[offset + body:offset + len(line)].strip(" *_#:")
                found.append(Marker(offset, offset + body, atoms, heading, decorated))
                found += _inline(line, offset, body, atoms[-1], original)
        previous = line if line.strip() else previous
        offset += len(line) + 1
    return found


def _next(atom: str, previous: str) -> bool:
    """Is `atom` the label right after `previous` ("iii" after "ii", "c" after "b")?"""
    a, b = ordinal(atom), ordinal(previous)
    if a is not None and b is not None:
        return a == b + 1
    return len(atom) == len(previous) == 1 and ord(atom.lower()) == ord(previous.lower()) + 1


def _inline(line: str, offset: int, body: int, last: str, original: str) -> list[Marker]:
    """Items after the label on its own line, each the next label after the one before:
    "(c) (i) True; (ii) True; (iii) False" (a separator before each)."""
    found: list[Marker] = []
    for m in _INLINE.finditer(line, body):
        if not _next(m["a"], last):
            continue
        last = m["a"]
        after = _AFTER.match(line, m.end())
        start = offset + m.start("label")
        end = offset + (after.end() if after else m.end())
        found.append(Marker(start, end, (m["a"],), original[end:offset + len(line)].strip(),
                            False))
    return found
