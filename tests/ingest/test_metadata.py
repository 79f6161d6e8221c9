"""Sidecar validation, formal-header parsing and their merge into DocumentMeta."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.errors import MetadataError
from assistant.types import Block, LoadedDocument, Relation, RelationKind, Validity
from ingest.metadata import build_metadata, parse_date, parse_header, read_sidecar, validate_id

FULL_SIDECAR = """\
id: nq-57-tw
title: "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
number: "57-NQ/TW"          # số hiệu
type: "Nghị quyết"
issuer: "Bộ Chính trị"
issued: 2024-12-22
effective: "22/12/2024"
expires: null
status: "còn hiệu lực"
relations:
  - {type: "thay thế", target: "12/2019/QĐ-UBND"}
  - {type: "sửa đổi, bổ sung", target: "30/2020/NĐ-CP"}
  - {type: guides, target: "03/NQ-CP"}
unit: "STTTT"
visibility: unit
allowed_units: [SXD, SYT]
allowed_roles: []
language: vi
sample: true
"""

UBND_DECISION = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/QĐ-UBND
Lạng Sơn, ngày 15 tháng 3 năm 2025
QUYẾT ĐỊNH
Về việc ban hành Quy chế quản lý, vận hành Nền tảng
công chức số tỉnh Lạng Sơn
-----------
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý, vận hành Nền tảng công chức số."""

