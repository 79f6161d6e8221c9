"""Formal-header parsing: số hiệu and type codes, issuer, date line and title."""

from __future__ import annotations

import datetime as dt

import pytest
from support import PARTY_RESOLUTION, UBND_DECISION

from ingest.header import parse_header

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
