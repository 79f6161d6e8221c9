"""Loaders: each format to blocks with pages and kinds; every bad input refused with a Vietnamese reason."""

from __future__ import annotations

import io
import random
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import pytesseract
import pytest
from lxml import etree
from pypdf import PdfWriter

from assistant.errors import NeedsOcr, UnsupportedDocument
from assistant.text.normalize import fold_diacritics
from assistant.types import Block, LoadedDocument
from ingest.loaders import SUPPORTED_SUFFIXES, is_ingestible, load_document, ocr
from ingest.loaders import docx as docx_loader
from ingest.loaders.docx_numbering import ListNumbering, format_number
from ingest.loaders.paragraphs import assemble_paragraphs, classify

MB = 1024 * 1024

PdfBuilder = Callable[[str, Sequence[Sequence[str]]], Path]  # fixtures of conftest.py
ScanBuilder = Callable[[str, Sequence[str]], Path]

ARTICLE_1 = (
    "Nghị định này quy định về công tác văn thư và quản lý nhà nước về công tác văn thư. Công tác văn thư "
    "quy định tại Nghị định này bao gồm: soạn thảo, ký ban hành văn bản; quản lý văn bản; lập hồ sơ và nộp "
    "lưu hồ sơ, tài liệu vào Lưu trữ cơ quan; quản lý và sử dụng con dấu, thiết bị lưu khóa bí mật."
)
CLAUSE_1 = (
    "1. Cơ quan, tổ chức nhà nước và doanh nghiệp nhà nước phải thực hiện đúng quy định tại Nghị định này "
    "và các văn bản hướng dẫn có liên quan đến công tác văn thư theo quy định tại Điều 5 Luật Lưu trữ."
)
POINT_A = "a) Hồ sơ gồm đơn đề nghị cấp phép, bản sao giấy chứng nhận và các giấy tờ khác có liên quan."


def load(path: Path, *, ocr_dpi: int = 300) -> LoadedDocument:
    return load_document(path, max_bytes=10 * MB, ocr_dpi=ocr_dpi)


def texts(document: LoadedDocument) -> list[str]:
    return [block.text for block in document.blocks]


def refused(path: Path, *, max_bytes: int = 10 * MB) -> UnsupportedDocument:
    """Load a file that must be refused; the message must name the file."""
    with pytest.raises(UnsupportedDocument) as caught:
        load_document(path, max_bytes=max_bytes)
    assert path.name in str(caught.value)
    assert caught.value.path == str(path)
    return caught.value


# --- names and suffixes ----------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nd-30-2020.pdf", True),
        ("QD-1637.PDF", True),
        ("README.md", True),
        ("huong-dan.markdown", True),
        ("trang.htm", True),
        ("nd-30-2020.meta.yaml", False),
        (".nd-30-2020.pdf", False),
        ("~$quyet-dinh.docx", False),
        ("bang-tinh.xlsx", False),
        ("khong-duoi", False),
    ],
)
def test_is_ingestible(name: str, expected: bool) -> None:
    assert is_ingestible(Path("corpus") / name) is expected


# --- PDF -------------------------------------------------------------------------------------------


def test_pdf_blocks_carry_pages_structure_and_diacritics(text_pdf: PdfBuilder) -> None:
    path = text_pdf(
        "nghi-dinh.pdf",
        [
            ["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh", ARTICLE_1, CLAUSE_1, POINT_A],
            ["Điều 2. Đối tượng áp dụng", "Nghị định này áp dụng đối với cơ quan, tổ chức nhà nước."],
        ],
    )
    document = load(path)
    assert document.source_format == "pdf"
    assert document.page_count == 2
    assert texts(document) == [
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh",
        ARTICLE_1,  # three wrapped lines joined back into one paragraph
        CLAUSE_1,  # "Điều 5 Luật …" inside a wrapped clause does not start a new block
        POINT_A,
        "Điều 2. Đối tượng áp dụng",
        "Nghị định này áp dụng đối với cơ quan, tổ chức nhà nước.",
    ]  # the "- 1 -" page-number footers are gone
    pages = {block.text: block.page for block in document.blocks}
    assert pages["Điều 1. Phạm vi điều chỉnh"] == 1
    assert pages["Điều 2. Đối tượng áp dụng"] == 2
    kinds = [block.kind for block in document.blocks]
    assert kinds == [
        "heading",
        "heading",
        "heading",
        "paragraph",
        "list_item",
        "list_item",
        "heading",
        "paragraph",
    ]
    assert all(unicodedata.is_normalized("NFC", text) for text in texts(document))