PARTY_RESOLUTION = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 57-NQ/TW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 22 tháng 12 năm 2024
NGHỊ QUYẾT
CỦA BỘ CHÍNH TRỊ
về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo
và chuyển đổi số quốc gia
-----
I- TÌNH HÌNH VÀ NGUYÊN NHÂN"""

OFFICIAL_LETTER = """UBND TỈNH LẠNG SƠN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ THÔNG TIN VÀ TRUYỀN THÔNG Độc lập - Tự do - Hạnh phúc
Số: 123/STTTT-VP Lạng Sơn, ngày 02 tháng 4 năm 2025
V/v hướng dẫn sử dụng Nền tảng
công chức số
Kính gửi: Các cơ quan, đơn vị trên địa bàn tỉnh."""

LAW = """QUỐC HỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Luật số: 58/2010/QH12
LUẬT
VIÊN CHỨC
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992;
Quốc hội ban hành Luật viên chức."""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def loaded_of(path: Path, text: str, fmt: str = "pdf") -> LoadedDocument:
    blocks = tuple(Block(line, page=1) for line in text.split("\n") if line.strip())
    return LoadedDocument(path=path, source_format=fmt, blocks=blocks)


# --- read_sidecar ----------------------------------------------------------------------------------


def test_no_sidecar_is_none(tmp_path: Path) -> None:
    assert read_sidecar(tmp_path / "qd-12.pdf") is None


def test_full_sidecar_is_typed(tmp_path: Path) -> None:
    write(tmp_path / "nq-57.pdf.meta.yaml", FULL_SIDECAR)
    values = read_sidecar(tmp_path / "nq-57.pdf")
    assert values is not None
    assert values["id"] == "nq-57-tw" and values["number"] == "57-NQ/TW"
    assert values["issued"] == values["effective"] == dt.date(2024, 12, 22)
    assert "expires" not in values and "allowed_roles" not in values  # null / empty are left out
    assert values["status"] is Validity.IN_FORCE
    assert values["relations"] == (
        Relation(RelationKind.REPLACES, "12/2019/QĐ-UBND"),
        Relation(RelationKind.AMENDS, "30/2020/NĐ-CP"),
        Relation(RelationKind.GUIDES, "03/NQ-CP"),
    )
    assert values["allowed_units"] == ("SXD", "SYT")
    assert (values["visibility"], values["language"], values["sample"]) == ("unit", "vi", True)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("hết hiệu lực một phần", Validity.PARTLY_EXPIRED),
        ("Hết hiệu lực toàn bộ", Validity.EXPIRED),
        ("chưa có hiệu lực", Validity.NOT_YET),
        ("expired", Validity.EXPIRED),
        ("in_force", Validity.IN_FORCE),
        ("not_yet_in_force", Validity.NOT_YET),
    ],
)
def test_status_labels(tmp_path: Path, status: str, expected: Validity) -> None:
    write(tmp_path / "a.pdf.meta.yaml", f'status: "{status}"\n')
    assert read_sidecar(tmp_path / "a.pdf") == {"status": expected}


def test_empty_sidecar_is_empty(tmp_path: Path) -> None:
    write(tmp_path / "a.docx.meta.yaml", "# chưa có thông tin\n")
    assert read_sidecar(tmp_path / "a.docx") == {}


@pytest.mark.parametrize(
    ("yaml_text", "field", "hint"),
    [
        (
            'issued: "31/02/2024"\n',
            "issued",
            "ngày không hợp lệ '31/02/2024' — dùng dạng YYYY-MM-DD hoặc DD/MM/YYYY",
        ),
        ("effective: 2024-13-01\n", "effective", "ngày không hợp lệ '2024-13-01'"),
        ("expires: 2024\n", "expires", "ngày không hợp lệ '2024'"),
        ("nguoi_ky: Nguyễn Văn A\n", "nguoi_ky", "không được hỗ trợ"),
        ("title: 123\n", "title", "cần một chuỗi"),
        ('status: "còn hiệu lực một nửa"\n', "status", "tình trạng không hợp lệ"),
        ("visibility: secret\n", "visibility", "public, unit, restricted"),
        ("language: fr\n", "language", "vi, en"),
        ('sample: "có"\n', "sample", "true hoặc false"),
        ("allowed_units: STTTT\n", "allowed_units", "danh sách"),
        ("relations: {type: thay thế}\n", "relations", "danh sách"),
        ("relations:\n  - {type: thay thế}\n", "relations[0].target", "số hiệu"),
        ('relations:\n  - {type: "dẫn chiếu", target: "1/2020/NĐ-CP"}\n', "relations[0].type", "thay thế"),
        ('relations:\n  - {kind: "thay thế", target: "x"}\n', "relations[0]", "type"),
        ("id: NQ 57\n", "id", "chữ thường không dấu"),
    ],
)
def test_sidecar_errors_name_file_and_field(tmp_path: Path, yaml_text: str, field: str, hint: str) -> None:
    sidecar = write(tmp_path / "qd-12.pdf.meta.yaml", yaml_text)
    with pytest.raises(MetadataError) as err:
        read_sidecar(tmp_path / "qd-12.pdf")
    message = str(err.value)
    assert message.startswith(f"{sidecar}: ")
    assert f"trường '{field}'" in message
    assert hint in message
    assert err.value.path == str(sidecar)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path / "kh-01.pdf.meta.yaml", 'id: kh-01\ntitle: "Kế hoạch\nnumber: [01-KH/BCĐTW\n')
    with pytest.raises(MetadataError, match=r"kh-01\.pdf\.meta\.yaml: YAML không hợp lệ ở dòng \d+"):
        read_sidecar(tmp_path / "kh-01.pdf")


def test_sidecar_must_be_a_mapping(tmp_path: Path) -> None:
    write(tmp_path / "a.pdf.meta.yaml", "- id: a\n")
    with pytest.raises(MetadataError, match="mapping"):
        read_sidecar(tmp_path / "a.pdf")


# --- validate_id / parse_date ----------------------------------------------------------------------


@pytest.mark.parametrize("good", ["nq-57-tw", "a", "30.2020_nd-cp", "0" * 128])
def test_valid_ids(good: str) -> None:
    assert validate_id(good) == good


@pytest.mark.parametrize("bad", ["", "-a", "NQ-57", "nq 57", "nghị-quyết", "a/b", "a" * 129])
def test_invalid_ids(bad: str) -> None:
    with pytest.raises(MetadataError, match="trường 'id'"):
        validate_id(bad)


def test_parse_date_forms() -> None:
    assert (
        parse_date("2025-03-15")
        == parse_date("15/03/2025")
        == parse_date("15/3/2025")
        == dt.date(2025, 3, 15)
    )
    assert parse_date("31/02/2024") is None and parse_date("hôm nay") is None


# --- parse_header ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number", "doc_type"),
    [
        ("Số: 57-NQ/TW", "57-NQ/TW", "Nghị quyết"),
        ("Số 49-NQ/TU", "49-NQ/TU", "Nghị quyết"),
        ("Số: 30/2020/NĐ-CP", "30/2020/NĐ-CP", "Nghị định"),
        ("Số: 1637/QĐ-BNG", "1637/QĐ-BNG", "Quyết định"),
        ("Số: 123/UBND-VP", "123/UBND-VP", "Công văn"),
        ("Luật số: 58/2010/QH12", "58/2010/QH12", "Luật"),
        ("Số: 01-KH/BCĐTW", "01-KH/BCĐTW", "Kế hoạch"),
        ("Số: 03/NQ-CP", "03/NQ-CP", "Nghị quyết"),
        ("Số: 15/2023/TT-BTTTT", "15/2023/TT-BTTTT", "Thông tư"),
        ("Số: 204-QĐ/TW", "204-QĐ/TW", "Quyết định"),
        ("Số: 05/QyĐ-UBND", "05/QyĐ-UBND", "Quy định"),
        ("Số: 45/CTr-UBND", "45/CTr-UBND", "Chương trình"),
        ("Số: 7/TTr-SNV", "7/TTr-SNV", "Tờ trình"),
        ("Số: 12/GM-VP", "12/GM-VP", "Giấy mời"),
        ("SỐ: 88/BC-UBND", "88/BC-UBND", "Báo cáo"),
    ],
)
def test_number_formats_and_type_codes(line: str, number: str, doc_type: str) -> None:
    assert parse_header(line) == {"number": number, "type": doc_type}


def test_ubnd_decision_header() -> None:
    assert parse_header(UBND_DECISION) == {
        "number": "12/QĐ-UBND",
        "issued": dt.date(2025, 3, 15),
        "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn",
        "type": "Quyết định",
        "title": "Về việc ban hành Quy chế quản lý, vận hành Nền tảng công chức số tỉnh Lạng Sơn",
    }


def test_party_resolution_header() -> None:
    assert parse_header(PARTY_RESOLUTION) == {
        "number": "57-NQ/TW",
        "issued": dt.date(2024, 12, 22),
        "issuer": "Ban Chấp hành Trung ương",
        "type": "Nghị quyết",
        "title": "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    }


def test_two_column_official_letter_header() -> None:
    assert parse_header(OFFICIAL_LETTER) == {
        "number": "123/STTTT-VP",
        "issued": dt.date(2025, 4, 2),
        "issuer": "Sở Thông tin và Truyền thông",
        "type": "Công văn",
        "title": "V/v hướng dẫn sử dụng Nền tảng công chức số",
    }


def test_law_header() -> None:
    assert parse_header(LAW) == {
        "number": "58/2010/QH12",
        "issuer": "Quốc hội",
        "type": "Luật",
        "title": "Luật Viên chức",
    }


@pytest.mark.parametrize(
    ("issuer_line", "expected"),
    [
        ("BỘ CHÍNH TRỊ", "Bộ Chính trị"),
        ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "Bộ Thông tin và Truyền thông"),
        ("UBND HUYỆN CHI LĂNG", "UBND huyện Chi Lăng"),
        ("TỈNH UỶ LẠNG SƠN", "Tỉnh ủy Lạng Sơn"),  # new-style tone placement is normalised
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "Ủy ban nhân dân thành phố Lạng Sơn"),
    ],
)
def test_issuer_capitalisation(issuer_line: str, expected: str) -> None:
    header = f"{issuer_line}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert parse_header(header)["issuer"] == expected


def test_header_never_invents() -> None:
    text = (
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị;\n"
        "Hội nghị trao đổi về việc thực hiện Nghị quyết số 57-NQ/TW, Lạng Sơn, ngày 3 tháng 4 năm 2025 "
        "được ghi trong biên bản kèm theo.\n"
        "Phòng họp số 3 tầng 2."
    )
    assert parse_header(text) == {}
    assert parse_header("") == {}
    # upper-case lines with no Quốc hiệu after them are not taken as the issuer
    assert "issuer" not in parse_header("HƯỚNG DẪN NHANH\nMở ứng dụng và đăng nhập.")


def test_invalid_header_date_is_left_out() -> None:
    header = parse_header("BỘ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 31 tháng 02 năm 2023")
    assert header == {"issuer": "Bộ Nội vụ"}


# --- build_metadata --------------------------------------------------------------------------------


def test_build_from_header_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "QĐ 12 Nền tảng.pdf"
    meta = build_metadata(
        path, loaded_of(path, UBND_DECISION), content_hash="abc", default_unit="VP", default_visibility="unit"
    )
    assert meta.doc_id == "qd-12-nen-tang"
    assert (meta.number, meta.doc_type, meta.issued_date) == (
        "12/QĐ-UBND",
        "Quyết định",
        dt.date(2025, 3, 15),
    )
    assert meta.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert meta.title.startswith("Về việc ban hành Quy chế")
    assert (meta.unit, meta.visibility, meta.status) == ("VP", "unit", Validity.UNKNOWN)
    assert (meta.source_format, meta.content_hash, meta.language, meta.sample) == ("pdf", "abc", "vi", False)
    assert meta.superseded_by == () and meta.amended_by == () and meta.relations == ()


def test_sidecar_overrides_header_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "nq57.pdf"
    write(tmp_path / "nq57.pdf.meta.yaml", FULL_SIDECAR)
    meta = build_metadata(
        path,
        loaded_of(path, PARTY_RESOLUTION),
        content_hash="h",
        default_unit="VP",
        default_visibility="public",
    )
    assert meta.doc_id == "nq-57-tw"
    assert meta.issuer == "Bộ Chính trị"  # the sidecar wins over "Ban Chấp hành Trung ương"
    assert meta.title.startswith("Nghị quyết về đột phá")
    assert (meta.unit, meta.visibility, meta.allowed_units) == ("STTTT", "unit", ("SXD", "SYT"))
    assert meta.effective_date == dt.date(2024, 12, 22) and meta.expiry_date is None
    assert meta.status is Validity.IN_FORCE and meta.is_current()
    assert meta.relations[0] == Relation(RelationKind.REPLACES, "12/2019/QĐ-UBND")
    assert meta.sample is True


def test_partial_sidecar_keeps_header_values(tmp_path: Path) -> None:
    path = tmp_path / "qd-12.pdf"
    write(tmp_path / "qd-12.pdf.meta.yaml", 'status: "hết hiệu lực toàn bộ"\nunit: SXD\n')
    meta = build_metadata(path, loaded_of(path, UBND_DECISION), content_hash="h", default_unit="VP")
    assert (meta.doc_id, meta.number, meta.unit, meta.status) == (
        "qd-12",
        "12/QĐ-UBND",
        "SXD",
        Validity.EXPIRED,
    )
    assert not meta.is_current()


def test_title_falls_back_to_heading_then_first_line_then_file_name(tmp_path: Path) -> None:
    path = tmp_path / "huong-dan.md"
    blocks = (Block("Giới thiệu chung"), Block("Hướng dẫn tra cứu văn bản", kind="heading", level=1))
    loaded = LoadedDocument(path=path, source_format="md", blocks=blocks)
    assert build_metadata(path, loaded, content_hash="h").title == "Hướng dẫn tra cứu văn bản"
    plain = LoadedDocument(path=path, source_format="txt", blocks=(Block("Ghi chú họp giao ban"),))
    assert build_metadata(path, plain, content_hash="h").title == "Ghi chú họp giao ban"
    empty = LoadedDocument(path=path, source_format="txt", blocks=())
    assert build_metadata(path, empty, content_hash="h").title == "huong-dan.md"


def test_file_name_without_usable_id_asks_for_one(tmp_path: Path) -> None:
    path = tmp_path / "___.pdf"
    with pytest.raises(MetadataError, match=r"thêm 'id' vào tệp ___\.pdf\.meta\.yaml"):
        build_metadata(path, loaded_of(path, "Nội dung"), content_hash="h")


def test_sidecar_error_surfaces_from_build(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    write(tmp_path / "a.pdf.meta.yaml", 'issued: "31/02/2024"\n')
    with pytest.raises(MetadataError, match=r"a\.pdf\.meta\.yaml: trường 'issued'"):
        build_metadata(path, loaded_of(path, UBND_DECISION), content_hash="h")
