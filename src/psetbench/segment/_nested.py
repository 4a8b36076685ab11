"""Split a reply to a question whose parts have sub-parts: a walk down the label tree.

Real replies label sub-parts many ways: "(a)(ii)", "a.ii", "a(ii)", "(ii)" under an "(a)"
heading, "Part (c)(iii)", "c-iii", "(c3)", "c.3". Each label found at a line start is read as a
path of atoms and placed in the tree of asked parts (`_tree`) relative to where the walk is:

- going down ("(i)" right after "(a)") or forward ("(iv)" after "(iii)", "(b)" after "(a)(ii)")
  moves the walk;
- a label below a part that has no sub-parts, or one that goes back to a part already answered
  ("(a) read subspace" inside (e)(iii)'s answer, a "(a) final answer" inside (b)) is the
  answer's own list, not a new part: labels that restart inside a part never steal it;
- going back to a part not yet answered is a reordered answer when the heading restates it.

A closing recap ("Self-check: - (a)(i) verified ✓ ...") repeats every label; it is
supplementary and never an answer (`_recap`). Hand-written for the same reason as `_labels`:
no library splits homework answers by part label.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from psetbench.segment._fallback import divide
from psetbench.segment._mask import mask
from psetbench.segment._recap import recap_spans, without
from psetbench.segment._sublabels import Marker, find_labels
from psetbench.segment._text import math_words, words
from psetbench.segment._tree import Node, build_tree, find, same_label
from psetbench.segment._types import PartRef, SegmentationResult
from psetbench.types import Segment

LABEL, SCOPED, UNSCOPED, ORDER, UNSURE_ORDER = 0.95, 0.9, 0.75, 0.6, 0.4
#: a heading restates a part when this share of its content words are in the part's prompts
RESTATES = 0.5
#: text before the first label answers the first part when it is at least this long
PREAMBLE_CHARS = 80
#: a repeated paragraph this long (characters) marks where a scrambled answer resumes
MIN_REPEAT = 30
#: how much of a block after its label is compared with the parts' prompts
HEAD_CHARS = 300
#: a displaced block restates another part at least this much, and by this much more than
#: its own; its heading weighs this much in the measure
DISPLACED_MIN, MARGIN, HEADING_WEIGHT = 0.35, 0.15, 0.6
#: a displaced block labelled "(ii)" leans toward parts whose own label is (ii)
LABEL_BONUS = 0.15
_ACRONYM = re.compile(r"\b[A-Z]{3,5}\b")
RESUMED, DISPLACED = 0.7, 0.6


def _restates(heading: str, node: Node) -> float:
    mine = set(words(heading))
    return len(mine & set(words(node.text()))) / len(mine) if mine else 0.0


@dataclass
class _Walk:
    root: Node
    current: tuple[str, ...] = ()
    answered: frozenset[tuple[str, ...]] = frozenset()

    def place(self, m: Marker) -> tuple[Node, float] | None:
        """Where this label moves the walk, or None when it is the current answer's own list."""
        options: list[tuple[int, Node, float]] = []
        for level in range(len(self.current), -1, -1):
            base = find(self.root, self.current[:level])
            if base is None or base.leaf:
                continue
            target = _descend(base, m.atoms)
            if target is None:
                continue
            rank = self._rank(level, base, target, m)
            if rank is not None:
                options.append((rank, target, SCOPED if level else LABEL))
        if not options and not self.current:
            return self._unscoped(m)
        if not options:
            return None
        rank, target, conf = min(options, key=lambda o: o[0])
        return target, conf

    def _rank(self, level: int, base: Node, target: Node, m: Marker) -> int | None:
        """0 down, 1 forward, 2 the same label again, 3 back to an unanswered restated part."""
        if level == len(self.current):
            return 0
        sibling = base.child(self.current[level])
        head = target.path[: level + 1]
        step = find(self.root, head)
        if sibling is None or step is None:
            return None
        delta = base.index(step) - base.index(sibling)
        if delta > 0:
            return 1
        if delta == 0 and len(m.atoms) > 1:
            return 1 if target.path != self.current[: len(target.path)] else 2
        if delta == 0:
            return 2 if find(self.root, self.current) is step else None
        unanswered = not any(leaf.path in self.answered for leaf in target.leaves())
        return 3 if unanswered and _restates(m.heading, target) >= RESTATES else None

    def _unscoped(self, m: Marker) -> tuple[Node, float] | None:
        """A sub-part label before any part label ("(ii) What algorithm ..."): the one part
        that has it, or the one whose prompts its heading restates."""
        options = [t for c in self.root.children if not c.leaf
                   if (t := _descend(c, m.atoms)) is not None]
        if len(options) > 1:
            scored = sorted(options, key=lambda t: _restates(m.heading, t), reverse=True)
            best = _restates(m.heading, scored[0])
            if best < RESTATES or best == _restates(m.heading, scored[1]):
                return None
            options = scored[:1]
        return (options[0], UNSCOPED) if options else None


