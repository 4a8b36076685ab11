"""Head-to-head comparisons, read from `psetbench.compare.Comparison` objects (or their JSON
dicts) by field name, so a report renders whatever a comparison holds and tolerates fields it
does not have yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _label(info: Any, fallback: str) -> str:
    model, strategy = _get(info, "model"), _get(info, "strategy")
    if model and strategy:
        return f"{model} · {strategy}"
    return str(strategy or model or fallback)


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


@dataclass
class PartRow:
    question: str
    part: str
    epoch: int
    winner: str  # "A", "B" or "tie"
    reason: str
    decided_by: str
    earned_a: float | None
    earned_b: float | None
    points: float | None
    length_a: int | None
    length_b: int | None
    flipped: bool
    inconsistent: bool
    label: str = ""  # "(e)(iii)" for a sub-part; comparisons before sub-parts have none

    @property
    def key(self) -> str:
        return f"{self.question}{self.label or f'({self.part})'}"


@dataclass
class HeadToHead:
    a: str
    b: str
    wins_a: int
    wins_b: int
    ties: int
    judge: str | None
    judged: int
    flips: int
    flip_rate: float | None
    inconsistent: int
    unscored: int
    unmatched: list[str]
    mean_diff: float | None
    ci_low: float | None
    ci_high: float | None
    ci_level: float
    ci_note: str | None
    sign_p: float | None
    mcnemar_p: float | None
    n_parts: int
    n_questions: int
    parts: list[PartRow] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.wins_a + self.wins_b + self.ties


def _raw(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    for method in ("to_dict", "model_dump"):
        fn = getattr(obj, method, None)
        if callable(fn):
            try:
                result = fn(mode="json") if method == "model_dump" else fn()
            except TypeError:
                result = fn()
            if isinstance(result, dict):
                return result
    return {}


def head_to_head(obj: Any) -> HeadToHead:
    stats = _get(obj, "stats")
    parts = [
        PartRow(
            question=str(_get(p, "question", "?")), part=str(_get(p, "part", "?")),
            epoch=_int(_get(p, "epoch", 1)) or 1, winner=str(_get(p, "winner", "tie")),
            reason=str(_get(p, "reason", "")), decided_by=str(_get(p, "decided_by", "")),
            earned_a=_num(_get(p, "earned_a")), earned_b=_num(_get(p, "earned_b")),
            points=_num(_get(p, "points")), length_a=_get(p, "length_a"),
            length_b=_get(p, "length_b"), flipped=bool(_get(p, "flipped", False)),
            inconsistent=bool(_get(p, "inconsistent", False)),
            label=str(_get(p, "label", "") or ""),
        )
        for p in _get(obj, "parts", None) or []
    ]
    return HeadToHead(
        a=_label(_get(obj, "a"), "A"), b=_label(_get(obj, "b"), "B"),
        wins_a=_int(_get(obj, "wins_a")), wins_b=_int(_get(obj, "wins_b")),
        ties=_int(_get(obj, "ties")), judge=_get(obj, "judge"),
        judged=_int(_get(obj, "judged")), flips=_int(_get(obj, "flips")),
        flip_rate=_num(_get(obj, "flip_rate")), inconsistent=_int(_get(obj, "inconsistent")),
        unscored=_int(_get(obj, "unscored")),
        unmatched=[str(u) for u in _get(obj, "unmatched", None) or []],
        mean_diff=_num(_get(stats, "mean_diff")), ci_low=_num(_get(stats, "ci_low")),
        ci_high=_num(_get(stats, "ci_high")), ci_level=_num(_get(stats, "ci_level")) or 0.95,
        ci_note=_get(stats, "ci_note"), sign_p=_num(_get(stats, "sign_p")),
        mcnemar_p=_num(_get(stats, "mcnemar_p")), n_parts=_int(_get(stats, "n_parts")),
        n_questions=_int(_get(stats, "n_questions")), parts=parts, raw=_raw(obj),
    )
