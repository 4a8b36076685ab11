"""Which parts of the set a user message asks: by labels, and by similarity to the prompts.

People paraphrase and abbreviate the questions they paste, so a part counts as asked when
its label appears in the message (scoped to a question the message names, restates, or
continues) or when enough of its prompt's words appear close together in the message.
Each match carries a confidence in [0, 1] and says how it was found.

Token overlap plus difflib (standard library) is enough here: the prompts are known, and
the question is only which of them a message contains, not what it means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from psetbench.problemset import ProblemSet
from psetbench.segment import PartRef, segment_reply
from psetbench.strategies import PartKey

#: a part whose prompt scores at least this much against a message is asked without a label
TEXT_THRESHOLD = 0.6
#: ...or this much when the message labels other parts of the same question (whoever labels
#: some parts labels all of them, so an unlabelled look-alike is most likely a neighbour)
TEXT_AMONG_LABELS = 0.85
#: with a label, this much similarity confirms the label
CONFIRM = 0.3
#: a question whose stem scores this much is restated in the message
STEM_THRESHOLD = 0.6
#: a prompt whose words match one or two lines of the message this well stands on its own
OWN_LINE = 0.85
LABEL_ONLY_NAMED = 0.55  # a label under a question the message names
LABEL_ONLY_CONTEXT = 0.45  # a label whose question comes from the conversation so far
QUESTION_ONLY = 0.5  # "Question 7" named and none of its parts found otherwise

_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_STOP = frozenset("""
a about after all also an and any are as at be been before being both but by can could did do
does doing each for from had has have having he her here his how i if in into is it its just
let me more most my no nor not now of on once only or other our out over own please same she
should so some such than that the their them then there these they this those through to too
under up us very was we were what when where which while who whom why will with would you
your many much give find show explain compute calculate determine state write answer part
question problem briefly following using use given suppose assume consider""".split())
# "for question 5: d) ..." -> a line break before the part label, so it starts a line
_AFTER_QUESTION = re.compile(
    r"(\b(?:question|problem|exercise|q)[ \t]*\.?[ \t]*#?[ \t]*\d+[a-z]?[ \t]*[:.,;-]?[ \t]+)"
    r"(?=\(?[a-z]{1,4}\)|part[ \t])", re.I)
_QUESTION = re.compile(
    r"(?:\b(?:question|problem|exercise|prob|q)\s*\.?\s*#?\s*(?P<id>\d+[a-z]?|[ivx]+)\b)"
    r"|(?:^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?(?P<num>\d+)[ \t]*\(?[a-z]\))", re.I | re.M)


# what may stand before a question's title at the start of a line
_HEAD_PREFIX = re.compile(
    r"^[\s#>*_]*(?:(?:question|problem|exercise|q)\s*\.?\s*#?\s*\d+[a-z]?\s*[:.)\-–—]*)?",
    re.I)


def words(text: str) -> list[str]:
    """Content words, lowercased, with a plural 's' dropped."""
    out = []
    for token in _WORD.findall(text.lower()):
        if token in _STOP or (len(token) == 1 and not token.isdigit()):
            continue
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.append(token[:5])  # a crude stem: "param" = "parameters", "train" = "training"
    return out


def containment(prompt: Sequence[str], text: Sequence[str]) -> float:
    """The largest share of the prompt's distinct words found within one stretch of the
    text about 2.5 times the prompt's length (so scattered common words do not add up)."""
    wanted = set(prompt)
    if not wanted:
        return 0.0
    width = max(8, int(2.5 * len(prompt)))
    if len(text) <= width:
        return len(wanted & set(text)) / len(wanted)
    counts: Counter[str] = Counter()
    best = 0
    for i, token in enumerate(text):
        if token in wanted:
            counts[token] += 1
        if i >= width:
            old = text[i - width]
            if old in wanted:
                counts[old] -= 1
                if counts[old] == 0:
                    del counts[old]
        best = max(best, len(counts))
    return best / len(wanted)


