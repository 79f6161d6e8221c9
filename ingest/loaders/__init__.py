"""File loaders: turn a PDF, DOCX, HTML, Markdown or text file into blocks of original text with pages.

``load_document`` checks the file (size, emptiness, real format by content) and hands it to the loader of its
format; every failure is an :class:`~assistant.errors.UnsupportedDocument` whose message names the file, says
what is wrong and what to do, in Vietnamese.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.errors import UnsupportedDocument
from assistant.types import LoadedDocument
from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.pdf import load_pdf
from ingest.loaders.sniff import (
    SUFFIX_FORMATS,
    TEXT_FORMATS,
    Format,
    declared_charset,
    describe_binary,
    sniff,
)
from ingest.loaders.text import load_markdown, load_text

__all__ = ["SUPPORTED_SUFFIXES", "is_ingestible", "load_document"]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(SUFFIX_FORMATS)
SIDECAR_SUFFIX = ".meta.yaml"
_SUPPORTED_LIST = ", ".join(sorted(SUPPORTED_SUFFIXES))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def is_ingestible(path: Path) -> bool:
    """Whether a file should be ingested, judged by its name: supported suffix, not hidden, not a sidecar."""
    name = path.name
    if name.startswith((".", "~$")) or name.lower().endswith(SIDECAR_SUFFIX):
        return False  # hidden files, Office lock files ("~$quyet-dinh.docx") and metadata sidecars
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def load_document(path: Path, *, max_bytes: int, ocr_languages: str = "vie+eng", ocr_dpi: int = 300) -> LoadedDocument:
    """Load one file into a :class:`LoadedDocument` with its text blocks in reading order.

    The format is decided by the content; the extension only has to agree with it. Raises
    :class:`UnsupportedDocument` (or its subclass ``NeedsOcr``) for anything that cannot be ingested.
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be > 0, got {max_bytes}")
    if ocr_dpi <= 0:
        raise ValueError(f"ocr_dpi must be > 0, got {ocr_dpi}")
    name = str(path)
    claimed = SUFFIX_FORMATS.get(path.suffix.lower())
    if claimed is None:
        raise UnsupportedDocument(
            name,
            f"loại tệp '{path.suffix or '(không có đuôi)'}' không được hỗ trợ. "
            f"Các loại được hỗ trợ: {_SUPPORTED_LIST}. Hãy chuyển tài liệu sang một trong các loại này.",
        )
    data = _read_limited(path, max_bytes)
    if not data.strip():
        raise UnsupportedDocument(name, "tệp rỗng (không có nội dung). Hãy kiểm tra lại tệp gốc.")
    actual = _resolve_format(path, claimed, data)
    document = _dispatch(path, actual, data, ocr_languages=ocr_languages, ocr_dpi=ocr_dpi)
    if not any(block.text.strip() for block in document.blocks):
        raise UnsupportedDocument(
            name, "tệp rỗng: không trích được chữ nào từ tệp. Hãy kiểm tra tệp gốc có nội dung văn bản."
        )
    logger.debug("loaded %s as %s: %d blocks", path, document.source_format, len(document.blocks))
    return document


def _read_limited(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnsupportedDocument(
                name,
                f"tệp quá lớn ({_mb(size)} MB, giới hạn {_mb(max_bytes)} MB). Hãy chia nhỏ tệp, "
                "hoặc tăng giới hạn bằng biến môi trường ASSISTANT_MAX_FILE_MB.",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise UnsupportedDocument(name, f"không đọc được tệp ({exc.strerror or exc}). Hãy kiểm tra quyền đọc.") from exc
    if len(data) > max_bytes:
        raise UnsupportedDocument(
            name, f"tệp quá lớn (trên {_mb(max_bytes)} MB). Hãy chia nhỏ tệp hoặc tăng ASSISTANT_MAX_FILE_MB."
        )
    return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _resolve_format(path: Path, claimed: Format, data: bytes) -> Format:
    """The format to load, which the content decides; a content that contradicts the extension is refused."""
    actual = sniff(data)
    if actual == claimed:
        return actual
    if claimed in TEXT_FORMATS and actual in TEXT_FORMATS:
        return "html" if "html" in (claimed, actual) else claimed  # e.g. a web page saved as .txt
    if actual is None and claimed == "docx" and data.startswith(b"PK\x03\x04"):
        return "docx"  # a zip that is not a readable Word file: the DOCX loader says precisely what is wrong
    if actual is None and claimed == "html" and declared_charset(data):
        return "html"  # a web page in a legacy charset that it declares; the HTML loader decodes it
    if actual is None and claimed in TEXT_FORMATS and (b"\x00" not in data[:4096] or data.startswith(_UTF16_BOMS)):
        raise UnsupportedDocument(
            str(path),
            "tệp văn bản không phải UTF-8 — hãy lưu lại tệp ở mã UTF-8 (ví dụ trong Notepad: "
            "Lưu thành… › Mã hóa: UTF-8) rồi nạp lại.",
        )
    if actual is None:
        what = describe_binary(data)
        advice = f"Hãy nạp tài liệu gốc ở một trong các loại: {_SUPPORTED_LIST}."
    else:
        what = _FORMAT_NAMES[actual]
        advice = "Nếu đúng là tài liệu cần nạp, hãy đổi đuôi tệp cho đúng loại rồi nạp lại."
    raise UnsupportedDocument(
        str(path), f"nội dung tệp không khớp với đuôi '{path.suffix}': nội dung thực là {what}. {advice}"
    )


_FORMAT_NAMES: dict[Format, str] = {
    "pdf": "tệp PDF (.pdf)",
    "docx": "tệp Word (.docx)",
    "html": "trang web HTML (.html)",
    "md": "văn bản Markdown (.md)",
    "txt": "văn bản thuần (.txt/.md)",
}


def _dispatch(path: Path, fmt: Format, data: bytes, *, ocr_languages: str, ocr_dpi: int) -> LoadedDocument:
    if fmt == "pdf":
        return load_pdf(path, data, ocr_languages=ocr_languages, ocr_dpi=ocr_dpi)
    if fmt == "docx":
        return load_docx(path, data)
    if fmt == "html":
        return load_html(path, data)
    if fmt == "md":
        return load_markdown(path, data)
    return load_text(path, data)
