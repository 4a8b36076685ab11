"""Shared test set-up: an isolated home, offline, with Inspect's cache and logs in temp dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PSETS = Path(__file__).parent.parent / "psets"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("INSPECT_CACHE_DIR", str(home / ".cache" / "inspect_ai"))
    monkeypatch.setenv("PSETBENCH_CACHE", str(home / ".cache" / "psetbench"))
    monkeypatch.setenv("INSPECT_DISPLAY", "none")
    monkeypatch.setenv("INSPECT_LOG_LEVEL", "warning")
    for key in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "INSPECT_EVAL_MODEL"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def tiny_set() -> Path:
    return FIXTURES / "tiny" / "tiny.yaml"