def _descend(base: Node, atoms: Sequence[str]) -> Node | None:
    """The node the atoms name below `base`; atoms past a leaf are the leaf's own list."""
    node = base
    for i, atom in enumerate(atoms):
        if node.leaf:
            return node if i else None
        child = node.child(atom)
        if child is None:
            return None
        node = child
    return node


def segment_nested(
    cleaned: str, refs: Sequence[PartRef], result: SegmentationResult
) -> SegmentationResult:
    """Fill `result` for one question's asked parts, some of them sub-parts."""
    root = build_tree(refs)
    masked = mask(cleaned)
    recaps = recap_spans(cleaned, masked)
    for start, end in recaps:
        masked = masked[:start] + re.sub(r"[^\n]", "\x00", masked[start:end]) + masked[end:]
        result.notes.append(f"recap left out: {' '.join(cleaned[start:end].split())[:80]}")
    blocks: list[tuple[Node, float, int, int]] = []
    walk = _Walk(root)
    placed: list[tuple[Marker, Node, float]] = []
    inner: list[tuple[Marker, tuple[str, ...]]] = []  # labels of an answer's own list
    for m in find_labels(masked, cleaned):
        spot = walk.place(m)
        if spot is None:
            inner.append((m, walk.current))
            continue
        node, conf = spot
        placed.append((m, node, conf))
        walk.current = node.path
        walk.answered = walk.answered | {leaf.path for leaf in node.leaves()}
    for i, (m, node, conf) in enumerate(placed):
        end = placed[i + 1][0].start if i + 1 < len(placed) else len(cleaned)
        blocks.append((node, conf, m.body, end))
    copies = _displaced(root, cleaned, placed, inner, result)
    blocks = _resume(cleaned, blocks, copies) + copies
    _assign(root, cleaned, recaps, blocks, placed, result)
    return result


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out, pos = [], start
    for piece in re.split(r"(\n[ \t]*\n)", text[start:end]):
        if piece.strip() and not piece.isspace():
            out.append((pos, " ".join(piece.split())))
        pos += len(piece)
    return out


def _resume(cleaned: str, blocks: list[tuple[Node, float, int, int]],
            copies: list[tuple[Node, float, int, int]]) -> list[tuple[Node, float, int, int]]:
    """A chat page that lost its place repeats the last paragraph it showed and goes on with
    that answer: from a paragraph seen earlier in another part's answer (or in a block out of
    place that answers it), the text is that part's again ("If x is orthogonal to every V_k,"
    twice, the second one continuing)."""
    owner: dict[str, tuple[Node, int, int]] = {}
    for node, _, start, end in copies:
        for _, para in _paragraphs(cleaned, start, end):
            owner.setdefault(para, (node, start, end))
    out: list[tuple[Node, float, int, int]] = []
    for node, conf, start, end in blocks:
        cut = None
        for k, (pos, para) in enumerate(_paragraphs(cleaned, start, end)):
            other, s, e = owner.get(para, (node, 0, 0))
            if k and len(para) >= MIN_REPEAT and other is not node and not s <= pos < e:
                cut = (pos, other)
                break
            owner.setdefault(para, (node, start, end))
        if cut is None or not node.leaf:
            out.append((node, conf, start, end))
            continue
        out += [(node, conf, start, cut[0]), (cut[1], min(conf, RESUMED), cut[0], end)]
    return out


