"""The label tree of the parts a reply was asked: "(a)(ii)" and "a2" name the same part.

A set written with sub-parts (format 2) has leaf ids such as "a.ii" or "e.iii.a"; a set written
without nesting flattens them as "a1", "a2", "c3". Both spell a path from a top-level part down
to the part graded. Labels in replies are matched against paths, not ids, so "(a)(ii)",
"a.ii", "(ii)" under an "(a)" heading, "(a2)" and "a-2" reach the same part whichever way the
set spells it. Below the top level, roman numerals and digits are the same label ("(iii)" is
"(3)"); at the top level "(i)" stays the letter i.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from psetbench.segment._types import PartRef

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_FLAT = re.compile(r"(?P<top>[a-z])[-_]?(?P<sub>\d{1,2}|(?:i{1,3}|iv|vi{0,3}|ix|x))", re.I)


def ordinal(atom: str) -> int | None:
    """1 for "i", "1"; None for a letter such as "a"."""
    atom = atom.lower()
    if atom.isdigit():
        return int(atom)
    return ROMAN.index(atom) + 1 if atom in ROMAN else None


def same_label(atom: str, child: str, level: int) -> bool:
    """Does a written label name this child id? Case is ignored; below the top level a
    roman numeral and a digit with the same value are the same label."""
    if atom.lower() == child.lower():
        return True
    if level == 0:
        return False
    value = ordinal(atom)
    return value is not None and value == ordinal(child)


def split_id(part_id: str, top_ids: set[str]) -> tuple[str, ...]:
    """A part id as a path: "a.ii" -> (a, ii); flat "a2" -> (a, 2) unless "a" is itself a part."""
    if "." in part_id:
        return tuple(p for p in part_id.split(".") if p)
    m = _FLAT.fullmatch(part_id)
    if m and m["top"] not in top_ids:
        return (m["top"], m["sub"])
    return (part_id,)


def is_nested(refs: Sequence[PartRef]) -> bool:
    """Are some of these parts sub-parts (a path deeper than one label)?"""
    tops = {r.part for r in refs}
    return any(len(split_id(r.part, tops)) > 1 for r in refs)


@dataclass
class Node:
    """A part or a group of sub-parts; a leaf holds the asked part it stands for."""

    path: tuple[str, ...]
    children: list[Node] = field(default_factory=list)
    ref: PartRef | None = None
    prompt: str = ""

    @property
    def leaf(self) -> bool:
        return not self.children

    def child(self, atom: str) -> Node | None:
        level = len(self.path)
        return next((c for c in self.children if same_label(atom, c.path[-1], level)), None)

    def index(self, child: Node) -> int:
        return self.children.index(child)

    def leaves(self) -> list[Node]:
        if self.leaf:
            return [self] if self.ref is not None else []
        return [leaf for c in self.children for leaf in c.leaves()]

    def text(self) -> str:
        """The prompts under this node, for comparing a heading with what it asks."""
        return " ".join([self.prompt, *(c.text() for c in self.children)]).strip()


def build_tree(refs: Sequence[PartRef]) -> Node:
    """One question's asked parts as a tree (the root has an empty path)."""
    tops = {r.part for r in refs}
    root = Node(())
    for ref in refs:
        node = root
        for atom in split_id(ref.part, tops):
            nxt = next((c for c in node.children if c.path[-1] == atom), None)
            if nxt is None:
                nxt = Node((*node.path, atom))
                node.children.append(nxt)
            node = nxt
        node.ref = ref
        node.prompt = ref.prompt
    return root


def find(root: Node, path: tuple[str, ...]) -> Node | None:
    node: Node | None = root
    for atom in path:
        node = node.child(atom) if node is not None else None
    return node
