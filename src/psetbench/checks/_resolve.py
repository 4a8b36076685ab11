"""Which stated value answers which numeric ask of a part.

A part may ask several things of one dimension ("FLOP per petaFLOP/s-day" and "the 100T model's
compute"), so each check looks for the value that answers *its* ask, and all checks of a part are
resolved together: a value taken by one ask is not another's answer unless their references are
equal. What decides, in order:

1. a value whose clause names another model size than the ask ("1T" for a "1B" ask) comes last;
2. explicit answers (a boxed value, an "Answer:" or "Final answer:" line) are preferred when the
   ask has one;
3. the words of the value's clause and sentence that name this ask and not the part's other asks
   of the same dimension (its label, "per token", a model size);
4. otherwise the order of asking: the k-th ask takes the k-th of the most final values;
5. within all that, the most final value (tier, then later), asides and sanity checks last.

Restatements of a quantity the question gives ("350 GB of weights") in running text are never
an answer. Hand-written: this is psetbench's grading policy, not a parsing problem a library has.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pint

from psetbench.checks._answer import size_ids, stated_quantities, stem, words
from psetbench.checks._dimensions import describe, with_article
from psetbench.checks._quantities import Found
from psetbench.checks._text import ANSWER, BODY, normalize, strip_math

# Dimensions that are counts of things: a bare number may stand for them ("we need **25**").
COUNTS = frozenset({"[gpu]", "[token]", "[parameter]", "[flop]"})
# Nouns a bare count may be followed by and still count the ask's thing ("a 7B model").
_DEFINED = re.compile(r"\b([a-z]+)\s+([a-z](?:_[a-z0-9]+)?)\s*(?:=|≈)")
# Dimensions whose amount a plain-number reference may be stated in, and the unit to count in.
_PLAIN_AS = {"[gpu]": "gpu", "[token]": "token", "[parameter]": "parameter", "[currency]": "USD"}
_AGGREGATES = frozenset({"total", "overall", "combined", "altogether", "sum"})
_COUNT_NOUNS = {"[parameter]": {"model", "models", "llm", "weights", "network"}}


@dataclass(frozen=True)
class Ask:
    """One numeric check of a part, as the resolver sees it."""

    index: int
    label: str
    quantity: pint.Quantity  # the reference
    words: frozenset[str]
    ids: frozenset[str]  # model sizes the ask is about ("1b")


@dataclass(frozen=True)
class Candidate:
    found: Found
    value: float  # in the reference's units
    note: str  # how it was read, e.g. "no unit given; read as GPU"


@dataclass
class Pick:
    """What one ask took: a candidate, or None with what the reply's values answer instead."""

    candidate: Candidate | None
    others: list[str] = field(default_factory=list)  # "350 GB restates a given of the question"
    all_candidates: list[Candidate] = field(default_factory=list)


def make_ask(index: int, label: str | None, quantity: pint.Quantity, prompt: str) -> Ask:
    own = words(label or "")
    ids = size_ids(own)
    if not ids:
        prompt_ids = size_ids(words(prompt))
        ids = prompt_ids if len(prompt_ids) == 1 else frozenset()
    return Ask(index, label or "", quantity, own | ids | _symbols(own, prompt), ids)


def _symbols(own: frozenset[str], prompt: str) -> frozenset[str]:
    """The symbols the prompt names the ask by: 'the scale $s = ...$' makes 's' the scale."""
    text = normalize(strip_math(prompt)).lower()
    out = set()
    for m in _DEFINED.finditer(text):
        if stem(m[1]) in own:
            out.add(m[2])
    return frozenset(out)


def candidates(found: Sequence[Found], ref: pint.Quantity) -> list[Candidate]:
    """Every stated value that can be read in the reference's dimension."""
    dim, units = str(ref.dimensionality), str(ref.units)
    out: list[Candidate] = []
    for f in found:
        if f.operand and dim == "dimensionless":
            continue  # "1.2 / 7 ≈ 0.1714": the operands are not results
        for i, r in enumerate(f.readings):
            if r.dimension == dim:
                note = "" if i == 0 else f"read {f.text!r} as {with_article(describe(dim))}"
                out.append(Candidate(f, r.value * r.unit.factor(units), note))
                break
            if dim == "dimensionless" and r.dimension in _PLAIN_AS:
                # "25 GPUs" or "$10,455" for a plain number: the amount in its own unit
                out.append(Candidate(f, r.value * r.unit.factor(_PLAIN_AS[r.dimension]), ""))
                break
    if not out and dim in COUNTS:  # "we need 25" for 25 GPU, never "96 layers"
        nouns = _COUNT_NOUNS.get(dim, set())
        out = [Candidate(f, f.readings[0].value, f"no unit given; read as {ref.units:~P}")
               for f in found if f.readings[0].unit.expr == "dimensionless"
               and not f.operand and (not f.counted or f.counted.lower() in nouns)]
    return out


