"""Reports from graded runs built in memory: HTML safety and sections, patterns, suggestions,
intervals, Markdown, JSON."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from psetbench.problemset import ProblemSet
from psetbench.record import Run, RunMeta
from psetbench.report import (
    SCHEMA_VERSION,
    ReportError,
    build_report_data,
    render_html,
    report_json,
    synthetic_runs,
    write_report,
)
from psetbench.types import CheckResult, CheckStatus, PartGrade, Verdict

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
INJECTED = f"The answer is 2 TB. {SCRIPT} and {IMG}"

SET = ProblemSet.model_validate({
    "psetbench": 1, "id": "mem", "title": "Memory <homework>", "questions": [
        {"id": "1", "title": "Storage", "stem": "A model has $10^{12}$ parameters.", "parts": [
            {"id": "a", "prompt": "How many bytes in bf16? Give $N \\cdot 2$.",
             "solution": "$$2 \\times 10^{12}$$ bytes = **2 TB**.", "difficulty": "easy",
             "checks": [{"kind": "numeric", "label": "bytes", "answer": "2 TB"}]},
            {"id": "b", "prompt": "How many 80 GB GPUs, and why?", "solution": "25 GPUs.",
             "difficulty": "hard", "points": 2,
             "checks": [{"kind": "numeric", "label": "GPUs", "answer": 25, "unit": "GPU"},
                        {"kind": "keypoints", "label": "why", "points": ["it cannot fit"]}]},
        ]},
        {"id": "2", "parts": [
            {"id": "a", "prompt": "Memory of LoRA factors?", "solution": "$4k(m+l)$",
             "checks": [{"kind": "expression", "answer": "4*k*(m+l)"}]},
            {"id": "b", "prompt": "Why does zero init stall?", "solution": "Zero gradients.",
             "difficulty": "hard"},
        ]},
        {"id": "3", "parts": [
            {"id": "a", "prompt": "Time for 1e21 FLOP at 1e15 FLOP/s?", "solution": "1e6 s",
             "checks": [{"kind": "numeric", "label": "time", "answer": "1e6 s",
                         "alternatives": [{"answer": "11.6 day", "note": "in days"}]}]},
        ]},
    ]})


def _check(status: CheckStatus, expected: str, found: str | None = None, *, label: str = "x",
           reason: str = "", matched: str | None = None, kind: str = "numeric") -> CheckResult:
    score = {CheckStatus.passed: 1.0, CheckStatus.partial: 0.5}.get(status, 0.0)
    return CheckResult(kind=kind, label=label, status=status, score=score, expected=expected,
                       found=found, matched=matched, reason=reason or status.value,
                       method="numeric/pint")


def _g(q: str, p: str, strategy: str, verdict: Verdict, score: float, **kw: Any) -> PartGrade:
    points = SET.part(q, p).points
    return PartGrade(set_id="mem", question=q, part=p, model="test/model", strategy=strategy,
                     verdict=verdict, score=score, points=points, reason=kw.pop("reason", "r"),
                     grader=kw.pop("grader", "checks"), **kw)


def _run(strategy: str, grades: list[PartGrade]) -> Run:
    for g in grades:
        g.log = f"logs/mem_{strategy}.eval"
    return Run(path=f"logs/mem_{strategy}.eval", pset=SET, strategy=strategy,
               model="test/model", status="success", prompt="expert", grades=grades,
               input_tokens=1000, output_tokens=500, started="2026-01-05T10:00:00+00:00",
               completed="2026-01-05T10:01:00+00:00",
               meta=RunMeta(set=SET, strategy=strategy, version="0.1.0"))


def injected_runs() -> list[Run]:
    """Two strategies over SET, with one answer per failure pattern and an injected script."""
    per_part = [
        _g("1", "a", "per-part", Verdict.correct, 1.0, answer=INJECTED,
           checks=[_check(CheckStatus.passed, "2 TB", "2 TB", label="bytes",
                          matched="answer")],
           judge={"status": "ok", "verdict": "correct", "score": 1.0, "reason": "states 2 TB",
                  "quotes": [f"quoted {SCRIPT}"], "agreement": 1.0,
                  "models": ["judge/model"], "critique": f"fine {IMG}"}),
        _g("1", "b", "per-part", Verdict.partial, 0.5, reason="not answered: why",
           answer="25 GPUs. See [docs](https://example.com/x).",
           checks=[_check(CheckStatus.passed, "25 GPU", "25 GPU", label="GPUs"),
                   _check(CheckStatus.unaddressed, "it cannot fit", label="why",
                          kind="keypoints")],
           carried_forward=True, disagreements=["keypoints 'why' unaddressed but the judge "
                                                "says correct"]),
        _g("2", "a", "per-part", Verdict.ungraded, 0.0, reason="no check could decide",
           answer="$4k(m+l)$ and \\(\\text{<b>bold</b>}\\)", nudged=True),
        _g("2", "b", "per-part", Verdict.ungraded, 0.0, answer="Because zero.",
           reason="no machine checks", better_than_solution=True,
           ambiguity="reads 'stall' as 'diverge'"),
        _g("3", "a", "per-part", Verdict.correct, 1.0, answer="About 11.6 days.",
           checks=[_check(CheckStatus.passed, "1e6 s", "11.6 days", label="time",
                          matched="in days")]),
    ]
    whole_set = [
        _g("1", "a", "whole-set", Verdict.incorrect, 0.0, answer="It takes 2000 TB.",
           checks=[_check(CheckStatus.failed, "2 TB", "2000 TB", label="bytes",
                          reason="1000x too large vs 2 TB")]),
        _g("1", "b", "whole-set", Verdict.incorrect, 0.0, answer="About 25 seconds.",
           checks=[_check(CheckStatus.unaddressed, "25 GPU", label="GPUs",
                          reason="the answer states no GPU count; it gives 25 s (a time)"),
                   _check(CheckStatus.unaddressed, "it cannot fit", label="why",
                          kind="keypoints")]),
        _g("2", "a", "whole-set", Verdict.missing, 0.0, grader="segmentation",
           reason="no answer to this part was found in the reply"),
        _g("2", "b", "whole-set", Verdict.missing, 0.0, grader="segmentation",
           reason="no answer to this part was found in the reply"),
        _g("3", "a", "whole-set", Verdict.incorrect, 0.0, answer="I like trains.",
           checks=[_check(CheckStatus.unaddressed, "1e6 s", label="time",
                          reason="the answer states no number at all")]),
    ]
    return [_run("per-part", per_part), _run("whole-set", whole_set)]


def test_html_escapes_untrusted_text(tmp_path: Path) -> None:
    html = write_report(injected_runs(), tmp_path / "r.html").read_text()
    assert SCRIPT not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert not re.search(r"<[a-z][^>]*\sonerror\s*=", html, re.IGNORECASE)
    assert "<b>bold</b>" not in html  # TeX \text{} never passes markup through
    assert "Memory &lt;homework&gt;" in html
    assert len(re.findall(r"<script\b", html)) == 1  # the report's own script only
    assert "Content-Security-Policy" in html and "default-src 'none'" in unescape(html)


def test_html_has_no_external_assets(tmp_path: Path) -> None:
    html = write_report(injected_runs(), tmp_path / "r.html").read_text()
    assert not re.search(r"\bsrc\s*=\s*[\"']?(?:https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"<link\b|@import|url\(\s*[\"']?(?:https?:)?//", html, re.IGNORECASE)
    links = re.findall(r"<a\b[^>]*href=\"https?://[^>]*>", html)
    assert links and all('rel="noopener noreferrer nofollow"' in a for a in links)


def test_html_sections(tmp_path: Path) -> None:
    html = write_report(injected_runs(), tmp_path / "r.html").read_text()
    for section in ("scoreboard", "plots", "patterns", "suggestions", "grid", "questions"):
        assert f'<section id="{section}">' in html, section
    assert 'id="head-to-head"' not in html  # no comparisons given
    assert html.count("<svg") == 3
    assert 'id="p-1-a"' in html and 'class="answer"' in html
    assert "<math" in html  # the set's LaTeX rendered to MathML
    assert "carried forward" in html and "better than solution" in html
    assert "reads &#39;stall&#39; as &#39;diverge&#39;" in html
    assert "judge/model" in html and "<blockquote>quoted &lt;script&gt;" in html
    assert "test/model" in html and "Wall time" in html and "psetbench" in html


def test_scoreboard_interval_is_clustered_and_reproducible() -> None:
    runs = synthetic_runs(questions=12, parts=3, strategies=("one-turn", "per-part"))
    first = build_report_data(runs)
    second = build_report_data(runs)
    for a, b in zip(first.columns, second.columns, strict=True):
        assert a.interval is not None and a.interval == b.interval
        assert a.interval.unit == "question" and a.interval.clusters == 12
        assert a.interval.low <= a.score <= a.interval.high
        assert a.interval.high - a.interval.low > 0
    one_question = build_report_data([_run("per-part", injected_runs()[0].grades[:2])])
    interval = one_question.columns[0].interval
    assert interval is not None and interval.unit == "part"


def test_scoreboard_counts() -> None:
    data = build_report_data(injected_runs())
    whole = next(c for c in data.columns if c.strategy == "whole-set")
    per_part = next(c for c in data.columns if c.strategy == "per-part")
    assert whole.counts["missing"] == 2 and whole.count(Verdict.incorrect) == 3
    assert per_part.counts["ungraded"] == 2 and per_part.nudged == 1
    assert per_part.absent == 0
    short = build_report_data([_run("hybrid", injected_runs()[0].grades[:3])])
    assert short.columns[0].absent == 2  # 2(b) and 3(a) never graded


def test_failure_patterns() -> None:
    patterns = {p.id: p for p in build_report_data(injected_runs()).patterns}
    counts = {k: p.count for k, p in patterns.items()}
    assert counts == {"omission_question": 1, "omission_part": 0, "omission_ask": 2,
                      "answered_other": 0,
                      "misread": 1, "wrong_number": 1, "unit_error": 1, "ambiguity": 2,
                      "empty_reply": 1, "disagreement": 1}
    assert patterns["omission_question"].by_strategy == {"whole-set": 1}
    assert patterns["omission_question"].examples[0].key == "2"
    wrong = patterns["wrong_number"]
    assert wrong.factors == [pytest.approx(1000.0)] and wrong.powers_of_ten == 1
    assert "power of ten" in wrong.examples[0].detail
    assert "1(b)" == patterns["unit_error"].examples[0].key
    ambiguity = {e.key: e.detail for e in patterns["ambiguity"].examples}
    assert "in days" in ambiguity["3(a)"] and "diverge" in ambiguity["2(b)"]


def test_suggestions_quote_computed_numbers() -> None:
    texts = [s.text for s in build_report_data(injected_runs()).suggestions]
    joined = "\n".join(texts)
    assert "2 of 3 omissions happened under whole-set (1 whole questions, 2 asks within a " \
        "part): ask long homework per question" in joined
    assert "1 of 1 wrong numbers with a readable factor were off by a power of ten" in joined
    assert "per-part scored" in joined and "higher than whole-set" in joined
    per_part = build_report_data(injected_runs()).columns[0]
    gap = next(t for t in texts if t.startswith("per-part scored"))
    assert f"{100 * per_part.score:.1f}%" in gap
    assert any("2 of 10 part answers are ungraded" in t for t in texts)


def test_markdown_report_keeps_the_grid_and_writes_plots(tmp_path: Path) -> None:
    path = write_report(injected_runs(), tmp_path / "report.md")
    text = path.read_text()
    assert "| part | points | difficulty | per-part | whole-set |" in text
    assert "| 1(a) | 1 | easy | ✅ 1 | ❌ 0 |" in text
    for name in ("score", "heatmap", "difficulty"):
        assert f"](report-{name}.svg)" in text
        svg = (tmp_path / f"report-{name}.svg").read_text()
        assert svg.startswith("<svg xmlns=")
    for heading in ("## Scoreboard", "## Plots", "## Failure patterns", "## Suggestions",
                    "## Per part", "## Why"):
        assert heading in text
    assert SCRIPT not in text.split("```text")[0]  # escaped outside the fenced answers
    assert "&lt;script&gt;" in text


def test_json_report(tmp_path: Path) -> None:
    path = write_report(injected_runs(), tmp_path / "out.txt", form="json")
    doc = json.loads(path.read_text())
    again = _json_roundtrip(report_json(injected_runs()))
    assert doc == again | {"generated": doc["generated"]}
    assert doc["schema_version"] == SCHEMA_VERSION == 1
    assert doc["header"]["set_id"] == "mem" and len(doc["scoreboard"]) == 2
    board = doc["scoreboard"][0]
    assert {"score", "ci", "verdicts", "absent", "nudged", "by_difficulty"} <= set(board)
    part = doc["questions"][0]["parts"][0]
    assert part["grades"][0]["answer"] == INJECTED
    assert {p["id"] for p in doc["patterns"]} >= {"wrong_number", "omission_question"}
    assert doc["heatmap"]["rows"] == "part" and len(doc["heatmap"]["cells"]) == 5


def _json_roundtrip(value: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(value))
    return result


def test_head_to_head_renders_comparisons(tmp_path: Path) -> None:
    comparison = {
        "set_id": "mem", "a": {"model": "test/model", "strategy": "per-part", "path": "x"},
        "b": {"model": "test/model", "strategy": "whole-set", "path": "y"},
        "judge": "judge/model", "wins_a": 3, "wins_b": 1, "ties": 1, "judged": 1, "flips": 1,
        "flip_rate": 1.0, "inconsistent": 0, "unscored": 0, "unmatched": [],
        "stats": {"n_parts": 5, "n_questions": 3, "mean_diff": 0.35, "ci_low": 0.1,
                  "ci_high": 0.6, "sign_p": 0.625, "mcnemar_p": 0.5},
        "parts": [{"question": "1", "part": "a", "winner": "A", "decided_by": "grades",
                   "reason": f"A scored 1/1, B 0/1 {SCRIPT}", "earned_a": 1, "earned_b": 0,
                   "points": 1, "length_a": 20, "length_b": 17}],
    }
    html = write_report(injected_runs(), tmp_path / "r.html",
                        comparisons=[comparison]).read_text()
    assert '<section id="head-to-head">' in html
    assert "+35.0</strong> points" in html and "+10.0 to +60.0" in html
    assert "flip rate 100%" in html and SCRIPT not in html
    md = write_report(injected_runs(), tmp_path / "r.md", comparisons=[comparison]).read_text()
    assert "## Head to head" in md and "**3** parts won by A" in md
    doc = _json_roundtrip(report_json(injected_runs(), [comparison]))
    assert doc["comparisons"][0]["wins_a"] == 3


def test_real_comparison_objects_render(tmp_path: Path) -> None:
    compare = pytest.importorskip("psetbench.compare._compare")
    stats = pytest.importorskip("psetbench.compare._stats")
    comparison = compare.Comparison(
        set_id="mem", a=compare.RunInfo(path="x", model="m", strategy="per-part"),
        b=compare.RunInfo(path="y", model="m", strategy="whole-set"), parts=[], wins_a=2,
        wins_b=0, ties=3, judged=0, flips=0, inconsistent=0,
        stats=stats.Stats(n_parts=5, n_questions=3, mean_diff=0.2, ci_low=-0.1, ci_high=0.5))
    html = write_report(injected_runs(), tmp_path / "r.html",
                        comparisons=[comparison]).read_text()
    assert "m · per-part" in html and "+20.0</strong>" in html


def test_unknown_form_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"unknown report form '\.pdf'.*\.html, \.md or \.json"):
        write_report(injected_runs(), tmp_path / "r.pdf")
    with pytest.raises(ReportError, match="unknown report format 'xml'"):
        write_report(injected_runs(), tmp_path / "r.html", form="xml")
    assert not (tmp_path / "r.html").exists()


def test_large_sets_get_a_question_heat_map() -> None:
    runs = synthetic_runs(questions=40, parts=5, strategies=("one-turn",))
    html = render_html(build_report_data(runs))
    assert "Score per question and strategy" in html
    assert html.count("<rect") < 40 * 1 + 200  # one cell per question, not per part
