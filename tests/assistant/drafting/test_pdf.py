"""A draft opened by a real word processor: LibreOffice headless converts it to PDF, which must be one A4 page
(skipped when `soffice` is not installed; `make system-deps` installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.drafting import DraftKind, DraftRequest, render_draft

A4_POINTS = (595.28, 841.89)


@pytest.mark.slow
def test_libreoffice_prints_a_draft_on_one_a4_page(
    tmp_path: Path, requests_by_kind: dict[DraftKind, DraftRequest]
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    docx = tmp_path / "giay_moi.docx"
    docx.write_bytes(render_draft(requests_by_kind[DraftKind.GIAY_MOI]).content)
    profile = (tmp_path / "profile").as_uri()  # a throwaway profile: no clash with another running LibreOffice
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = PdfReader(tmp_path / "giay_moi.pdf").pages
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)
    text = pages[0].extract_text()
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "GIẤY MỜI", "Số: 12/GM-SKHCN", "Nơi nhận:"):
        assert expected in text
