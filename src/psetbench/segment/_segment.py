"""Split a reply into per-part answers: labels first, restated headings second, order last."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from psetbench.segment._clean import clean_reply
from psetbench.segment._fallback import divide, heading_markers, title_markers
from psetbench.segment._labels import Marker, find_markers
from psetbench.segment._mask import mask
from psetbench.segment._nested import segment_nested
from psetbench.segment._repeats import (
    LABEL,
    MERGED,
    Accepted,
    Candidate,
    Plan,
    choose,
    no_stealing,
)
from psetbench.segment._text import words
from psetbench.segment._tree import is_nested, split_id
from psetbench.segment._types import MODEL_THRESHOLD, PartRef, SegmentationResult
from psetbench.types import Segment

UNKNOWN = "\x00unknown"  # the scope of a question that was not asked

# confidences: see docs/segmentation.md
QUESTION_ONLY, INLINE, OTHER_CASE, RENUMBERED = 0.9, 0.9, 0.85, 0.85
HEADING, INFERRED, ORDER = 0.75, 0.6, 0.4
INFERRED_NOTE = "question inferred from the order of the labels"
#: with parts missing, this much unassigned text (non-space characters) may hold their answers
UNASSIGNED_LIMIT = 150


def _resolve(m: Marker, ids: list[str]) -> tuple[tuple[str, ...], bool]:
    """The marker's part ids as the set spells them, ranges expanded; and whether a bare
    label matched only by ignoring case ("(A)" for part a)."""
    out: list[str] = []
    weak = False
    for token, is_range in zip(m.tokens, m.ranges or (False,) * len(m.tokens), strict=True):
        pid = token if token in ids else next(
            (i for i in ids if i.casefold() == token.casefold()), None)
        if pid is None:
            continue
        weak = weak or (pid != token and not m.keyword)
        if is_range and out and ids.index(out[-1]) < ids.index(pid):
            out.extend(ids[ids.index(out[-1]) + 1:ids.index(pid) + 1])
        elif pid not in out:
            out.append(pid)
    return tuple(out), weak


def _infer(plan: Plan, scope: str | None, seen: set[str], m: Marker) -> str:
    """Which question an unscoped label belongs to in a whole-set reply with no question
    headings: the current one, until a label repeats or names a part it does not have."""
    def has(q: str) -> bool:
        return bool(_resolve(m, plan.qparts[q])[0])

    if scope is not None and has(scope) and not set(_resolve(m, plan.qparts[scope])[0]) & seen:
        return scope
    start = 0 if scope is None else plan.questions.index(scope) + 1
    for q in plan.questions[start:]:
        if has(q):
            return q
    return scope if scope is not None else next(q for q in plan.questions if has(q))


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _walk(plan: Plan, markers: list[Marker], masked: str) -> list[Accepted]:
    """Give each label its question scope and its parts; drop labels that are no labels here."""
    single = plan.questions[0] if len(plan.questions) == 1 else None
    scope: str | None = single
    inferred = False
    seen: set[str] = set()
    accepted: list[Accepted] = []
    for m in sorted(markers, key=lambda k: k.start):
        if m.kind == "question":
            if plan.multi:
                scope = m.question if m.question in plan.qparts else UNKNOWN
                inferred, seen = False, set()
                accepted.append(Accepted(m, scope))
            continue
        acc = Accepted(m, UNKNOWN, confidence=INLINE if m.inline else LABEL)
        new_scope = scope
        if m.method == "heading" and m.question is not None:
            new_scope, inferred, acc.confidence = m.question, False, HEADING
        elif m.question is not None:
            if m.question in plan.qparts:
                new_scope, inferred = m.question, False
            elif not plan.multi:
                acc.confidence = RENUMBERED
                acc.reasons.append(f"labelled as question {m.question}")
            else:
                new_scope, inferred = UNKNOWN, False
        elif plan.multi and single is None and (scope is None or inferred):
            new_scope, inferred = _infer(plan, scope, seen, m), True
            acc.confidence = INFERRED
            acc.reasons.append(INFERRED_NOTE)
        if new_scope != scope:
            seen = set()
        scope = new_scope
        if scope is None or scope == UNKNOWN:
            accepted.append(acc)
            continue
        ids = plan.qparts[scope]
        parts, weak = _resolve(m, ids)
        if not parts:
            continue  # e.g. "(e)" when this question's parts are a-d: no label
        if m.inline:
            prev = accepted[-1] if accepted else None
            if (prev is None or not prev.parts or prev.question != scope
                    or _line_start(masked, prev.marker.start) != _line_start(masked, m.start)
                    or ids.index(parts[0]) != ids.index(prev.parts[-1]) + 1):
                continue
        if weak:
            acc.confidence = min(acc.confidence, OTHER_CASE)
            acc.reasons.append("label matched ignoring case")
        acc.question, acc.parts, acc.weak = scope, parts, weak
        seen.update(parts)
        accepted.append(acc)
    return _filter(accepted)


def _filter(accepted: list[Accepted]) -> list[Accepted]:
    """Drop the labels that lose to others (see docs/segmentation.md, "Label styles")."""
    exact = {a.question for a in accepted if a.parts and not a.weak}
    kept = [a for a in accepted if not (a.weak and a.question in exact)]
    primary = _primary_style(kept)
    styled = {(a.question, p) for a in kept if a.marker.style == primary for p in a.parts}
    kept = [a for a in kept if a.marker.style == primary or a.marker.style.startswith(
        "qualified") or not any((a.question, p) in styled for p in a.parts)]
    out: list[Accepted] = []
    for a in kept:
        prev = out[-1] if out else None
        if (prev is not None and a.parts and prev.parts == a.parts
                and prev.question == a.question):
            continue  # "## Part (a)" ... "(a) ...": the second continues the first
        out.append(a)
    return out


def _primary_style(accepted: list[Accepted]) -> str | None:
    """The reply's label style: the one that labels the most parts; on a tie, the first used.
    A part labelled in this style and in another has its other labels dropped: they are inner
    list items ("a. ... b. ..." inside "**(c)**"), "Answer (a): ..." lines, or a summary."""
    covered: dict[str, set[tuple[str, str]]] = {}
    for a in accepted:
        covered.setdefault(a.marker.style, set()).update((a.question, p) for p in a.parts)
    if not covered:
        return None
    order = list(covered)
    return max(order, key=lambda style: (len(covered[style]), -order.index(style)))


def _tidy(text: str) -> str:
    """A span's text without trailing rules, and without the "**" that closed a bold label
    line ("**(a) Memory**" leaves "Memory**" after the label)."""
    lines = text.strip().split("\n")
    while lines and lines[-1].strip() in ("---", "***", "___", "**", ""):
        lines.pop()
    if lines:
        first = lines[0].rstrip()
        for closer in ("**", "__"):
            if first.endswith(closer) and first.count(closer) % 2 == 1:
                lines[0] = first[:-len(closer)].rstrip()
    return "\n".join(lines).strip()


def _unrestated(text: str, prompt: list[str]) -> str:
    """The text without a first line that only restates the part's prompt (a label line such
    as "**(c) How many 80 GB GPUs hold the weights?**"), so that its numbers are not read as
    the answer's."""
    first, _, rest = text.partition("\n")
    line = words(first)
    if rest.strip() and len(line) >= 2 and set(line) <= set(prompt) \
            and len(set(line)) >= 0.6 * len(set(prompt)):
        return rest.strip()
    return text


