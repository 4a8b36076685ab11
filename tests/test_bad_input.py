"""Each class of fuzz finding as a table case: a one-line error and exit 2, or the input is
handled. Nothing here is timed; a generous subprocess timeout only proves "finishes"."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.importers import _stream, read_transcripts

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny" / "tiny.yaml"
EXPORT = FIXTURES / "transcripts" / "tiny_chatgpt_export.json"
COPIED = FIXTURES / "transcripts" / "tiny_copied.txt"

LAUGHS = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def _set(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the tiny set (with its figure) with one piece of text replaced."""
    shutil.copytree(TINY.parent, tmp_path / "set")
    path = tmp_path / "set" / "tiny.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def _errors(args: list[str]) -> list[str]:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, (result.output, result.exception)
    return [line for line in result.output.splitlines() if line.strip()]


SETS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("self-referencing anchor", lambda t: _write(t, "a: &a [1, *a]\n"), "inside its own anchor"),
    ("billion laughs", lambda t: _write(t, LAUGHS), "aliases expand to more than"),
    ("nested 500 deep", lambda t: _write(t, "[" * 500 + "]" * 500), "nested more than"),
    ("infinite answer", lambda t: _set(t, "answer: 25\n", "answer: .inf\n"), "finite"),
    ("NaN answer", lambda t: _set(t, "answer: 25\n", "answer: .nan\n"), "finite"),
    ("huge answer", lambda t: _set(t, "answer: 2 TB", "answer: 1e308 TB"), "finite"),
    ("tiny answer", lambda t: _set(t, "answer: 25\n", "answer: 1.0e-200\n"), "base units"),
    ("10^400 written out", lambda t: _set(t, "answer: 25\n", f"answer: {10**400}\n"),
     "too large for a float"),
    ("1.0e+400 points", lambda t: _set(t, "points: 2\n", "points: 1.0e+400\n"), "finite"),
    ("1.0e-320 points", lambda t: _set(t, "points: 2\n", "points: 1.0e-320\n"),
     "greater than or equal to"),
    ("infinite weight", lambda t: _set(t, "answer: 25\n", "answer: 25\n            weight: .inf\n"),
     "finite"),
    ("100,000-character unit", lambda t: _set(t, "unit: GPU", "unit: " + "m*" * 50_000 + "m"),
     "at most 64"),
    ("100,000-character set id", lambda t: _set(t, "id: tiny", "id: " + "a" * 100_000),
     "at most 64"),
    ("figure path with NUL", lambda t: _set(t, "path: figures/dot.png", 'path: "a\\0b.png"'),
     "NUL"),
    ("figure name too long", lambda t: _set(t, "figures/dot.png", "a" * 300 + ".png"),
     "too long"),
    ("figure path too long", lambda t: _set(t, "figures/dot.png", "a/" * 3000 + "b.png"),
     "too long"),
    ("too many questions", lambda t: _many_questions(t, 501), "more than 500"),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


def _many_questions(tmp_path: Path, count: int) -> Path:
    questions = "".join(f'  - id: "{i}"\n    parts:\n      - id: a\n        prompt: p\n'
                        f"        solution: s\n" for i in range(count))
    return _write(tmp_path, f"psetbench: 1\nid: many\ntitle: Many\nquestions:\n{questions}")


@pytest.mark.parametrize(("name", "make", "expected"), SETS, ids=[s[0] for s in SETS])
def test_bad_sets_fail_validate_with_a_located_line(
    name: str, make: Callable[[Path], Path], expected: str, tmp_path: Path
) -> None:
    path = make(tmp_path)
    lines = _errors(["validate", str(path)])
    assert any(expected in line and line.startswith(str(path)) for line in lines), lines
    assert lines[-1] == "0 of 1 file(s) valid."


def _chatgpt(mutate: Callable[[dict[str, Any]], object]) -> list[dict[str, Any]]:
    conv = json.loads(EXPORT.read_text())[1]  # the homework conversation
    mutate(conv)
    return [conv]


def _messages(conv: dict[str, Any]) -> list[dict[str, Any]]:
    return [n["message"] for n in conv["mapping"].values() if isinstance(n.get("message"), dict)]


EXPORTS: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
    ("mapping is a list", lambda c: c.update(mapping=[1, 2])),
    ("mapping is a string", lambda c: c.update(mapping="x")),
    ("a node is a string", lambda c: c["mapping"].update({next(iter(c["mapping"])): "x"})),
    ("children is a number",
     lambda c: [n.update(children=5) for n in c["mapping"].values()] and c.pop("current_node")),
    ("parent is a list", lambda c: [n.update(parent=[1]) for n in c["mapping"].values()]),
    ("current node is a list", lambda c: c.update(current_node=[1])),
    ("create_time 1e300", lambda c: c.update(create_time=1e300)),
    ("create_time NaN", lambda c: c.update(create_time=float("nan"))),
    ("create_time -1e18", lambda c: c.update(create_time=-1e18)),
    ("message create_time 1e300", lambda c: [m.update(create_time=1e300) for m in _messages(c)]),
    ("author is a string", lambda c: [m.update(author="user") for m in _messages(c)]),
    ("content is a string", lambda c: [m.update(content="hi") for m in _messages(c)]),
    ("metadata is a list", lambda c: [m.update(metadata=[1]) for m in _messages(c)]),
    ("title is an object", lambda c: c.update(title={"a": 1})),
]


