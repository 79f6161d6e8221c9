"""Recognise a file's format from its bytes (a wrong extension cannot fool a loader); decode text files."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Literal

Format = Literal["pdf", "docx", "html", "md", "txt"]

SUFFIX_FORMATS: dict[str, Format] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
}
TEXT_FORMATS: frozenset[Format] = frozenset({"html", "md", "txt"})

_UTF8_BOM = b"\xef\xbb\xbf"
_HTML_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)

# Programs and scripts, refused whatever their name. Measured against filetype 1.2.0 and puremagic 1.30: filetype
# knows neither Mach-O nor "#!", puremagic names ELF and Mach-O with no type and a fat Mach-O ".class", and
# neither knows "#!" — so this one table is kept.
_EXECUTABLES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "chương trình Windows (.exe/.dll)"),
    (b"\x7fELF", "chương trình Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "chương trình macOS (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "chương trình macOS (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "chương trình macOS (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "chương trình macOS (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "chương trình (Mach-O/Java)"),
    (b"\x00asm", "mã WebAssembly"),
    (b"#!", "tập lệnh (script)"),
)
# Other binary formats people mistake for documents, with what to do about each.
_KNOWN_BINARIES: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0",
        "tệp Office cũ (.doc/.xls) hoặc tệp Word đặt mật khẩu — hãy mở bằng Word và lưu lại thành .docx",
    ),
    (b"\x89PNG", "ảnh PNG — hãy chuyển ảnh quét thành PDF rồi nạp tệp PDF"),
    (b"\xff\xd8\xff", "ảnh JPEG — hãy chuyển ảnh quét thành PDF rồi nạp tệp PDF"),
    (b"II*\x00", "ảnh TIFF — hãy chuyển ảnh quét thành PDF rồi nạp tệp PDF"),
    (b"MM\x00*", "ảnh TIFF — hãy chuyển ảnh quét thành PDF rồi nạp tệp PDF"),
    (b"Rar!", "tệp nén RAR — hãy giải nén và nạp từng tài liệu"),
    (b"7z\xbc\xaf", "tệp nén 7z — hãy giải nén và nạp từng tài liệu"),
    (b"\x1f\x8b", "tệp nén gzip — hãy giải nén và nạp từng tài liệu"),
    (b"{\\rtf", "tệp RTF — hãy mở bằng Word và lưu lại thành .docx"),
)


def sniff(data: bytes) -> Format | None:
    """The format the bytes really are, or None when they are none of the supported ones.

    Text files are told apart only as HTML or not: Markdown and plain text share one family, and which of the
    two a text file is comes from its extension.
    """
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _zip_has(data, "word/document.xml") else None
    text = decode_utf8(data)
    if text is None or "\x00" in text[:4096]:
        return None
    if _HTML_START.match(data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data):
        return "html"
    return "txt"


def executable_kind(data: bytes) -> str | None:
    """What program or script the bytes are ("chương trình Linux (ELF)"), or None when they are none."""
    return next((what for magic, what in _EXECUTABLES if data.startswith(magic)), None)


def describe_binary(data: bytes) -> str:
    """A Vietnamese description of what an unsupported file seems to be, for error messages."""
    if program := executable_kind(data):
        return f"tệp {program}"
    if data.startswith(b"PK\x03\x04"):
        return "tệp nén ZIP hoặc tệp Office không phải Word (.xlsx, .pptx, .odt…)"
    for magic, description in _KNOWN_BINARIES:
        if data.startswith(magic):
            return description
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "văn bản mã UTF-16 — hãy lưu lại tệp ở mã UTF-8"
    return "dữ liệu nhị phân không rõ loại"


def decode_utf8(data: bytes) -> str | None:
    """The text of UTF-8 bytes (a leading BOM removed), or None when they are not UTF-8."""
    try:
        return data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