def _markers(plan: Plan, masked: str) -> list[Marker]:
    titles = {r.question: r.question_title for r in plan.refs if r.question_title}
    markers = find_markers(masked, plan.part_ids, plan.questions, titles)
    if plan.multi:
        taken = {m.start for m in markers}
        markers += title_markers(masked, titles, taken)
    return markers


def segment_reply(
    reply: str, parts: Sequence[PartRef], *, multi_question: bool | None = None
) -> SegmentationResult:
    """Which text of `reply` answers which of `parts`.

    `multi_question`: None infers it (several questions asked -> question headings scope the
    part labels); False is only valid when every part belongs to one question.
    """
    refs = tuple(parts)
    if not refs:
        raise ValueError("segment_reply: `parts` is empty; pass the parts the reply was asked")
    keys = [r.key for r in refs]
    if len(set(keys)) != len(keys):
        dupes = sorted({f"{q}({p})" for q, p in keys if keys.count((q, p)) > 1})
        raise ValueError(f"segment_reply: part(s) {', '.join(dupes)} listed twice in `parts`")
    questions = tuple(dict.fromkeys(r.question for r in refs))
    multi = multi_question if multi_question is not None else len(questions) > 1
    if not multi and len(questions) > 1:
        raise ValueError(f"segment_reply: multi_question=False but the parts come from questions "
                         f"{', '.join(questions)}; pass multi_question=True or None")
    cleaned, removed = clean_reply(reply)
    result = SegmentationResult(parts=refs, segments=dict.fromkeys(keys), removed=removed,
                                cleaned=cleaned)
    if not cleaned:
        return result
    if len(refs) == 1:
        ref = refs[0]
        result.segments[ref.key] = Segment(question=ref.question, part=ref.part, text=cleaned,
                                           method="single", confidence=1.0)
        return result
    if is_nested(refs):
        return _nested(cleaned, refs, result, multi)
    qparts: dict[str, list[str]] = defaultdict(list)
    for r in refs:
        qparts[r.question].append(r.part)
    plan = Plan(refs, questions, dict(qparts), multi)
    masked = mask(cleaned)
    markers = _markers(plan, masked)
    accepted = _walk(plan, markers, masked)
    labelled = {(a.question, p) for a in accepted for p in a.parts}
    unlabelled = [r for r in refs if r.key not in labelled]
    if unlabelled:
        extra = heading_markers(masked, unlabelled, {m.start for m in markers})
        if extra:
            accepted = _walk(plan, markers + extra, masked)
    accepted = no_stealing(plan, accepted, cleaned, result.notes)
    _assign(plan, accepted, cleaned, result)
    return result


