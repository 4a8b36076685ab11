"""Figures for a draft: image files a LaTeX source includes, and images inside a PDF.

A set names its figures by paths relative to the YAML file and inside its folder
(docs/format.md), so a draft writes them to `figures/` beside the output. PDF images are
rendered with pdfplumber (which draws through pypdfium2) rather than decoded from their
streams: that gives a PNG for every image encoding a PDF can hold.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from psetbench.draft._types import Figure

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
RESOLUTION = 150
MIN_SIDE_PT = 24  # smaller images are rules, bullets and logos, not figures


def safe_name(stem: str, suffix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "figure"
    return cleaned[:80] + suffix


def load_figure(folder: Path, name: str, where: str) -> Figure | None:
    """An \\includegraphics file (with or without its suffix) next to the LaTeX source; a
    PDF figure is rendered to PNG. None when no such file is there."""
    base = (folder / name)
    candidates = [base] + [base.with_name(base.name + s) for s in (*IMAGE_SUFFIXES, ".pdf")]
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        return None
    if path.suffix.lower() == ".pdf":
        data = _render_pdf_page(path)
        if data is None:
            return None
        return Figure(name=safe_name(path.stem, ".png"), data=data, where=where)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    return Figure(name=safe_name(path.stem, path.suffix.lower()), data=path.read_bytes(),
                  where=where)


def _render_pdf_page(path: Path) -> bytes | None:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                return None
            return _png(pdf.pages[0].to_image(resolution=RESOLUTION).original)
    except Exception:  # a figure we cannot render is reported as missing, not fatal
        return None


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def page_figures(page: Any, page_number: int, stem: str) -> list[tuple[float, Figure]]:
    """The page's images as PNGs, each with its top (to place it among the lines)."""
    out: list[tuple[float, Figure]] = []
    for index, image in enumerate(page.images, start=1):
        x0, top = max(image["x0"], 0), max(image["top"], 0)
        x1, bottom = min(image["x1"], page.width), min(image["bottom"], page.height)
        if x1 - x0 < MIN_SIDE_PT or bottom - top < MIN_SIDE_PT:
            continue
        rendered = page.crop((x0, top, x1, bottom)).to_image(resolution=RESOLUTION).original
        name = safe_name(f"{stem}-p{page_number}-{index}", ".png")
        out.append((top, Figure(name=name, data=_png(rendered), where=f"page {page_number}")))
    return out