def resolve(asks: Sequence[Ask], answer: str, prompt: str) -> dict[int, Pick]:
    """Each ask's value, all asks of the part together."""
    found = stated_quantities(answer)
    givens = [f for f in stated_quantities(prompt) if not f.bare] if prompt else []
    picks: dict[int, Pick] = {}
    groups: dict[str, list[Ask]] = {}
    for ask in asks:
        groups.setdefault(str(ask.quantity.dimensionality), []).append(ask)
    for group in groups.values():
        picks.update(_resolve_group(_in_order_of_asking(group, prompt), found, givens))
    return picks


def _in_order_of_asking(group: list[Ask], prompt: str) -> list[Ask]:
    """The asks in the order the prompt asks them, when the prompt names each; else as listed."""
    if len(group) < 2 or not prompt:
        return group
    text = prompt.lower()
    shared = frozenset.intersection(*(a.words for a in group))
    where = []
    for ask in group:
        spots = [i for w in ask.words - shared if (i := text.find(w.split(":")[-1])) >= 0]
        if not spots:
            return group
        where.append((min(spots), ask.index, ask))
    return [ask for *_, ask in sorted(where, key=lambda t: (t[0], t[1]))]


def _resolve_group(group: list[Ask], found: list[Found],
                   givens: list[Found]) -> dict[int, Pick]:
    resolver = _Group(group, found, givens)
    resolver.run()
    return resolver.picks


class _Group:
    """The asks of one dimension in one part, and the values they may take."""

    def __init__(self, asks: list[Ask], found: list[Found], givens: list[Found]) -> None:
        self.asks = asks
        self.shared = frozenset.intersection(*(a.words for a in asks)) if len(asks) > 1 \
            else frozenset()
        self.picks: dict[int, Pick] = {}
        self.pools: dict[int, list[Candidate]] = {}
        for ask in asks:
            every = candidates(found, ask.quantity)
            given = [c for c in every if _restates(c, ask, givens)]
            self.pools[ask.index] = [c for c in every if c not in given]
            self.picks[ask.index] = Pick(None, [f"{c.found.text} restates a value the "
                                                "question gives" for c in given[-1:]], every)
        self.weight = _discriminating(asks, self.pools, self.shared)
        self.usable = {a.index: [c for c in self.pools[a.index] if not _conflicts(a, c)]
                       for a in asks}
        self.focus = {a.index: _explicit(self.usable[a.index]) for a in asks}
        self.taken: dict[int, Ask] = {}  # id(found) -> the ask it answers

    def run(self) -> None:
        if len(self.asks) == 1 and self.usable[self.asks[0].index]:
            self._single(self.asks[0])
            return
        self._by_relevance()
        self._by_order()
        self._leftovers()

    def free(self, ask: Ask, c: Candidate, share: bool = False) -> bool:
        """Untaken; or, as a last resort, taken by an ask with the same reference."""
        owner = self.taken.get(id(c.found))
        return owner is None or (share and _same(owner.quantity, ask.quantity))

    def take(self, ask: Ask, c: Candidate) -> None:
        self.picks[ask.index].candidate = c
        self.taken.setdefault(id(c.found), ask)

    def near(self, ask: Ask, c: Candidate) -> float:
        return sum(self.weight.get(w, 0.0) for w in (ask.words - self.shared) & c.found.near)

    def rel(self, ask: Ask, c: Candidate) -> float:
        far = (ask.words - self.shared) & (c.found.far - c.found.near)
        return 2 * self.near(ask, c) + sum(self.weight.get(w, 0.0) for w in far)

    def relevant(self, ask: Ask, c: Candidate) -> bool:
        """Named in its own clause; or in its sentence or heading, when it reads as a result."""
        return self.near(ask, c) > 0 or (self.rel(ask, c) > 0 and _stands_as_result(c))

    def _single(self, ask: Ask) -> None:
        """One ask of its dimension: an explicit answer, else a value its words name."""
        best = max(self.usable[ask.index], key=lambda c: (
            c.found.tier >= ANSWER and not c.found.aside, self.rel(ask, c) > 0,
            self.rel(ask, c), _finality(c)))
        self.take(ask, _superseded(best, self.usable[ask.index]))

    def _by_relevance(self) -> None:
        pairs = sorted(((self.rel(a, c), _finality(c), a.index, a, c) for a in self.asks
                        for c in self.focus[a.index] if self.relevant(a, c)),
                       key=lambda p: (p[0], p[1], -p[2]), reverse=True)
        for _, _, _, ask, c in pairs:
            if self.picks[ask.index].candidate is None and self.free(ask, c):
                self.take(ask, c)

    def _by_order(self) -> None:
        """Asks still open take the most final free values, in the order they are asked."""
        waiting = [a for a in self.asks if self.picks[a.index].candidate is None]
        offered = {id(c.found): c for a in waiting for c in self.focus[a.index]
                   if self.free(a, c) and _stands_as_result(c) and not _aggregate(a, c)}
        top = sorted(offered.values(), key=_finality, reverse=True)[:len(waiting)]
        for ask, c in zip(waiting, sorted(top, key=lambda c: c.found.order), strict=False):
            if any(c.found is d.found for d in self.focus[ask.index]) and self.free(ask, c):
                self.take(ask, c)

    def _leftovers(self) -> None:
        """The best value still free (or shared with an equal reference); else not answered."""
        for ask in self.asks:
            if self.picks[ask.index].candidate is not None:
                continue
            rest = [c for c in self.pools[ask.index] if self.free(ask, c, share=True)
                    and _stands_as_result(c) and not _aggregate(ask, c)]
            if rest:
                self.take(ask, max(rest, key=lambda c: (
                    not _conflicts(ask, c), self.rel(ask, c), _finality(c))))
            else:
                self.picks[ask.index].others += [
                    f"{c.found.text} answers “{self.taken[id(c.found)].label}”"
                    for c in self.pools[ask.index][-2:] if id(c.found) in self.taken]