def test_pdf_with_owner_password_only_is_read(text_pdf: PdfBuilder, tmp_path: Path) -> None:
    source = text_pdf("goc.pdf", [["Điều 1. Phạm vi điều chỉnh", ARTICLE_1]])
    writer = PdfWriter(clone_from=source)
    writer.encrypt("", owner_password="chu-so-huu", algorithm="RC4-128")
    path = tmp_path / "chi-han-che-in.pdf"
    writer.write(path)
    assert texts(load(path))[0] == "Điều 1. Phạm vi điều chỉnh"


SCANNED_LINES = [
    "Điều 5. Hồ sơ đề nghị",
    "1. Hồ sơ gồm đơn đề nghị cấp phép",
    "a) Cơ quan tiếp nhận kiểm tra.",
]


@pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="Tesseract/poppler not installed",
)
def test_scanned_pdf_is_read_by_ocr(scanned_pdf: ScanBuilder) -> None:
    document = load(scanned_pdf("ban-quet.pdf", SCANNED_LINES), ocr_dpi=200)
    assert document.source_format == "pdf-ocr"
    assert document.page_count == 1
    assert {block.page for block in document.blocks} == {1}
    folded = fold_diacritics(document.text)
    for words in ("dieu 5. ho so de nghi", "don de nghi cap phep", "co quan tiep nhan"):
        assert words in folded
    assert fold_diacritics(document.blocks[0].text).startswith("dieu 5.")


@pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="Tesseract/poppler not installed",
)
def test_scanned_annex_page_of_a_text_pdf_is_read_by_ocr(
    text_pdf: PdfBuilder, scanned_pdf: ScanBuilder, tmp_path: Path
) -> None:
    writer = PdfWriter(clone_from=text_pdf("van-ban.pdf", [["Điều 1. Phạm vi điều chỉnh", ARTICLE_1]]))
    writer.append(scanned_pdf("phu-luc.pdf", SCANNED_LINES))
    path = tmp_path / "van-ban-co-phu-luc-quet.pdf"
    writer.write(path)
    document = load(path, ocr_dpi=200)
    assert document.source_format == "pdf-ocr"
    assert document.page_count == 2
    assert document.blocks[0] == Block("Điều 1. Phạm vi điều chỉnh", page=1, kind="heading")
    scanned = [block for block in document.blocks if block.page == 2]
    assert scanned and "dieu 5. ho so de nghi" in fold_diacritics(scanned[0].text)


def test_running_headers_and_page_numbers_are_dropped(text_pdf: PdfBuilder) -> None:
    header = "CÔNG BÁO/Số 12 + 13/Ngày 05-01-2024"
    path = text_pdf(
        "cong-bao.pdf",
        [
            [header, "Điều 1. Phạm vi điều chỉnh", ARTICLE_1],
            [header, "Điều 2. Đối tượng áp dụng", CLAUSE_1],
            [header, "Điều 3. Hiệu lực thi hành", POINT_A],
        ],
    )
    document = load(path)
    assert [block.text for block in document.blocks if block.kind == "heading"] == [
        "Điều 1. Phạm vi điều chỉnh",
        "Điều 2. Đối tượng áp dụng",
        "Điều 3. Hiệu lực thi hành",
    ]
    assert [block.text for block in document.blocks if "CÔNG BÁO" in block.text] == [header]  # the first only
    assert (document.blocks[0].text, document.blocks[0].page) == (header, 1)
    assert not any(text.strip("- ").isdigit() for text in texts(document))
    assert [block.page for block in document.blocks if block.kind == "heading"] == [1, 2, 3]


def test_scanned_pdf_without_tesseract_needs_ocr(
    scanned_pdf: ScanBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "khong-co-tesseract"))
    path = scanned_pdf("ban-quet.pdf", SCANNED_LINES)
    error = refused(path)
    assert isinstance(error, NeedsOcr)
    assert "tesseract" in error.reason and "tesseract-ocr-vie" in error.reason