def _about(heading: set[str], body: set[str], prompt: set[str]) -> float:
    """How much a block (its heading counting most) restates a part's prompts."""
    head = len(heading & prompt) / len(heading)
    rest = len(body & prompt) / len(body) if body else head
    return HEADING_WEIGHT * head + (1 - HEADING_WEIGHT) * rest


def _displaced(root: Node, cleaned: str, placed: list[tuple[Marker, Node, float]],
               inner: list[tuple[Marker, tuple[str, ...]]],
               result: SegmentationResult) -> list[tuple[Node, float, int, int]]:
    """A labelled block inside one answer that restates another asked part ("(ii) Expression
    for the final residual stream" inside the answer to (c)) answers that part too: the page
    put it in the wrong place. It is copied there as a supplement (key points read it; final
    values never do, so a claim tucked into another answer cannot override the answer written
    in place), and stays where it is."""
    leaves = root.leaves()
    starts = sorted([m.start for m, _, _ in placed] + [m.start for m, _ in inner])
    out: list[tuple[Node, float, int, int]] = []
    if not inner:
        return out
    # each leaf's words once, not once per inner label: a long reply has many of both
    texts = {leaf.path: leaf.text() for leaf in leaves}
    leaf_words = {path: math_words(text) for path, text in texts.items()}
    initials = {path: _initials(text) for path, text in texts.items()}
    for m, where in inner:
        if root.child(m.atoms[0]) is not None:
            continue  # "(a) final answer: ..." inside (b) never answers (a): labels of parts
        at = bisect_right(starts, m.start)  # the next label's start
        end = starts[at] if at < len(starts) else len(cleaned)
        heading = math_words(m.heading)
        body = math_words(cleaned[m.body:min(end, m.body + HEAD_CHARS)]) - heading
        if not heading or len(heading) + len(body) < 3:
            continue
        acronyms = {a.lower() for a in _ACRONYM.findall(m.heading)}
        scores = {leaf.path: _about(heading, body, leaf_words[leaf.path]
                                    | (acronyms & initials[leaf.path]))
                  + (LABEL_BONUS if _same_atom(m.atoms[-1], leaf) else 0.0)
                  for leaf in leaves}
        best = max(leaves, key=lambda leaf: scores[leaf.path])
        own = scores.get(where, 0.0)
        if best.path != where and scores[best.path] >= DISPLACED_MIN and \
                scores[best.path] >= own + MARGIN:
            out.append((best, DISPLACED, m.body, end))
            label = best.ref.label if best.ref else ".".join(best.path)
            result.notes.append(f"{label}: a block labelled {m.heading[:40]!r} inside another "
                                "answer restates it; counted for it too")
    return out


def _same_atom(atom: str, leaf: Node) -> bool:
    """Does a sub-part label ("(ii)") name this sub-part's own label?"""
    return len(leaf.path) > 1 and same_label(atom, leaf.path[-1], len(leaf.path) - 1)


def _initials(text: str) -> set[str]:
    """Acronyms a text spells out: "singular value decomposition" gives "svd"."""
    found = [w[0].lower() for w in re.findall(r"[A-Za-z]+", text)]
    return {"".join(found[i:i + n]) for n in range(3, 6) for i in range(len(found) - n + 1)}