def _assign(
    plan: Plan, accepted: list[Accepted], cleaned: str, result: SegmentationResult
) -> None:
    notes = result.notes
    unassigned: list[str] = []
    intro: dict[str, list[str]] = defaultdict(list)
    cands: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    prompts = {r.key: words(r.prompt) for r in plan.refs}
    if accepted:
        unassigned.append(cleaned[:accepted[0].marker.start])
    for i, a in enumerate(accepted):
        end = accepted[i + 1].marker.start if i + 1 < len(accepted) else len(cleaned)
        text = _tidy(cleaned[a.marker.body:end]) if a.marker.body < end else ""
        if i + 1 < len(accepted) and accepted[i + 1].marker.inline:
            text = text.rstrip(";,|").rstrip()  # "a) 2 TB; b) ..."
        if a.aside:
            line_end = cleaned.find("\n", a.marker.start, end)
            line_end = end if line_end < 0 else line_end
            unassigned.append(cleaned[a.marker.start:line_end])
            before = accepted[i - 1]
            rest = cleaned[line_end:end].strip()
            if rest and len(before.parts) == 1 and cands[(before.question, before.parts[0])]:
                last = cands[(before.question, before.parts[0])][-1]
                last.text = f"{last.text}\n\n{rest}"
            elif rest:
                unassigned.append(rest)
        elif a.question == UNKNOWN:
            unassigned.append(cleaned[a.marker.start:end])
        elif not a.parts:
            intro[a.question].append(text)
        else:
            method = a.marker.method
            for p in a.parts:
                conf, reasons = a.confidence, list(a.reasons)
                if len(a.parts) > 1:
                    conf = min(conf, MERGED)
                    reasons.append("answered together with " + ", ".join(
                        f"({o})" for o in a.parts if o != p))
                own = text if len(a.parts) > 1 else _unrestated(text, prompts[(a.question, p)])
                cands[(a.question, p)].append(Candidate(own, conf, method, a.parts, reasons))
    # parts with no label go to the fallback: the whole reply when it has no label at all,
    # else each question's own text (under its heading) when none of its parts is labelled
    groups: list[tuple[list[PartRef], str]] = []
    if not accepted:
        groups.append((list(plan.refs), cleaned))
    for ref in plan.refs:
        chosen = choose(cands.get(ref.key, []), ref.label, notes)
        if chosen is None:
            continue
        result.segments[ref.key] = Segment(question=ref.question, part=ref.part,
                                           text=chosen.text, method=chosen.method,
                                           confidence=chosen.confidence)
        if len(chosen.parts) > 1:
            result.shared[ref.key] = chosen.parts
        for reason in chosen.reasons:
            notes.append(f"{ref.label}: {reason}")
    for q in plan.questions:
        found = any(result.segments[(q, p)] is not None for p in plan.qparts[q])
        block = "\n\n".join(t for t in intro[q] if t)
        if found:
            unassigned.append(block)
        elif block:
            groups.append(([r for r in plan.refs if r.question == q], block))
    for refs, block in groups:
        unassigned.append(_fallback(refs, block, result))
    _review(plan, result, unassigned)