def test_scanned_pdf_without_pdftoppm_needs_ocr(
    scanned_pdf: ScanBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = scanned_pdf("ban-quet.pdf", SCANNED_LINES)
    monkeypatch.setenv("PATH", str(tmp_path / "khong-co-gi"))
    error = refused(path)
    assert isinstance(error, NeedsOcr)
    assert "pdftoppm" in error.reason and "poppler-utils" in error.reason


def test_scanned_pdf_without_vietnamese_data_needs_ocr(
    scanned_pdf: ScanBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(ocr, "_installed_languages", lambda tesseract: {"eng", "osd"})
    error = refused(scanned_pdf("ban-quet.pdf", SCANNED_LINES))
    assert isinstance(error, NeedsOcr)
    assert "vie" in error.reason and "tesseract-ocr-vie" in error.reason


# --- DOCX ------------------------------------------------------------------------------------------


def test_docx_headings_lists_and_tables_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Chương I", level=1)
    document.add_heading("Điều 1. Phạm vi điều chỉnh", level=2)
    document.add_paragraph("Quy định này áp dụng cho công chức cấp xã.")
    document.add_paragraph("Khoản thứ nhất", style="List Number")
    document.add_paragraph("Khoản thứ hai", style="List Number")
    document.add_paragraph("Gạch đầu dòng", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    header, row = ("Thủ tục", "Thời hạn", "Lệ phí"), ("Cấp phép", "15 ngày", "")
    for index, values in enumerate((header, row)):
        for column, value in enumerate(values):
            table.cell(index, column).text = value
    table.cell(2, 0).merge(table.cell(2, 2)).text = "Ghi chú chung"
    paragraph = document.add_paragraph("Dòng đầu")
    paragraph.add_run().add_break()
    paragraph.add_run("a) Dòng sau ngắt dòng mềm")
    path = tmp_path / "quy-dinh.docx"
    document.save(str(path))

    loaded = load(path)
    assert loaded.source_format == "docx"
    assert loaded.blocks == (
        Block("Chương I", kind="heading", level=1),
        Block("Điều 1. Phạm vi điều chỉnh", kind="heading", level=2),
        Block("Quy định này áp dụng cho công chức cấp xã."),
        Block("1. Khoản thứ nhất", kind="list_item"),  # Word's automatic numbering made visible
        Block("2. Khoản thứ hai", kind="list_item"),
        Block("- Gạch đầu dòng", kind="list_item"),
        Block("Thủ tục | Thời hạn | Lệ phí", kind="table"),
        Block("Cấp phép | 15 ngày |", kind="table"),
        Block("Ghi chú chung", kind="table"),  # a merged row is not repeated once per grid column
        Block("Dòng đầu"),
        Block("a) Dòng sau ngắt dòng mềm", kind="list_item"),
    )


NUMBERING_XML = """
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Điều %1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
    <w:lvl w:ilvl="3"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="7"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>
</w:numbering>
"""


def test_word_numbering_counts_like_word() -> None:
    numbering = ListNumbering(etree.fromstring(NUMBERING_XML.encode()))
    sequence = [
        ("1", 0),
        ("1", 1),
        ("1", 2),
        ("1", 2),
        ("1", 3),
        ("1", 1),
        ("1", 0),
        ("1", 1),
        ("2", 0),
        ("0", 0),
    ]
    labels = [numbering.label(num_id, ilvl) for num_id, ilvl in sequence]
    assert labels == ["Điều 1.", "1.", "a)", "b)", "-", "2.", "Điều 2.", "1.", "Điều 10.", ""]
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert format_number(27, "lowerLetter") == "aa"


# --- HTML, Markdown, text --------------------------------------------------------------------------


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Cổng thông tin</title><style>p { color: red }</style></head>
<body>
<nav><a href="/">Trang chủ</a> | <a href="/vb">Văn bản</a></nav>
<script>var x = "không được lấy";</script>
<h1>Quyết định số 1637/QĐ-BNG</h1>
<div class="noi-dung">
  <h2>Điều 1. Phạm vi</h2>
  <p>Quy định này áp dụng
     cho <b>công chức</b> và <a href="#">viên chức</a>.</p>
  <p>1. Khoản một.<br>a) Điểm a của khoản một.</p>
  <ul><li>Mục danh sách thứ nhất</li><li><p>Mục thứ hai</p></li></ul>
  <table><tr><th>Thủ tục</th><th>Thời hạn</th></tr><tr><td><p>Cấp phép</p></td><td>15 ngày</td></tr></table>
  <div style="display: none">Nội dung ẩn</div>
  Văn bản nằm trực tiếp trong thẻ div.
</div>
<footer>Bản quyền thuộc về cổng thông tin</footer>
</body></html>"""


def test_html_headings_paragraphs_lists_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "quyet-dinh.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    loaded = load(path)
    assert loaded.source_format == "html"
    assert loaded.blocks == (
        Block("Quyết định số 1637/QĐ-BNG", kind="heading", level=1),
        Block("Điều 1. Phạm vi", kind="heading", level=2),
        Block("Quy định này áp dụng cho công chức và viên chức."),
        Block("1. Khoản một.", kind="list_item"),
        Block("a) Điểm a của khoản một.", kind="list_item"),
        Block("Mục danh sách thứ nhất", kind="list_item"),
        Block("Mục thứ hai", kind="list_item"),
        Block("Thủ tục | Thời hạn", kind="table"),
        Block("Cấp phép | 15 ngày", kind="table"),
        Block("Văn bản nằm trực tiếp trong thẻ div."),
    )


def _windows_1258(text: str) -> bytes:
    """Vietnamese in the legacy Windows code page: vowel shapes precomposed, tone marks as combining bytes."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        shape = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(shape + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "trang-cu.htm"
    page = '<html><head><meta charset="windows-1258"></head><body><p>Điều 1. Ủy ban nhân dân Hà Nội</p>'
    path.write_bytes(_windows_1258(page))
    assert texts(load(path)) == ["Điều 1. Ủy ban nhân dân Hà Nội"]


MARKDOWN = """---
title: Hướng dẫn
---
# Hướng dẫn dịch vụ công

Giới thiệu **chung** về [Cổng dịch vụ công](https://dichvucong.gov.vn) và `mã hồ sơ`.

## Điều 1. Hồ sơ
1. Đơn đề nghị theo mẫu;
2. Bản sao *giấy tờ* tùy thân.
* Lưu ý thứ nhất
+ Lưu ý thứ hai

Thủ tục cấp phép
----------------

| Bước | Nội dung |
|------|----------|
| 1 | Nộp hồ sơ |

> Ghi chú: snake_case_name giữ nguyên.
"""


def test_markdown_headings_lists_tables_and_inline_syntax(tmp_path: Path) -> None:
    path = tmp_path / "huong-dan.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    loaded = load(path)
    assert loaded.source_format == "md"
    assert loaded.blocks == (
        Block("Hướng dẫn dịch vụ công", kind="heading", level=1),
        Block("Giới thiệu chung về Cổng dịch vụ công và mã hồ sơ."),
        Block("Điều 1. Hồ sơ", kind="heading", level=2),
        Block("1. Đơn đề nghị theo mẫu;", kind="list_item"),
        Block("2. Bản sao giấy tờ tùy thân.", kind="list_item"),
        Block("- Lưu ý thứ nhất", kind="list_item"),
        Block("- Lưu ý thứ hai", kind="list_item"),
        Block("Thủ tục cấp phép", kind="heading", level=2),
        Block("Bước | Nội dung", kind="table"),
        Block("1 | Nộp hồ sơ", kind="table"),
        Block("Ghi chú: snake_case_name giữ nguyên."),
    )


def test_text_joins_wrapped_lines_and_splits_structure(tmp_path: Path) -> None:
    body = (
        "NGHỊ ĐỊNH\n"
        "Quy định về công tác văn thư\n"
        "\n"
        "Điều 5. Hồ sơ đề nghị\n"
        "Hồ sơ đề nghị cấp giấy phép gồm các giấy tờ sau đây, được nộp trực tiếp\n"
        "hoặc qua dịch vụ bưu chính công ích tại bộ phận một cửa của Ủy ban nhân\n"
        "dân cấp xã nơi cư trú:\n"
        "a) Đơn đề nghị theo mẫu quy định tại Phụ lục ban hành kèm theo Nghị định\n"
        "này;\n"
        "b) Bản sao giấy tờ tùy thân.\n"
    )
    path = tmp_path / "nghi-dinh.txt"
    path.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", body).encode("utf-8"))  # BOM and NFD input
    loaded = load(path)
    assert loaded.source_format == "txt"
    assert texts(loaded) == [
        "NGHỊ ĐỊNH",
        "Quy định về công tác văn thư",
        "Điều 5. Hồ sơ đề nghị",
        "Hồ sơ đề nghị cấp giấy phép gồm các giấy tờ sau đây, được nộp trực tiếp hoặc qua dịch vụ bưu chính "
        "công ích tại bộ phận một cửa của Ủy ban nhân dân cấp xã nơi cư trú:",
        "a) Đơn đề nghị theo mẫu quy định tại Phụ lục ban hành kèm theo Nghị định này;",
        "b) Bản sao giấy tờ tùy thân.",
    ]
    assert all(block.page is None for block in loaded.blocks)


def test_text_with_one_paragraph_per_line_keeps_every_line(tmp_path: Path) -> None:
    lines = ["Điều 1. Phạm vi điều chỉnh", ARTICLE_1, "Căn cứ Luật Tổ chức Chính phủ;", ARTICLE_1]
    path = tmp_path / "mot-dong-mot-doan.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert texts(load(path)) == lines


def test_web_page_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "trang-web.txt"
    path.write_text("<!doctype html><html><body><h2>Điều 3. Hiệu lực</h2></body></html>", encoding="utf-8")
    loaded = load(path)
    assert loaded.source_format == "html"
    assert loaded.blocks == (Block("Điều 3. Hiệu lực", kind="heading", level=2),)


WRAPPED_CITATION = "Cơ quan, tổ chức thực hiện đúng các quy định về hồ sơ, thủ tục theo quy định tại"
LONG_TITLE = "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng của Nghị định về công tác văn thư"
STRUCTURE_LINES = ["1.1. Mục tiêu chung", "I. MỤC TIÊU", "II - NHIỆM VỤ", "- gạch đầu dòng", "đ) điểm đ"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [WRAPPED_CITATION, "Điều 5 Luật Cán bộ, công chức."],
            [f"{WRAPPED_CITATION} Điều 5 Luật Cán bộ, công chức."],
        ),
        (["mức hỗ trợ tăng", "2.5 lần so với năm trước."], ["mức hỗ trợ tăng 2.5 lần so với năm trước."]),
        (
            ["Chương II", "QUY ĐỊNH CỤ THỂ", "Điều 3. Hồ sơ"],
            ["Chương II", "QUY ĐỊNH CỤ THỂ", "Điều 3. Hồ sơ"],
        ),
        (["CHƯƠNG II QUY ĐỊNH CỤ THỂ", "Mục 1. Hồ sơ"], ["CHƯƠNG II QUY ĐỊNH CỤ THỂ", "Mục 1. Hồ sơ"]),
        (
            ["Căn cứ Luật Tổ chức Chính phủ;", "Căn cứ Luật Lưu trữ;"],
            ["Căn cứ Luật Tổ chức Chính phủ;", "Căn cứ Luật Lưu trữ;"],
        ),
        (STRUCTURE_LINES, STRUCTURE_LINES),
        (
            [LONG_TITLE, "Nghị định này quy định về văn thư."],
            [LONG_TITLE, "Nghị định này quy định về văn thư."],
        ),
        (
            [LONG_TITLE + " trong", "cơ quan nhà nước", "Nghị định này"],
            [LONG_TITLE + " trong cơ quan nhà nước", "Nghị định này"],
        ),
        (
            ["Chương I. NHỮNG QUY ĐỊNH VỀ CÔNG TÁC", "CHUNG"],
            ["Chương I. NHỮNG QUY ĐỊNH VỀ CÔNG TÁC CHUNG"],
        ),
        (["a well-", "known fact"], ["a well-known fact"]),
        (["đoạn một", "", "Đoạn hai"], ["đoạn một", "Đoạn hai"]),
    ],
)
def test_paragraph_assembly(lines: list[str], expected: list[str]) -> None:
    assert assemble_paragraphs(lines) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Điều 12a. Sửa đổi", "heading"),
        ("Chương IV", "heading"),
        ("PHẦN THỨ HAI", "heading"),
        ("II. NHIỆM VỤ", "heading"),
        ("3. Khoản ba", "list_item"),
        ("b) Điểm b", "list_item"),
        ("Hồ sơ gồm các giấy tờ sau.", "paragraph"),
    ],
)
def test_classify(text: str, kind: str) -> None:
    assert classify(text) == kind


