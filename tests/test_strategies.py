from __future__ import annotations

from pathlib import Path

import pytest

from psetbench.problemset import load_problem_set
from psetbench.strategies import StrategyError, load_prompt, plan, render_turn


def _shape(set_path: Path, strategy: str) -> list[list[list[str]]]:
    pset = load_problem_set(set_path).pset
    units = plan(pset, strategy)
    return [[["".join(f"{q}{p}" for q, p in t.parts) for t in c.turns] for c in u.conversations]
            for u in units]


def test_one_turn(tiny_set: Path) -> None:
    assert _shape(tiny_set, "one-turn") == [[["1a1b1c"]], [["2a2b"]]]


def test_per_part(tiny_set: Path) -> None:
    assert _shape(tiny_set, "per-part") == [[["1a", "1b", "1c"]], [["2a", "2b"]]]


def test_hybrid_groups_easy_runs(tiny_set: Path) -> None:
    assert _shape(tiny_set, "hybrid") == [[["1a1b", "1c"]], [["2a", "2b"]]]


def test_isolated_fresh_conversation_each(tiny_set: Path) -> None:
    assert _shape(tiny_set, "isolated") == [[["1a"], ["1b"], ["1c"]], [["2a"], ["2b"]]]


def test_whole_set(tiny_set: Path) -> None:
    assert _shape(tiny_set, "whole-set") == [[["1a1b1c2a2b"]]]


def test_groups_are_asked_together(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "fixtures/tiny/tiny.yaml").read_text()
    for prompt in ("prompt: How many bytes", "prompt: How many 80 GB"):
        text = text.replace(f"        {prompt}", f"        group: g\n        {prompt}")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures/dot.png").write_bytes(b"x")
    (tmp_path / "g.yaml").write_text(text)
    assert _shape(tmp_path / "g.yaml", "per-part") == [[["1a1c", "1b"]], [["2a", "2b"]]]
    assert _shape(tmp_path / "g.yaml", "isolated") == [[["1a1c"], ["1b"]], [["2a"], ["2b"]]]


def test_unknown_strategy(tiny_set: Path) -> None:
    with pytest.raises(StrategyError, match="use one of: one-turn"):
        plan(load_problem_set(tiny_set).pset, "all-at-once")


def test_turn_text_shows_stem_once(tiny_set: Path) -> None:
    pset = load_problem_set(tiny_set).pset
    prompt = load_prompt("expert")
    seen: set[str] = set()
    first = render_turn(prompt, pset, (("1", "a"),), seen, first_turn=True)
    second = render_turn(prompt, pset, (("1", "b"),), seen, first_turn=False)
    assert "Answer every part." in first and "1e12 parameters" in first and "(a) How many" in first
    assert "1e12 parameters" not in second and second.startswith("(b) Is 2 TB")
    whole = render_turn(prompt, pset, (("1", "a"), ("2", "a")), set(), first_turn=True)
    assert "## Question 1: Storage" in whole and "## Question 2" in whole


def test_custom_prompt_file(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("system: Be brief about {{ set_title }}.\n")
    prompt = load_prompt(str(tmp_path / "p.yaml"))
    assert prompt.system == "Be brief about {{ set_title }}." and prompt.name == "p"
    (tmp_path / "bad.yaml").write_text("sistem: x\n")
    with pytest.raises(ValueError, match="unknown key"):
        load_prompt(str(tmp_path / "bad.yaml"))
