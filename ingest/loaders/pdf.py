"""PDF loader: the text layer with pypdf, page by page; scanned PDFs go through :mod:`ingest.loaders.ocr`."""

from __future__ import annotations

import io
import logging
import re
import struct
import zlib
from collections import Counter
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from assistant.errors import UnsupportedDocument
from assistant.types import Block, LoadedDocument
from ingest.loaders.ocr import ocr_pdf_pages, ocr_unavailable_reason
from ingest.loaders.paragraphs import assemble_paragraphs, is_page_number, paragraph_blocks, starts_structural

logger = logging.getLogger(__name__)

MIN_CHARS_PER_PAGE = 20  # below this average the PDF has no usable text layer: it is a scan
_EDGE_LINES = 2  # how many lines at the top and bottom of a page may be page numbers or running headers
# Errors pypdf lets through on malformed files besides its own PyPdfError.
_PARSE_ERRORS = (
    PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
    struct.error, zlib.error,
)  # fmt: skip
_CORRUPT = (
    "tệp PDF bị hỏng hoặc không đọc được. Hãy mở tệp bằng trình xem PDF và lưu lại "
    "(hoặc In › Lưu thành PDF), rồi nạp lại."
)


def load_pdf(path: Path, data: bytes, *, ocr_languages: str, ocr_dpi: int) -> LoadedDocument:
    """Blocks of a PDF with 1-based page numbers; OCR when there is no text layer (format "pdf-ocr")."""
    reader = _open(path, data)
    try:
        pages = list(reader.pages)
    except _PARSE_ERRORS as exc:
        raise UnsupportedDocument(str(path), _CORRUPT) from exc
    if not pages:
        raise UnsupportedDocument(str(path), "tệp rỗng: PDF không có trang nào. Hãy kiểm tra tệp gốc.")
    texts = [_page_text(path, page, number) for number, page in enumerate(pages, start=1)]
    source_format = "pdf"
    if sum(_visible_chars(text) for text in texts) / len(texts) < MIN_CHARS_PER_PAGE:
        logger.info("%s has no text layer (%d pages); running OCR", path, len(texts))
        ocr_texts = ocr_pdf_pages(path, range(1, len(texts) + 1), languages=ocr_languages, dpi=ocr_dpi)
        texts = [ocr_texts.get(number, "") for number in range(1, len(texts) + 1)]
        source_format = "pdf-ocr"
        if not any(_visible_chars(text) for text in texts):
            raise UnsupportedDocument(
                str(path),
                "tệp rỗng: PDF không có lớp văn bản và OCR không nhận ra chữ nào. "
                "Hãy quét lại rõ hơn (ít nhất 300 dpi) rồi nạp lại.",
            )
    else:
        ocr_texts = _ocr_scanned_pages(path, pages, texts, languages=ocr_languages, dpi=ocr_dpi)
        if ocr_texts:
            texts = [ocr_texts.get(number, text) for number, text in enumerate(texts, start=1)]
            source_format = "pdf-ocr"  # part of the text comes from OCR and may contain its errors
    blocks = _blocks(texts)
    return LoadedDocument(path=path, source_format=source_format, blocks=tuple(blocks), page_count=len(texts))


def _open(path: Path, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedDocument(
                str(path),
                "PDF được đặt mật khẩu. Hãy gỡ mật khẩu (mở tệp với mật khẩu rồi lưu lại bản không mật khẩu) "
                "và nạp lại.",
            )
    except DependencyError as exc:  # AES encryption needs the optional 'cryptography' package
        raise UnsupportedDocument(
            str(path),
            "PDF được mã hóa AES, cần gói Python 'cryptography' để đọc. Hãy cài gói này, hoặc lưu lại PDF "
            "không mã hóa rồi nạp lại.",
        ) from exc
    except _PARSE_ERRORS as exc:
        raise UnsupportedDocument(str(path), _CORRUPT) from exc
    return reader


def _page_text(path: Path, page: PageObject, number: int) -> str:
    try:
        return page.extract_text() or ""
    except _PARSE_ERRORS as exc:  # one damaged page must not lose the whole document
        logger.warning("%s: cannot extract text of page %d (%s); treating it as empty", path, number, exc)
        return ""


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def _has_images(page: PageObject) -> bool:
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        return bool(xobjects is not None and len(xobjects.get_object()) > 0)
    except _PARSE_ERRORS:
        return False


def _ocr_scanned_pages(
    path: Path, pages: list[PageObject], texts: list[str], *, languages: str, dpi: int
) -> dict[int, str]:
    """In a PDF that has a text layer, the OCR text of pages that are only an image (e.g. a scanned annex).

    The document is readable without them, so missing OCR tools or a failing page only cost a warning.
    """
    scanned = [
        number
        for number, (page, text) in enumerate(zip(pages, texts, strict=True), start=1)
        if _visible_chars(text) < MIN_CHARS_PER_PAGE and _has_images(page)
    ]
    if not scanned:
        return {}
    reason = ocr_unavailable_reason(languages)
    if reason is not None:
        logger.warning("%s: pages %s look scanned but OCR is unavailable (%s); skipped", path, scanned, reason)
        return {}
    try:
        return ocr_pdf_pages(path, scanned, languages=languages, dpi=dpi)
    except UnsupportedDocument as exc:
        logger.warning("%s: OCR of scanned pages %s failed (%s); skipped", path, scanned, exc.reason)
        return {}


def _blocks(texts: list[str]) -> list[Block]:
    pages = [[line.strip() for line in text.splitlines()] for text in texts]
    pages = [_strip_page_numbers(lines) for lines in pages]
    pages = _strip_running_lines(pages)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        blocks.extend(paragraph_blocks(assemble_paragraphs(lines), page=number))
    return blocks


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def _strip_page_numbers(lines: list[str]) -> list[str]:
    drop = {i for i in _edge_indexes(lines) if is_page_number(lines[i])}
    return [line for i, line in enumerate(lines) if i not in drop]


_DIGITS = re.compile(r"\d+")


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop headers and footers repeated at the top or bottom of most pages ("Công báo số 12").

    The first copy stays: on the first page such a line may be part of the document's own header.
    """
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_DIGITS.sub("#", lines[i]) for i in _edge_indexes(lines) if not starts_structural(lines[i])})
    threshold = max(3, int(0.6 * len(pages)))
    running = {key for key, count in counts.items() if count >= threshold}
    if not running:
        return pages
    result = []
    seen: set[str] = set()
    for lines in pages:
        drop = set()
        for i in _edge_indexes(lines):
            key = _DIGITS.sub("#", lines[i])
            if key in running and key in seen:
                drop.add(i)
            seen.add(key)
        result.append([line for i, line in enumerate(lines) if i not in drop])
    return result