def _fallback(refs: list[PartRef], block: str, result: SegmentationResult) -> str:
    """Answers for parts with no label at all; returns the text left unassigned."""
    if not block.strip():
        return ""
    if len(refs) == 1:
        ref = refs[0]
        result.segments[ref.key] = Segment(question=ref.question, part=ref.part, text=block,
                                           method="label", confidence=QUESTION_ONLY)
        result.notes.append(f"{ref.label}: the only part of its question; its whole answer")
        return ""
    division = divide(block, mask(block), len(refs))
    result.needs_model = True
    labels = ", ".join(r.label for r in refs)
    if division is None:
        result.notes.append(f"{labels}: no labels, and no way to cut the text into "
                            f"{len(refs)} blocks; ask a grader model")
        return block
    pieces, how, leftover = division
    for ref, piece in zip(refs, pieces, strict=True):
        result.segments[ref.key] = Segment(question=ref.question, part=ref.part, text=piece,
                                           method="order", confidence=ORDER)
    result.notes.append(f"{labels}: no labels; {len(refs)} {how} taken in order")
    return leftover


def _review(plan: Plan, result: SegmentationResult, unassigned: list[str]) -> None:
    """Fill `unassigned` and decide whether a grader model should confirm the segmentation."""
    result.unassigned = "\n\n".join(t.strip() for t in unassigned if t.strip())
    if any(s.confidence < MODEL_THRESHOLD for s in result.found):
        result.needs_model = True
    missing = result.missing
    if not missing:
        return
    if len("".join(result.unassigned.split())) >= UNASSIGNED_LIMIT:
        result.needs_model = True
        result.notes.append("parts are missing and some text answers no part; ask a grader "
                            "model whether it holds them")
    if any(INFERRED_NOTE in note for note in result.notes):
        result.needs_model = True  # labels restarted, yet some question came out incomplete
    for q in {r.question for r in missing}:
        found = [s for p in plan.qparts[q] if (s := result.segments[(q, p)]) is not None]
        if found and all(s.method == "heading" for s in found):
            result.needs_model = True


def _nested(cleaned: str, refs: tuple[PartRef, ...], result: SegmentationResult,
            multi: bool) -> SegmentationResult:
    """Parts with sub-parts: one question is walked down its label tree; several questions
    are split by question and top-level part first, then each part down its own tree."""
    if not multi:
        return segment_nested(cleaned, refs, result)
    tops: dict[tuple[str, str], list[PartRef]] = defaultdict(list)
    for r in refs:
        ids = {x.part for x in refs if x.question == r.question}
        tops[(r.question, split_id(r.part, ids)[0])].append(r)
    outer = segment_reply(cleaned, [PartRef(q, top, " ".join(r.prompt for r in group),
                                            group[0].question_title)
                                    for (q, top), group in tops.items()],
                          multi_question=True)
    result.notes += outer.notes
    result.unassigned = outer.unassigned
    for (q, top), group in tops.items():
        seg = outer.get(q, top)
        if seg is None:
            continue
        if len(group) == 1 and len(split_id(group[0].part, set())) == 1:
            result.segments[group[0].key] = seg.model_copy(update={"part": group[0].part})
            continue
        inner = segment_nested(seg.text, group, SegmentationResult(
            parts=tuple(group), segments=dict.fromkeys(r.key for r in group)))
        result.segments.update(inner.segments)
        result.notes += inner.notes
        result.needs_model = result.needs_model or inner.needs_model
    return result
