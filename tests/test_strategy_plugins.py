"""Strategies come from one registry: the built-in ones and plugins from the
`psetbench.strategies` entry-point group, installed here from tests/fixtures/plugins/ by putting
a `*.dist-info` on sys.path (what pip would write), with no network and no pip."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import psetbench
from psetbench.cli import main
from psetbench.problemset import load_problem_set
from psetbench.runs import RunOptions, run_set
from psetbench.strategies import (
    ENTRY_POINT_GROUP,
    STRATEGIES,
    StrategyError,
    plan,
    reload_plugins,
    strategies,
)
from psetbench.types import Verdict
from tests.plugin_site import install_plugin, on_path, write_dist_info
from tests.scripted import Scripted
from tests.test_run import RIGHT

TOY = Path(__file__).parent / "fixtures" / "plugins" / "toy_strategy"
BUILTIN = ["one-turn", "per-part", "hybrid", "isolated", "whole-set"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for plugins; the registry forgets them afterwards."""
    with on_path(tmp_path / "site", "toy_strategy", reload_plugins) as folder:
        yield folder


@pytest.fixture
def toy(site: Path) -> Path:
    """The toy plugin installed from its fixture folder, as its pyproject.toml declares it."""
    install_plugin(site, TOY, ENTRY_POINT_GROUP)
    reload_plugins()
    return site


def _shape(tiny_set: Path, strategy: str) -> list[list[list[str]]]:
    units = plan(load_problem_set(tiny_set).pset, strategy)
    return [[["".join(f"{q}{p}" for q, p in t.parts) for t in c.turns] for c in u.conversations]
            for u in units]


def test_builtin_strategies_are_registered_in_order() -> None:
    assert list(strategies()) == BUILTIN == list(STRATEGIES)
    assert all(STRATEGIES[name] for name in BUILTIN)


def test_unknown_strategy_is_a_psetbench_error_listing_the_known_ones(tiny_set: Path) -> None:
    with pytest.raises(StrategyError) as caught:
        plan(load_problem_set(tiny_set).pset, "reversed")
    assert isinstance(caught.value, psetbench.PsetbenchError)
    assert str(caught.value) == ("unknown strategy 'reversed'; use one of: "
                                 + ", ".join(BUILTIN))


def test_plugin_strategy_is_listed_everywhere(toy: Path) -> None:
    assert list(STRATEGIES) == [*BUILTIN, "reversed"]
    listed = CliRunner().invoke(main, ["strategies"]).output
    assert "reversed   one part per user message, last part first" in listed
    assert "[one-turn|per-part|hybrid|isolated|whole-set|reversed]" in CliRunner().invoke(
        main, ["run", "--help"]).output


def test_plugin_strategy_runs_end_to_end(toy: Path, tiny_set: Path, tmp_path: Path) -> None:
    assert _shape(tiny_set, "reversed") == [[["1c", "1b", "1a"]], [["2b", "2a"]]]
    scripted = Scripted(load_problem_set(tiny_set).pset, RIGHT)
    result = run_set(tiny_set, RunOptions(strategies=("reversed",), model=scripted.model(),
                                          log_dir=str(tmp_path / "logs"), cache=False))
    assert result.success and [r.strategy for r in result.runs] == ["reversed"]
    users = [[m.text for m in call if m.role == "user"] for call in scripted.calls]
    first_turns = {tuple(scripted.asked(texts[0])) for texts in users if len(texts) == 1}
    assert first_turns == {(("1", "c"),), (("2", "b"),)}  # last part first
    assert max(len(texts) for texts in users) == 3
    grades = {g.key: g.verdict for g in psetbench.read_grades(tmp_path / "logs")}
    assert grades["1(a)"] == grades["1(b)"] == grades["1(c)"] == Verdict.correct
    assert grades["2(a)"] == Verdict.correct


def test_broken_plugins_are_skipped_with_a_warning(site: Path, tiny_set: Path) -> None:
    shutil.copytree(TOY / "toy_strategy", site / "toy_strategy")
    write_dist_info(site, "broken-strategies", ENTRY_POINT_GROUP, {
        "gone": "toy_strategy:Missing",
        "not-one": "toy_strategy:annotations",
        "taken": "toy_strategy:OneTurnAgain"})
    (site / "toy_strategy" / "__init__.py").write_text(
        "from psetbench.strategies import QuestionStrategy\n"
        "from psetbench.strategies._one_turn import OneTurn\n"
        "annotations = 1\n"
        "class OneTurnAgain(OneTurn):\n    description = 'a copy'\n")
    reload_plugins()
    with pytest.warns(UserWarning) as warned:
        assert list(strategies()) == BUILTIN
    text = " ".join(str(w.message) for w in warned)
    assert "'gone'" in text and "not a psetbench Strategy" in text and "is taken" in text
    assert _shape(tiny_set, "one-turn") == [[["1a1b1c"]], [["2a2b"]]]
