"""Import formats come from one registry: the built-in ones and plugins from the
`psetbench.importers` entry-point group, installed here from tests/fixtures/plugins/ by putting
a `*.dist-info` on sys.path (what pip would write), with no network and no pip."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import psetbench
from psetbench.cli import main
from psetbench.importers import (
    ENTRY_POINT_GROUP,
    FORMATS,
    TranscriptError,
    detect,
    formats,
    import_conversation,
    read_transcripts,
    reload_plugins,
)
from psetbench.types import Verdict
from tests.plugin_site import install_plugin, on_path, write_dist_info

TOY = Path(__file__).parent / "fixtures" / "plugins" / "toy_import"
BUILTIN = ["text", "openai", "chatgpt", "claude"]
CHAT = """\
%toy-chat
Q> A model has 1e12 parameters stored in 16-bit floats.
(a) How many bytes do the weights take?
A> Each parameter is 2 bytes, so the weights take **2 TB**.
Q> (b) Is 2 TB more than one 80 GB GPU can hold?
A> **False**: it fits.
Q> (c) How many 80 GB GPUs hold the weights, and why does that matter?
A> 2 TB / 80 GB = **25 GPUs**; the model cannot fit on one device.
"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for plugins; the registry forgets them afterwards."""
    with on_path(tmp_path / "site", "toy_import", reload_plugins) as folder:
        yield folder


@pytest.fixture
def toy(site: Path) -> Path:
    """The toy plugin installed from its fixture folder, as its pyproject.toml declares it."""
    install_plugin(site, TOY, ENTRY_POINT_GROUP)
    reload_plugins()
    return site


def _import(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def test_builtin_formats_are_registered_in_order() -> None:
    assert list(formats()) == BUILTIN == list(FORMATS)
    assert all(FORMATS[name] for name in BUILTIN)


def test_unknown_format_is_a_psetbench_error_listing_the_known_ones(
        tiny_set: Path, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("User: hi\nAssistant: hello\n")
    with pytest.raises(TranscriptError) as caught:
        read_transcripts(chat, "xml")
    assert isinstance(caught.value, psetbench.PsetbenchError)
    assert str(caught.value) == "unknown format 'xml'; use one of: " + ", ".join(BUILTIN)
    result = _import(chat, "--set", tiny_set, "--format", "xml", "--log-dir", tmp_path / "logs")
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Error: {caught.value}"]
    assert not (tmp_path / "logs").exists()


def test_plugin_format_is_listed_everywhere(toy: Path, tmp_path: Path) -> None:
    assert list(FORMATS) == [*BUILTIN, "toy"]
    assert "[text|openai|chatgpt|claude|toy]" in _import("--help").output
    notes = tmp_path / "notes.txt"
    notes.write_text("nothing to see\n")
    with pytest.raises(TranscriptError, match=r"--format text\|openai\|chatgpt\|claude\|toy$"):
        read_transcripts(notes)


def test_plugin_format_imports_and_grades_end_to_end(
        toy: Path, tiny_set: Path, tmp_path: Path) -> None:
    chat = tmp_path / "chat.toy"
    chat.write_text(CHAT)
    assert detect(CHAT) == "toy" and detect("User: hi\nAssistant: yo\n") == "text"
    named = _import(chat, "--set", tiny_set, "--format", "toy", "--log-dir", tmp_path / "named")
    found = _import(chat, "--set", tiny_set, "--log-dir", tmp_path / "detected")
    for result in (named, found):
        assert result.exit_code == 0, result.output
        assert f"{chat}: toy" in result.output and "strategy: per-part (inferred)" in result.output
    expected = {"1(a)": Verdict.correct, "1(b)": Verdict.incorrect, "1(c)": Verdict.correct,
                "2(a)": Verdict.not_asked, "2(b)": Verdict.not_asked}
    for folder in ("named", "detected"):
        grades = {g.key: g.verdict for g in psetbench.read_grades(tmp_path / folder)}
        assert grades == expected
    result = import_conversation([chat], tiny_set, dry_run=True)
    assert result.formats == {str(chat): ["toy"]} and not result.written


def test_plugin_format_errors_are_one_line(toy: Path, tiny_set: Path, tmp_path: Path) -> None:
    chat = tmp_path / "chat.toy"
    chat.write_text("%toy-chat\nhello\nQ> hi\n")
    result = _import(chat, "--set", tiny_set, "--log-dir", tmp_path / "logs")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {chat}:2: text before the first message; start it with 'Q> '"]


def test_broken_plugins_are_skipped_with_a_warning(site: Path) -> None:
    shutil.copytree(TOY / "toy_import", site / "toy_import")
    write_dist_info(site, "broken-importers", ENTRY_POINT_GROUP, {
        "gone": "toy_import:Missing",
        "not-one": "toy_import:HEADER",
        "taken": "toy_import:TextAgain"})
    with (site / "toy_import" / "__init__.py").open("a") as f:
        f.write("\nfrom psetbench.importers._text import Text\n\n"
                "class TextAgain(Text):\n    description = 'a copy'\n")
    reload_plugins()
    with pytest.warns(UserWarning) as warned:
        assert list(formats()) == BUILTIN
    text = " ".join(str(w.message) for w in warned)
    assert "'gone'" in text and "not a psetbench ImportFormat" in text and "is taken" in text
    assert detect("User: hi\nAssistant: yo\n") == "text"
