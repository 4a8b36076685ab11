"""Bad input to `psetbench draft`: one `Error:` line naming the file (and line), exit 2,
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from psetbench.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "draft"


def _refused(homework: Path, tmp_path: Path, *extra: str) -> str:
    output = tmp_path / "out" / "set.yaml"
    result = CliRunner().invoke(main, ["draft", str(homework), "-o", str(output), *extra])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert not output.exists() and not (tmp_path / "out" / "figures").exists()
    assert not [p for p in (tmp_path / "out").glob(".psetbench-draft-*")] \
        if (tmp_path / "out").exists() else True
    return lines[0]


def _pdf(path: Path, *, password: str | None = None, text: str | None = None,
         image: Path | None = None) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt=password)
    if text:
        page.drawString(72, 720, text)
    if image:
        page.drawImage(str(image), 72, 300, width=400, height=300)
    page.showPage()
    page.save()
    return path


def test_encrypted_pdf(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "locked.pdf", password="secret", text="Problem 1 (a) Compute x.")
    assert "locked.pdf: the PDF is encrypted" in _refused(pdf, tmp_path)


def test_image_only_pdf(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("L", (400, 300), 255).save(scan)
    pdf = _pdf(tmp_path / "scanned.pdf", image=scan)
    assert "scanned.pdf: the PDF has no text layer" in _refused(pdf, tmp_path)


def test_not_a_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("just text")
    assert "fake.pdf: not a PDF" in _refused(fake, tmp_path)


@pytest.mark.parametrize(("source", "where", "what"), [
    ("\\section*{Problem 1}\n\\textbf{unclosed\n\n(a) Part.\n", "hw.tex:2:",
     "`{` is never closed"),
    ("\\begin{enumerate}\n\\item One.\n\\end{itemize}\n", "hw.tex:3:",
     "\\end{itemize} closes \\begin{enumerate} (from hw.tex:1)"),
    ("\\question Hi\n\\begin{parts}\n\\part One\n", "hw.tex:2:",
     "\\begin{parts} is never closed"),
    ("Text}\n", "hw.tex:1:", "`}` closes nothing"),
])
def test_unbalanced_latex(source: str, where: str, what: str, tmp_path: Path) -> None:
    tex = tmp_path / "hw.tex"
    tex.write_text(source)
    line = _refused(tex, tmp_path)
    assert line.startswith(f"Error: {where} unbalanced LaTeX") and what in line, line


def test_unbalanced_latex_inside_an_input_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "part2.tex").write_text("ok\n\\begin{solution}\nno end\n")
    tex = tmp_path / "hw.tex"
    tex.write_text("\\section*{Problem 1}\n\\input{part2}\n")
    assert "Error: part2.tex:2: unbalanced LaTeX" in _refused(tex, tmp_path)


def test_input_loop(tmp_path: Path) -> None:
    (tmp_path / "a.tex").write_text("\\input{b}\n")
    (tmp_path / "b.tex").write_text("\\input{a}\n")
    assert "includes itself (a loop)" in _refused(tmp_path / "a.tex", tmp_path)


def test_missing_input(tmp_path: Path) -> None:
    (tmp_path / "hw.tex").write_text("Intro\n\\input{nowhere}\n")
    assert "hw.tex:2: \\input{nowhere} not found" in _refused(tmp_path / "hw.tex", tmp_path)


@pytest.mark.parametrize("name", ["empty.md", "empty.tex", "empty.pdf", "blank.txt"])
def test_empty_file(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text("  \n\n" if name.startswith("blank") else "")
    assert f"{name}: the file is empty" in _refused(path, tmp_path)


@pytest.mark.parametrize(("name", "data", "what"), [
    ("hw.tex", b"\\section*{Problem 1}\n\x00\x01\x02", "hw.tex:2: binary data"),
    ("hw.md", b"# Homework\n\xff\xfe\x00garbage", "hw.md:2: binary data"),
    ("hw.txt", b"Problem 1\n\xc3\x28 not utf-8\n", "hw.txt:2: not UTF-8 text"),
])
def test_binary_file(name: str, data: bytes, what: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert what in _refused(path, tmp_path)


@pytest.mark.parametrize("name", ["hw.docx", "hw", "hw.html"])
def test_unknown_suffix(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text("Problem 1\n(a) Compute.\n")
    assert "give a .tex, .pdf, .md or .txt file" in _refused(path, tmp_path)


def test_no_questions_found(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Lecture notes\n\nNothing to answer here.\n")
    assert "notes.md: found no questions or parts" in _refused(path, tmp_path)


def test_missing_file_and_output_that_is_not_yaml(tmp_path: Path) -> None:
    assert "nowhere.md: no such file" in _refused(tmp_path / "nowhere.md", tmp_path)
    result = CliRunner().invoke(main, ["draft", str(FIXTURES / "hw.md"), "-o",
                                       str(tmp_path / "set.json")])
    assert result.exit_code == 2 and "a problem set is a .yaml file" in result.output
    assert not (tmp_path / "set.json").exists()