def abbreviation(prompt: Sequence[str], text: Sequence[str]) -> float:
    """How much of a message the prompt explains: a message that shortens a prompt ("After
    fine-tuning the model underfits; what would you change?") keeps few of its words but
    adds few of its own. Needs six shared words to count fully."""
    mine, theirs = set(text), set(prompt)
    shared = len(mine & theirs)
    return shared / len(mine) * min(1.0, shared / 6) if mine else 0.0


#: longest line (or pair of lines) compared with a prompt by difflib; far longer than any
#: prompt, whose ratio against such a line is at most 2 * len(prompt) / len(line)
_MAX_WINDOW = 5_000


def line_ratio(prompt: Sequence[str], text: str) -> float:
    """The best difflib ratio between the prompt and one or two consecutive lines."""
    target = " ".join(prompt)
    if not target:
        return 0.0
    lines = [" ".join(words(line)) for line in text.splitlines()]
    lines = [line for line in lines if line]
    windows = lines + [f"{a} {b}" for a, b in pairwise(lines)]
    best = 0.0
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for window in windows:
        if len(window) > _MAX_WINDOW:
            continue  # difflib is quadratic; a line this long scores near 0 against a prompt
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def text_score(prompt: str, text: str, text_words: Sequence[str] | None = None) -> float:
    tokens = words(prompt)
    mine = text_words if text_words is not None else words(text)
    score = max(containment(tokens, mine), abbreviation(tokens, mine))
    if score >= TEXT_THRESHOLD:
        return round(score, 3)
    return round(max(score, line_ratio(tokens, text)), 3)


@dataclass(frozen=True)
class PartMatch:
    key: PartKey
    confidence: float
    how: str  # "label+text", "label", "text" or "question"

    @property
    def label(self) -> str:
        return f"{self.key[0]}({self.key[1]})"


def named_questions(text: str, pset: ProblemSet) -> list[str]:
    ids = {q.id.casefold(): q.id for q in pset.questions}
    found = {ids[name.casefold()] for m in _QUESTION.finditer(text)
             if (name := m["id"] or m["num"]) and name.casefold() in ids}
    return [q.id for q in pset.questions if q.id in found]


def _labelled(
    text: str, pset: ProblemSet, scope: list[str], named: set[str]
) -> dict[PartKey, bool]:
    """Parts labelled in the message -> whether the label's question is certain."""
    refs = [PartRef(q, p.id, p.prompt, pset.question(q).title)
            for q in scope for p in pset.question(q).leaves]
    if len(refs) < 2:
        return {}
    result = segment_reply(_AFTER_QUESTION.sub("\\1\n", text), refs,
                           multi_question=len(scope) > 1)
    found: dict[PartKey, bool] = {}
    for key, seg in result.segments.items():
        if seg is None or seg.method not in ("label", "heading"):
            continue
        qid, pid = key
        if qid not in named and len(scope) > 1:
            # the label's question was inferred from order: take the one whose part reads most
            # like the labelled text
            seg_words = words(seg.text)
            options = [q for q in scope if any(p.id == pid for p in pset.question(q).leaves)]
            scores = {q: containment(words(pset.part(q, pid).prompt), seg_words) for q in options}
            best = max(options, key=lambda q: (scores[q], q == qid))
            qid = best
        found[(qid, pid)] = qid in named or (len(scope) == 1 and seg.confidence >= 0.9)
    return found


def _unexplained(matches: list[PartMatch], pset: ProblemSet, text: str,
                 text_words: set[str]) -> list[PartMatch]:
    """Drop a match by text alone whose matched words all belong to another match's prompt
    too, when that match is labelled, better, or not itself explained the same way ("What is
    the probability that the test is positive?" inside "Given that the test is positive, what
    is the probability...?"): the message asks the other one. A prompt that stands on its own
    line(s) of the message is kept."""
    prompts = {m.key: set(words(pset.part(*m.key).prompt)) for m in matches}
    shared = {m.key: prompts[m.key] & text_words for m in matches}

    def covers(o: PartMatch, m: PartMatch) -> bool:
        if o.key == m.key or not shared[m.key] <= prompts[o.key]:
            return False
        return (o.how != "text" or o.confidence > m.confidence
                or (o.confidence == m.confidence and not shared[o.key] <= prompts[m.key]))

    kept = []
    for m in matches:
        if m.how == "text" and any(covers(o, m) for o in matches) and line_ratio(
                words(pset.part(*m.key).prompt), text) < OWN_LINE:
            continue
        kept.append(m)
    return kept


