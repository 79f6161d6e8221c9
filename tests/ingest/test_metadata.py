"""Sidecar validation and the merge of sidecar and formal header into DocumentMeta."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import PARTY_RESOLUTION, UBND_DECISION

from assistant.errors import MetadataError
from assistant.types import Block, LoadedDocument, Relation, RelationKind, Validity
from ingest.metadata import build_metadata, parse_date, read_sidecar, validate_id

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
    assert parse_date("2025-03-15") == parse_date("15/03/2025") == parse_date("15/3/2025") == dt.date(2025, 3, 15)
    assert parse_date("31/02/2024") is None and parse_date("hôm nay") is None


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