# --- bad inputs ------------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rong.pdf"
    path.write_bytes(b"")
    assert "tệp rỗng" in refused(path).reason


def test_whitespace_only_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "chi-khoang-trang.md"
    path.write_text("   \n\n\t  \n", encoding="utf-8")
    assert "tệp rỗng" in refused(path).reason


def test_markup_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "khong-chu.html"
    path.write_text("<html><body><script>x()</script><nav>Menu</nav></body></html>", encoding="utf-8")
    assert "tệp rỗng" in refused(path).reason


def test_corrupt_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00rac" * 200)
    reason = refused(path).reason
    assert "bị hỏng" in reason and "lưu lại" in reason


def test_encrypted_pdf_is_refused(text_pdf: PdfBuilder, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=text_pdf("goc.pdf", [["Điều 1. Phạm vi điều chỉnh"]]))
    writer.encrypt("mat-khau", algorithm="RC4-128")
    path = tmp_path / "co-mat-khau.pdf"
    writer.write(path)
    assert "mật khẩu" in refused(path).reason


@pytest.mark.parametrize("name", ["bang-tinh.xlsx", "anh-quet.jpg", "khong-duoi"])
def test_unsupported_type_lists_supported_ones(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"du lieu")
    reason = refused(path).reason
    assert "không được hỗ trợ" in reason
    assert all(suffix in reason for suffix in (".pdf", ".docx", ".html", ".md", ".txt"))


