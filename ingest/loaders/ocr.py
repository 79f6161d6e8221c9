"""OCR of PDF pages without a text layer: ``pdftoppm`` (poppler-utils) renders, Tesseract reads.

Both are external programs; :func:`ocr_unavailable_reason` tells whether they (and the requested Tesseract
languages) are installed, and :func:`ocr_pdf_pages` raises :class:`~assistant.errors.NeedsOcr` when not.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytesseract

from assistant.errors import NeedsOcr, UnsupportedDocument

logger = logging.getLogger(__name__)

INSTALL_HINT = "Hãy cài: sudo apt install tesseract-ocr tesseract-ocr-vie poppler-utils, rồi nạp lại tệp."
RENDER_TIMEOUT_S = 120
OCR_TIMEOUT_S = 300


def _tesseract_command() -> str | None:
    return shutil.which(str(pytesseract.pytesseract.tesseract_cmd))


def _installed_languages(tesseract: str) -> set[str]:
    """Language packs Tesseract reports (``tesseract --list-langs``; its first line is a header)."""
    result = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    lines = (result.stdout or result.stderr).splitlines()
    return {line.strip() for line in lines[1:] if line.strip()}


def ocr_unavailable_reason(languages: str) -> str | None:
    """Why OCR cannot run with these Tesseract ``languages`` ("vie+eng"), in Vietnamese; None when it can."""
    if shutil.which("pdftoppm") is None:
        return f"không tìm thấy lệnh pdftoppm (gói poppler-utils). {INSTALL_HINT}"
    tesseract = _tesseract_command()
    if tesseract is None:
        return f"không tìm thấy lệnh tesseract. {INSTALL_HINT}"
    try:
        installed = _installed_languages(tesseract)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"không chạy được tesseract ({exc}). {INSTALL_HINT}"
    missing = [lang for lang in languages.split("+") if lang and lang not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        return f"Tesseract thiếu dữ liệu ngôn ngữ {', '.join(missing)}. Hãy cài: sudo apt install {packages}"
    return None


def ocr_pdf_pages(path: Path, pages: Sequence[int], *, languages: str, dpi: int) -> dict[int, str]:
    """OCR text of the given 1-based ``pages`` of the PDF at ``path``.

    Raises ``NeedsOcr`` when the OCR tools or languages are missing and ``UnsupportedDocument`` when a page
    cannot be rendered or read.
    """
    reason = ocr_unavailable_reason(languages)
    if reason is not None:
        raise NeedsOcr(str(path), reason)
    texts: dict[int, str] = {}
    logger.info("OCR of %s: %d page(s) at %d dpi, languages %s", path, len(pages), dpi, languages)
    with tempfile.TemporaryDirectory(prefix="assistant-ocr-") as tmp:
        for number in pages:
            image = _render_page(path, number, dpi, Path(tmp))
            texts[number] = _read_image(path, image, number, languages)
            image.unlink(missing_ok=True)
            if number % 10 == 0:
                logger.info("OCR of %s: page %d done", path, number)
    return texts


def _render_page(path: Path, number: int, dpi: int, folder: Path) -> Path:
    prefix = folder / f"page-{number}"
    command = [
        "pdftoppm",
        "-f",
        str(number),
        "-l",
        str(number),
        "-r",
        str(dpi),
        "-gray",
        "-png",
        "-singlefile",
    ]
    try:
        subprocess.run([*command, str(path), str(prefix)], capture_output=True, check=True, timeout=RENDER_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise UnsupportedDocument(
            str(path),
            f"dựng ảnh trang {number} để OCR quá {RENDER_TIMEOUT_S} giây. Hãy thử giảm ASSISTANT_OCR_DPI.",
        ) from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip()[:200] if exc.stderr else ""
        raise UnsupportedDocument(
            str(path), f"không dựng được ảnh trang {number} để OCR ({detail}). Tệp PDF có thể bị hỏng."
        ) from exc
    image = prefix.with_suffix(".png")
    if not image.exists():
        raise UnsupportedDocument(str(path), f"pdftoppm không tạo ra ảnh cho trang {number}. Tệp PDF có thể bị hỏng.")
    return image


def _read_image(path: Path, image: Path, number: int, languages: str) -> str:
    try:
        text = pytesseract.image_to_string(str(image), lang=languages, timeout=OCR_TIMEOUT_S)
    except (RuntimeError, OSError) as exc:  # TesseractError, pytesseract's timeout, a vanished binary
        raise UnsupportedDocument(
            str(path),
            f"OCR trang {number} thất bại hoặc quá {OCR_TIMEOUT_S} giây ({exc}). Hãy kiểm tra ảnh quét.",
        ) from exc
    return str(text)
