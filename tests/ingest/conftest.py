"""Fixture builders for loader tests: Vietnamese PDF, scanned PDF, DOCX, made on the fly in ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PdfBuilder = Callable[[str, Sequence[Sequence[str]]], Path]
ScanBuilder = Callable[[str, Sequence[str]], Path]


@pytest.fixture
def text_pdf(tmp_path: Path) -> PdfBuilder:
    """Build a PDF with a text layer: a list of paragraphs per page in DejaVu Sans, page-number footers."""
    if not DEJAVU_SANS.exists():
        pytest.skip(f"font {DEJAVU_SANS} is not installed")
    from fpdf import FPDF

    def build(name: str, pages: Sequence[Sequence[str]]) -> Path:
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=False)
        pdf.add_font("DejaVu", fname=str(DEJAVU_SANS))
        pdf.set_font("DejaVu", size=11)
        for number, paragraphs in enumerate(pages, start=1):
            pdf.add_page()
            for paragraph in paragraphs:
                pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(-15)
            pdf.cell(0, 6, f"- {number} -", align="C")
        path = tmp_path / name
        pdf.output(str(path))
        return path

    return build


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> ScanBuilder:
    """Build an image-only PDF (no text layer) showing the given lines in large DejaVu Sans."""
    if not DEJAVU_SANS.exists():
        pytest.skip(f"font {DEJAVU_SANS} is not installed")
    from PIL import Image, ImageDraw, ImageFont

    def build(name: str, lines: Sequence[str]) -> Path:
        font = ImageFont.truetype(str(DEJAVU_SANS), 44)
        image = Image.new("L", (1500, 160 + 90 * len(lines)), 255)
        draw = ImageDraw.Draw(image)
        for index, line in enumerate(lines):
            draw.text((90, 80 + 90 * index), line, font=font, fill=0)
        path = tmp_path / name
        image.save(path, "PDF", resolution=200)
        return path

    return build