def _assign(root: Node, cleaned: str, recaps: list[tuple[int, int]],
            blocks: list[tuple[Node, float, int, int]],
            placed: list[tuple[Marker, Node, float]], result: SegmentationResult) -> None:
    texts: dict[tuple[str, ...], list[str]] = {}
    extra: dict[tuple[str, ...], list[str]] = {}  # displaced copies
    conf: dict[tuple[str, ...], float] = {}
    intro: dict[tuple[str, ...], list[str]] = {}
    unassigned = [without(cleaned, 0, placed[0][0].start if placed else len(cleaned), recaps)]
    for node, c, start, end in blocks:
        text = without(cleaned, start, end, recaps).strip()
        if node.leaf and c == DISPLACED:
            extra.setdefault(node.path, []).append(text)
        elif node.leaf:
            texts.setdefault(node.path, []).append(text)
            conf[node.path] = min(conf.get(node.path, 1.0), c)
        else:
            intro.setdefault(node.path, []).append(text)
    if not placed and unassigned[0].strip():
        intro[()] = [unassigned.pop(0)]  # no label at all: the whole reply, in order
    for path, parts in intro.items():
        parent = find(root, path)
        leaves = parent.leaves() if parent is not None else []
        if len(leaves) == 1 and leaves[0].path not in texts:
            texts[leaves[0].path] = parts
            conf[leaves[0].path] = ORDER
        elif len(leaves) > 1 and not any(leaf.path in texts for leaf in leaves) and \
                _in_order(leaves, "\n\n".join(parts), texts, conf, result):
            continue
        else:
            unassigned += parts
    leaves = root.leaves()
    first = _before_first_label(leaves, placed)
    if first is not None and first.path not in texts and unassigned[0].strip() \
            and len("".join(unassigned[0].split())) >= PREAMBLE_CHARS:
        texts[first.path] = [unassigned.pop(0)]
        conf[first.path] = ORDER
        result.notes.append(f"{first.ref.label if first.ref else ''}: no label; the text "
                            "before the first label, taken by order")
    for leaf in leaves:
        assert leaf.ref is not None
        pieces = _distinct(texts.get(leaf.path, []))
        copies = _distinct(extra.get(leaf.path, []))
        if not pieces and copies:  # the part's only answer is out of place
            pieces, copies, conf[leaf.path] = copies, [], DISPLACED
        if not pieces:
            continue
        result.segments[leaf.ref.key] = Segment(
            question=leaf.ref.question, part=leaf.ref.part, text="\n\n".join(pieces),
            method="label" if conf[leaf.path] > ORDER else "order",
            confidence=conf[leaf.path], supplement="\n\n".join(copies))
    result.unassigned = "\n\n".join(t.strip() for t in unassigned if t.strip())
    if any(s is None for s in result.segments.values()) and \
            len("".join(result.unassigned.split())) >= 150:
        result.needs_model = True


def _in_order(leaves: list[Node], text: str, texts: dict[tuple[str, ...], list[str]],
              conf: dict[tuple[str, ...], float], result: SegmentationResult) -> bool:
    """Sub-parts answered without their labels: a numbered list with one item per sub-part
    ("1. True  2. False" for (i) and (ii)) is taken in order; rules or paragraphs that cut the
    text into as many blocks are taken too, but a grader model should confirm them."""
    division = divide(text, mask(text), len(leaves))
    if division is None:
        return False
    pieces, how, _ = division
    sure = how == "enumerated"
    for leaf, piece in zip(leaves, pieces, strict=True):
        texts[leaf.path] = [piece]
        conf[leaf.path] = ORDER if sure else UNSURE_ORDER
    labels = ", ".join(leaf.ref.label for leaf in leaves if leaf.ref)
    result.notes.append(f"{labels}: no labels; {len(leaves)} {how} taken in order")
    result.needs_model = result.needs_model or not sure
    return True


def _before_first_label(leaves: list[Node],
                        placed: list[tuple[Marker, Node, float]]) -> Node | None:
    """The part that text before the first label answers, by order: the one just before the
    first labelled part ("(ii)" first: the unlabelled text answers (i))."""
    if not placed:
        return None
    labelled = placed[0][1].leaves()
    if not labelled or labelled[0] not in leaves:
        return None
    index = leaves.index(labelled[0])
    return leaves[index - 1] if index > 0 else None


#: pieces compared all with all; beyond this (a runaway reply of thousands of labels) each is
#: compared with its _NEIGHBOURS on either side, which keeps the work linear
_MAX_PIECES = 200
_NEIGHBOURS = 50


def _distinct(pieces: list[str]) -> list[str]:
    """The pieces without one that another piece already holds (a block copied twice)."""
    flat = [" ".join(p.split()) for p in pieces]
    near = len(flat) if len(flat) <= _MAX_PIECES else _NEIGHBOURS
    first: dict[str, int] = {}
    for i, text in enumerate(flat):
        first.setdefault(text, i)
    out = []
    for i, piece in enumerate(pieces):
        if not flat[i] or first[flat[i]] < i:  # empty, or the copy of an earlier piece
            continue
        lo, hi = max(0, i - near), min(len(flat), i + near + 1)
        if any(len(flat[j]) > len(flat[i]) and flat[i] in flat[j] for j in range(lo, hi)):
            continue
        out.append(piece)
    return out