@pytest.mark.parametrize(("name", "mutate"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_odd_chatgpt_exports_read_or_fail_in_one_line(
    name: str, mutate: Callable[[dict[str, Any]], object], tmp_path: Path
) -> None:
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(_chatgpt(mutate)))
    result = CliRunner().invoke(main, ["import", str(path), "--set", str(TINY), "--dry-run"])
    assert result.exit_code in (0, 2), (result.output, result.exception)
    if result.exit_code == 2:
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '{"mapping": ' + "[" * 100_000 + "]" * 100_000 + "}"])
def test_json_nested_100000_deep_is_one_line(text: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text)
    lines = _errors(["import", str(path), "--set", str(TINY), "--dry-run"])
    assert lines == [f"Error: {path}: JSON nested too deeply to read; export the conversation "
                     "again"]


def test_a_large_export_streams_the_chosen_conversation(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    convs = json.loads(EXPORT.read_text())
    others = [{**convs[0], "title": f"other {i}", "conversation_id": f"id-{i}"}
              for i in range(20)]
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([*others, *convs]))
    monkeypatch.setattr(_stream, "STREAM_BYTES", 1)
    called: list[str] = []
    real = _stream.stream_export
    monkeypatch.setattr(_stream, "stream_export",
                        lambda *a: called.append(a[2]) or real(*a))  # type: ignore[func-returns-value]
    title = convs[0]["title"]
    streamed = read_transcripts(path, conversation=title)
    assert called == [title]
    monkeypatch.setattr(_stream, "STREAM_BYTES", 1 << 60)
    whole = read_transcripts(path, conversation=title)
    assert streamed[0].messages == whole[0].messages and streamed[0].title == title
    monkeypatch.setattr(_stream, "STREAM_BYTES", 1)
    with pytest.raises(ValueError, match="no conversation has id or title 'nope'"):
        read_transcripts(path, conversation="nope")
    with pytest.raises(ValueError, match="matches 20 conversations"):
        read_transcripts(path, conversation="other")


@pytest.mark.parametrize("kind", ["one line", "short lines", "paragraphs"])
def test_a_huge_reply_imports_and_grades(kind: str, tmp_path: Path) -> None:
    size = 3_000_000
    unit = "Each weight takes 2 bytes, so the weights take **2 TB** in total (part a). "
    body = {"one line": (unit * (size // len(unit)))[:size],
            "short lines": "\n".join(f"x{i % 10}" for i in range(size // 3)),
            "paragraphs": "\n\n".join([unit] * (size // len(unit)))}[kind]
    path = tmp_path / "reply.txt"
    path.write_text("You said:\n(a) How many bytes do the weights take?\nChatGPT said:\n"
                    + body + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "psetbench", "import", str(path), "--set", str(TINY),
         "--log-dir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=600)  # "finishes", not a speed target
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def test_a_reply_of_thousands_of_sub_part_labels_imports(tmp_path: Path) -> None:
    body = "".join(f"(a) The value is {i}.\n(i) Part {i} here.\n(ii) Another (iii) sub.\n"
                   f"(b)(i) x {i}\n" for i in range(20_000))
    path = tmp_path / "reply.txt"
    path.write_text("You said:\n(a) answer all parts of question 2\nChatGPT said:\n" + body)
    done = subprocess.run(
        [sys.executable, "-m", "psetbench", "import", str(path), "--set",
         str(FIXTURES / "nested" / "nested.yaml"), "--log-dir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=600)  # "finishes", not a speed target
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def good_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    result = CliRunner().invoke(main, ["import", str(COPIED), "--set", str(TINY),
                                       "--log-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return next(folder.glob("*.eval"))


def _tampered(good: Path, target: Path, change: Callable[[dict[str, Any]], object]) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("header.json", "_journal/start.json"):
                doc = json.loads(data)
                change(doc)
                data = json.dumps(doc).encode()
            dst.writestr(info, data)
    return target


TAMPERS: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
    ("set is a string", lambda d: d["eval"]["metadata"]["psetbench"].update(set="x")),
    ("set lost its questions", lambda d: d["eval"]["metadata"]["psetbench"]["set"].pop(
        "questions")),
    ("no strategy", lambda d: d["eval"]["metadata"]["psetbench"].pop("strategy")),
    ("metadata is a list", lambda d: d["eval"]["metadata"].update(psetbench=[1])),
]


@pytest.mark.parametrize(("name", "change"), TAMPERS, ids=[t[0] for t in TAMPERS])
def test_tampered_log_metadata_is_skipped_with_a_warning(
    name: str, change: Callable[[dict[str, Any]], object], good_log: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    bad = _tampered(good_log, folder / "bad.eval", change)
    result = CliRunner().invoke(main, ["grades", str(bad)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert f"Warning: {bad}: damaged psetbench metadata" in result.output


def test_an_unreadable_log_is_skipped_and_the_rest_are_graded(good_log: Path,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(good_log, folder / good_log.name)
    (folder / "broken.eval").write_bytes(b"not a zip file")
    for args in (["grades", str(folder), "--format", "jsonl"],
                 ["report", str(folder), "-o", str(tmp_path / "r.md")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (result.output, result.exception)
        warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
        assert warnings == [f"Warning: {folder / 'broken.eval'}: not a readable Inspect log "
                            "(ValueError); skipped"]
    (folder / good_log.name).unlink()
    assert _errors(["grades", str(folder)])[-1].startswith("Error: no readable psetbench logs")
