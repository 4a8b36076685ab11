"""The report's building blocks: factors, intervals, safe Markdown and math, plots."""

from __future__ import annotations

import re

import pytest

from psetbench.report import build_report_data, synthetic_runs
from psetbench.report._factor import Factor, off_by
from psetbench.report._markdown import fenced, inline
from psetbench.report._stats import cluster_bootstrap
from psetbench.report._svg import MAX_HEAT_ROWS, heat_color, heat_rows, plots
from psetbench.report._text import Renderer, tex_to_html


@pytest.mark.parametrize(("expected", "found", "factor"), [
    ("2 TB", "2000 TB", 1000.0),
    ("2 TB", "2,000 GB", 1.0),
    ("2 TB", "2 GB", 0.001),
    ("25", "12.5", 0.5),
    ("25 GPU", "50", 2.0),
    ("1e6 s", "-1e6 s", -1.0),
    ("3 x 10^4 s", "3e5 s", 10.0),
    ("2 billion", "2 million", 0.001),
])
def test_off_by(expected: str, found: str, factor: float) -> None:
    result = off_by(expected, found)
    assert result is not None and result.value == pytest.approx(factor)


@pytest.mark.parametrize(("expected", "found"), [
    ("2 TB", None), ("2 TB", "many"), ("0 s", "5 s"),
])
def test_off_by_unknown(expected: str, found: str | None) -> None:
    assert off_by(expected, found) is None


def test_factor_text() -> None:
    assert Factor(1000.0).text == "×1,000, a power of ten"
    assert Factor(0.001).text == "×0.001, a power of ten"
    assert Factor(1e9).short == "×10^9"
    assert Factor(2.5).text == "×2.5" and Factor(2.5).power_of_ten is None
    assert Factor(-1.0).text == "sign flipped"
    assert Factor(-100.0).text == "×-100, a power of ten, sign flipped"


def test_cluster_bootstrap() -> None:
    clusters = [(1.0, 1.0), (0.0, 1.0), (2.0, 2.0), (0.0, 2.0)]
    first = cluster_bootstrap(clusters)
    assert first is not None and first == cluster_bootstrap(clusters)
    assert 0.0 <= first.low < 0.5 < first.high <= 1.0
    assert cluster_bootstrap([(1.0, 1.0)]) is None
    assert cluster_bootstrap([(0.0, 0.0), (0.0, 0.0)]) is None
    same = cluster_bootstrap([(1.0, 2.0)] * 5)
    assert same is not None and same.low == same.high == pytest.approx(0.5)


def test_untrusted_markdown_stays_text() -> None:
    md = Renderer(mathml=True)
    html = str(md('<script>alert(1)</script> <img src=x onerror="alert(2)"> '
                  '![pixel](https://tracker.example/p.png) [x](javascript:alert(3))'))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and 'href="javascript' not in html
    assert 'href="https://tracker.example/p.png"' in html  # a link to click, never a load
    assert "rel=\"noopener noreferrer nofollow\"" in html


def test_math_to_mathml_and_back_to_source() -> None:
    assert "<mfrac>" in tex_to_html(r"\frac{a}{b}")
    assert tex_to_html(r"\frac{a}{b}", False, False) == \
        r'<code class="math tex">\frac{a}{b}</code>'
    for evil in (r"\text{<b>x</b>}", r"\href{javascript:alert(1)}{x}",
                 r"\style{background:url(https://x)}{y}", r"\frac{1}{"):
        html = tex_to_html(evil)
        assert html.startswith('<code class="math tex">'), html
        assert "<b>" not in html
    md = Renderer(mathml=True)
    assert "<math" in str(md("Cost is $5 and $10 total, and $x^2$ is math."))
    assert "$5 and $10" in str(md("Cost is $5 and $10 total."))


def test_markdown_helpers() -> None:
    assert inline("a | b\n<c> & d") == "a \\| b &lt;c&gt; &amp; d"
    assert fenced("x ```` y").startswith("`````text\n")


def test_plots_escape_labels_and_scale_down() -> None:
    runs = synthetic_runs(questions=3, parts=2, strategies=("one-turn",),
                          models=("evil<script>", "ok/model"))
    data = build_report_data(runs)
    svgs = plots(data)
    for svg in svgs.values():
        assert "<script" not in svg and svg.count("<svg") == 1
    assert "evil&lt;script&gt; · one-t" in svgs["score"]
    big = build_report_data(synthetic_runs(questions=400, parts=2, strategies=("one-turn",)))
    unit, rows = heat_rows(big)
    assert unit == "3 questions" and len(rows) <= MAX_HEAT_ROWS
    assert rows[0].label == "1–3"
    assert heat_color(0.0) == "#d73027" and heat_color(1.0) == "#1a9850"
    assert re.fullmatch(r"#[0-9a-f]{6}", heat_color(0.37))