def test_renamed_executable_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nghi-dinh.pdf"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200))
    reason = refused(path).reason
    assert "không khớp" in reason and "'.pdf'" in reason and "chương trình" in reason


def test_pdf_named_docx_is_refused(text_pdf: PdfBuilder, tmp_path: Path) -> None:
    path = tmp_path / "quyet-dinh.docx"
    path.write_bytes(text_pdf("goc.pdf", [["Điều 1. Phạm vi"]]).read_bytes())
    reason = refused(path).reason
    assert "không khớp" in reason and "PDF" in reason


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qua-lon.txt"
    path.write_text("Điều 1. Phạm vi\n" * 2000, encoding="utf-8")
    reason = refused(path, max_bytes=10_000).reason
    assert "quá lớn" in reason and "ASSISTANT_MAX_FILE_MB" in reason and "MB" in reason


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cp1258.txt", _windows_1258("Đơn đề nghị cấp phép xây dựng")),
        ("latin1.md", "# Café à Paris".encode("latin-1")),
        ("utf16.txt", "Đơn đề nghị".encode("utf-16")),
    ],
)
def test_text_that_is_not_utf8_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    reason = refused(path).reason
    assert "không phải UTF-8" in reason and "hãy lưu lại tệp ở mã UTF-8" in reason


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bom.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (20 * MB)})
    assert path.stat().st_size < 100_000
    reason = refused(path).reason
    assert "zip bomb" in reason and "tỉ lệ nén" in reason


def test_docx_expanding_beyond_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_loader, "MAX_UNCOMPRESSED_BYTES", 1 * MB)
    incompressible = random.Random(0).randbytes(2 * MB)
    path = _zip(tmp_path / "lon.docx", {"word/document.xml": incompressible})
    reason = refused(path).reason
    assert "vượt giới hạn" in reason and "zip bomb" in reason


def test_zip_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bang-tinh.docx", {"xl/workbook.xml": b"<workbook/>"})
    assert "không phải tài liệu Word" in refused(path).reason


def test_truncated_docx_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Điều 1. Phạm vi")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "cat-do.docx"
    path.write_bytes(buffer.getvalue()[:3000])
    assert "bị hỏng" in refused(path).reason


def test_non_positive_limit_is_a_programming_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Điều 1.", encoding="utf-8")
    with pytest.raises(ValueError, match="max_bytes"):
        load_document(path, max_bytes=0)
