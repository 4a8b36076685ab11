"""Repeated labels: which copy of a part's answer counts (docs/segmentation.md, section 5).

A part labelled twice is a regenerated pass, a copy, a summary, or a label written inside
another part's answer; only the first two are answers, and of complete copies the last wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psetbench.segment._labels import Marker
from psetbench.segment._text import tokens
from psetbench.segment._types import PartRef

#: confidences (see docs/segmentation.md, section 6): a label, merged parts, a repeated part
LABEL, MERGED, REPEATED = 0.95, 0.8, 0.8


@dataclass(frozen=True)
class Plan:
    refs: tuple[PartRef, ...]
    questions: tuple[str, ...]
    qparts: dict[str, list[str]]
    multi: bool

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.part for r in self.refs))


@dataclass
class Accepted:
    marker: Marker
    question: str
    parts: tuple[str, ...] = ()
    confidence: float = LABEL
    reasons: list[str] = field(default_factory=list)
    weak: bool = False
    aside: bool = False  # a lone label of an answered part inside another part's answer


@dataclass
class Candidate:
    text: str
    confidence: float
    method: str
    parts: tuple[str, ...]
    reasons: list[str]


def choose(cands: list[Candidate], label: str, notes: list[str]) -> Candidate | None:
    """The repeated-block rule: a copy that is a prefix of a longer copy is incomplete, and so
    is a copy whose words all appear in an earlier, longer copy (a summary of final answers);
    of the complete copies the last one wins (a regenerated or corrected answer comes last)."""
    full = [c for c in cands if c.text]
    if any(len(c.parts) == 1 for c in full):
        full = [c for c in full if len(c.parts) == 1]  # "(a)-(c) below:" was an overview
    if len(full) <= 1:
        return full[0] if full else None
    flat = [" ".join(c.text.split()) for c in full]
    words = [tokens(t) for t in flat]

    def incomplete(i: int) -> bool:
        return any(len(o) > len(flat[i]) and o.startswith(flat[i]) for o in flat) or any(
            len(flat[j]) > len(flat[i]) and words[i] <= words[j] for j in range(i))

    complete = [i for i in range(len(full)) if not incomplete(i)] or [len(full) - 1]
    chosen = full[complete[-1]]
    notes.append(f"{label}: answered {len(full)} times; kept copy {complete[-1] + 1} "
                 "(the last complete one)")
    chosen.confidence = min(chosen.confidence, REPEATED)
    return chosen


def no_stealing(plan: Plan, accepted: list[Accepted], cleaned: str,
                 notes: list[str]) -> list[Accepted]:
    """A lone label of a part already answered, inside another part's answer ("(b) ... (a)
    final answer: **2 TB** ..."), is no new answer to (a) (the answer in place is the one
    graded) and no part of (b)'s: its line is left out, and the lines after it stay (b)'s.
    A repeat that starts a new pass over the parts ("(a) ... (b) ..."
    again, a regenerated answer) or only copies the earlier text stays a label (section 5)."""
    out: list[Accepted] = []
    seen: dict[tuple[str, str], str] = {}
    in_pass = False  # the last label kept was a repeat that goes over the parts again
    for i, a in enumerate(accepted):
        end = accepted[i + 1].marker.start if i + 1 < len(accepted) else len(cleaned)
        text = " ".join(cleaned[a.marker.body:end].split())
        keys = [(a.question, p) for p in a.parts]
        repeat = bool(keys) and all(k in seen for k in keys) and bool(out) and \
            bool(out[-1].parts) and (out[-1].question, out[-1].parts[-1]) not in keys
        passing = repeat and (_starts_pass(plan, a, accepted[i + 1:]) or (
            in_pass and _follows(plan, out[-1], a)))
        in_pass = passing
        if repeat and not passing and not any(
                text in seen[k] or set(tokens(text)) <= set(tokens(seen[k])) for k in keys):
            notes.append(f"{a.question}({', '.join(a.parts)}): a label inside the answer to "
                         f"{out[-1].question}({out[-1].parts[-1]}) answers neither; its line "
                         "is left out")
            a.aside = True
        else:
            for k in keys:
                seen.setdefault(k, text)
        out.append(a)
    return out


def _follows(plan: Plan, a: Accepted, b: Accepted) -> bool:
    """Does label b name the part right after label a's (last) part?"""
    ids = plan.qparts.get(a.question, [])
    if not a.parts or not b.parts or b.question != a.question or a.parts[-1] not in ids:
        return False
    index = ids.index(a.parts[-1])
    return b.parts[0] in ids[index + 1:index + 2]


def _starts_pass(plan: Plan, a: Accepted, after: list[Accepted]) -> bool:
    """Is this repeated label followed by the next part's label (a new pass over the parts)?"""
    following = next((b for b in after if b.parts), None)
    return following is not None and _follows(plan, a, following)