def _headed(title: str, text: str) -> bool:
    """Does a line of the message start with the question's title ("## LoRA", "Question 2:
    Transformer circuits")? A title's words inside a sentence are no heading."""
    wanted = " ".join(words(title))
    return bool(wanted) and any(
        " ".join(words(_HEAD_PREFIX.sub("", line))).startswith(wanted)
        for line in text.splitlines())


def _about(pset: ProblemSet, text: str, named: list[str], restated: list[str],
           context: Sequence[str], matches: list[PartMatch]) -> set[str]:
    """The questions a message is about: those it names, restates or titles; else the one
    the conversation is on, if the message asks any of it; else the question most of whose
    parts it asks."""
    titled = {q.id for q in pset.questions if q.title and _headed(q.title, text)}
    about = set(named) | set(restated) | titled
    if about:
        return about
    asked: dict[str, list[float]] = {}
    for m in matches:
        asked.setdefault(m.key[0], []).append(m.confidence)
    current = set(context) & set(asked)
    if current:
        return current
    if not asked:
        return set()
    best = max(asked, key=lambda q: (len(asked[q]), max(asked[q])))
    return {best}


def match_turn(
    text: str, pset: ProblemSet, context: Sequence[str], asked_before: set[str] | None = None
) -> list[PartMatch]:
    """The parts a user message asks, in the set's order. `context` is the questions the
    conversation was last about, used to scope a bare "(b)"; a question named with none of
    its parts found counts as asked whole only when `asked_before` does not hold it yet."""
    text_words = words(text)
    scores = {(q.id, p.id): text_score(p.prompt, text, text_words)
              for q in pset.questions for p in q.leaves}
    named = named_questions(text, pset)
    restated = [q.id for q in pset.questions
                if q.stem and len(words(q.stem)) >= 4
                and containment(words(q.stem), text_words) >= STEM_THRESHOLD]
    evident = {q for (q, _), s in scores.items() if s >= TEXT_THRESHOLD}
    scope = [q.id for q in pset.questions if q.id in set(named) | set(restated) | evident]
    if not scope:
        scope = [q for q in context if any(q == x.id for x in pset.questions)]
    if not scope:
        scope = [q.id for q in pset.questions]
    labelled = _labelled(text, pset, scope, set(named) | set(restated))
    labelled_questions = {q for q, _ in labelled}
    matches: list[PartMatch] = []
    for question in pset.questions:
        needed = TEXT_AMONG_LABELS if question.id in labelled_questions else TEXT_THRESHOLD
        for part in question.leaves:
            key = (question.id, part.id)
            score = scores[key]
            if key in labelled:
                if score >= CONFIRM:
                    matches.append(PartMatch(key, round(0.6 + 0.4 * score, 3), "label+text"))
                else:
                    sure = labelled[key]
                    matches.append(PartMatch(key, LABEL_ONLY_NAMED if sure else
                                             LABEL_ONLY_CONTEXT, "label"))
            elif score >= needed:
                matches.append(PartMatch(key, score, "text"))
    matches = _unexplained(matches, pset, text, set(text_words))
    # a part is asked by its prompt's words only when the message is about its question: a
    # pasted question 1 shares a few words with some short prompt of question 6
    about = _about(pset, text, named, restated, context, matches)
    matches = [m for m in matches if m.how != "text" or m.key[0] in about]
    asked = {m.key[0] for m in matches}
    for qid in named:
        if qid not in asked and qid not in (asked_before or set()):
            matches += [PartMatch((qid, p.id), QUESTION_ONLY, "question")
                        for p in pset.question(qid).leaves]
    order = {(q.id, p.id): i for i, (q, p) in
             enumerate((q, p) for q in pset.questions for p in q.leaves)}
    return sorted(matches, key=lambda m: order[m.key])