def _finality(c: Candidate) -> tuple[int, bool, bool, bool, tuple[int, int, int]]:
    f = c.found
    return (f.tier, not f.aside, not f.intermediate, not f.demoted, f.order)


def _superseded(best: Candidate, pool: list[Candidate]) -> Candidate:
    """A value picked for its words yields to a later value stated as a conclusion ("..., so
    the answer is 180 GB"): the reply's own last claim decides."""
    later = [c for c in pool if c.found.order > best.found.order and c.found.concluding
             and c.found.tier >= best.found.tier and _stands_as_result(c)
             and not c.found.demoted]
    return max(later, key=_finality) if later else best


def _aggregate(ask: Ask, c: Candidate) -> bool:
    """A total ("Total 160 GB") is no answer to an ask for one of its parts."""
    return bool(c.found.near & _AGGREGATES) and not ask.words & _AGGREGATES


def _stands_as_result(c: Candidate) -> bool:
    """Taken by order alone only if it reads as a result: not an aside, not a step of a chain."""
    return not c.found.aside and not c.found.intermediate


def _explicit(pool: list[Candidate]) -> list[Candidate]:
    """Boxed or answer-line values when the ask has any; else everything."""
    top = [c for c in pool if c.found.tier >= ANSWER and not c.found.aside]
    return top or pool


def _discriminating(group: list[Ask], pools: dict[int, list[Candidate]],
                    shared: frozenset[str]) -> dict[str, float]:
    """Words that tell values apart: a word every value stands near says nothing."""
    seen = {id(c.found): c.found for pool in pools.values() for c in pool}
    size = len(seen)
    out: dict[str, float] = {}
    for ask in group:
        for w in ask.words - shared:
            count = sum(1 for f in seen.values() if w in f.near)
            if count < size or size == 1:
                out[w] = 1.0
    return out


def _conflicts(ask: Ask, c: Candidate) -> bool:
    """The value's clause names another model size than the ask ("1T model" for a 1B ask)."""
    if not ask.ids:
        return False
    ids = size_ids(c.found.near) or size_ids(c.found.far)
    return bool(ids) and not ids & ask.ids


def _restates(c: Candidate, ask: Ask, givens: list[Found]) -> bool:
    """Running text repeating a quantity the question gives is not the answer."""
    if c.found.tier > BODY or c.found.bare:
        return False
    mine = c.found.readings[0].quantity()
    for g in givens:
        theirs = g.readings[0].quantity()
        if mine.dimensionality == theirs.dimensionality and _same(mine, theirs) \
                and not _same(theirs, ask.quantity):
            return True
    return False


def _same(a: pint.Quantity, b: pint.Quantity) -> bool:
    if a.dimensionality != b.dimensionality:
        return False
    x, y = float(a.to_base_units().magnitude), float(b.to_base_units().magnitude)
    return math.isclose(x, y, rel_tol=1e-6)
