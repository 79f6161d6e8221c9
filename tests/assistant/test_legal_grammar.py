"""The shared grammar of legal text: markers, roman numerals, số hiệu, capitals, sentences; and the executable
table the loaders and the upload check share."""

from __future__ import annotations

import re

import pytest

from assistant.text.legal_grammar import (
    ARTICLE_START,
    CLAUSE,
    DOCUMENT_NUMBER,
    OUTLINE_ITEM,
    PARTY_ROMAN,
    POINT,
    POINT_LETTERS,
    ROMAN_START,
    capital_share,
    capitals,
    ends_sentence,
    int_to_roman,
    is_marker,
    is_upper_line,
    match_article,
    match_container,
    mentioned_numbers,
    number_key,
    number_parts,
    roman_to_int,
    split_sentences,
)
from ingest.loaders.sniff import describe_binary, executable_kind


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Điều 5. Hồ sơ đề nghị", ("5", "Hồ sơ đề nghị")),
        ("ĐIỀU 12: PHẠM VI", ("12", "PHẠM VI")),
        ("Điều 3a. Sửa đổi", ("3a", "Sửa đổi")),
        ("Điều 7", ("7", "")),
        ("Điều 5 Nghị định số 30/2020/NĐ-CP quy định", None),  # a citation wrapped onto a new line
        ("Điều 5. theo quy định", None),  # a title starts with a capital
        ("Theo Điều 5. Hồ sơ", None),  # only at the start of a line
    ],
)
def test_article_line(line: str, expected: tuple[str, str] | None) -> None:
    assert match_article(line) == expected


def test_clause_and_point_markers_include_d_with_stroke() -> None:
    assert [m.group(1) for m in map(CLAUSE.match, ("1. Hồ sơ", "12.", "1.000.000 đồng")) if m] == ["1", "12"]
    points = [m.group(1) for m in map(POINT.match, ("a) Đơn", "đ) Bản sao", "f) x", "A) x", "a)x")) if m]
    assert points == ["a", "đ", "f"]  # the parser keeps only the letters of POINT_LETTERS, in order
    assert POINT_LETTERS.index("đ") == POINT_LETTERS.index("d") + 1 and "f" not in POINT_LETTERS
    assert all(is_marker(line) for line in ("Chương II", "Điều 1. Phạm vi", "2. Khoản", "đ) Điểm"))
    assert not is_marker("theo quy định tại Điều 5")


def test_containers_and_layout_starts() -> None:
    assert match_container("Chương II. QUY ĐỊNH CỤ THỂ") == ("chapter", "II", "QUY ĐỊNH CỤ THỂ")
    assert match_container("PHẦN THỨ HAI") == ("part", "THỨ HAI", "")
    assert match_container("Mục 2") == ("section", "2", "")
    assert match_container("Chương II của Luật này") is None
    assert ARTICLE_START.match('"Điều 5. Sửa đổi') and ARTICLE_START.match("điều 5: x")
    assert not ARTICLE_START.match("Điều 5 Luật Đất đai")
    assert ROMAN_START.match("II. NHIỆM VỤ") and ROMAN_START.match("IV - Tổ chức") and not ROMAN_START.match("IV.")
    party = PARTY_ROMAN.match("III.")
    assert party is not None and party.group(1) == "III"


def test_outline_item_reads_roman_number_and_letter() -> None:
    groups = [m.groups() if (m := OUTLINE_ITEM.match(h)) else None for h in ("IV. NƠI NỘP", "3. Lệ phí", "b) Hồ sơ")]
    assert groups == [(None, "IV", "NƠI NỘP"), (None, "3", "Lệ phí"), (None, "b", "Hồ sơ")]
    section = OUTLINE_ITEM.match("Mục 2. Tổ chức")
    assert section is not None and section.groups() == ("Mục", "2", "Tổ chức")
    assert OUTLINE_ITEM.match("Phần mở đầu") is None


def test_roman_numerals() -> None:
    assert [roman_to_int(r) for r in ("I", "IV", "IX", "XIV", "XL", "XCIX", "MMXXV")] == [1, 4, 9, 14, 40, 99, 2025]
    assert [roman_to_int(r) for r in ("IIII", "VX", "IC", "", "xiv", "II.")] == [None] * 6
    assert [int_to_roman(n) for n in (0, 4, 14, 399, 400, 1994)] == ["", "IV", "XIV", "CCCXCIX", "CD", "MCMXCIV"]
    assert all(roman_to_int(int_to_roman(n)) == n for n in range(1, 1000))


@pytest.mark.parametrize(
    ("number", "parts", "key"),
    [
        ("30/2020/NĐ-CP", ("2020", "/", "NĐ"), "302020ndcp"),
        ("49-NQ/TU", ("", "-", "NQ"), "49nqtu"),
        ("07/HD-TTr", ("", "/", "HD"), "07hdttr"),
        ("123/UBND-VP", ("", "/", "UBND"), "123ubndvp"),
        ("12/QĐ-UBND", ("", "/", "QĐ"), "12qdubnd"),
        ("15/2023/QH15", ("2023", "/", "QH15"), "152023qh15"),
    ],
)
def test_document_numbers(number: str, parts: tuple[str, str, str], key: str) -> None:
    assert re.fullmatch(DOCUMENT_NUMBER, number)
    assert number_parts(number) == parts
    assert number_key(number) == key
    assert mentioned_numbers(f"theo văn bản số {number.lower()} thì") == [key]


def test_numbers_that_are_not_document_numbers() -> None:
    assert number_parts("14/9") is None and not re.fullmatch(DOCUMENT_NUMBER, "24/7")
    assert mentioned_numbers("họp ngày 14/9, phòng 3, tỷ lệ 15%, 1.000.000 đồng") == []
    assert mentioned_numbers("30 / 2020 / nd-cp và 30/2020/NĐ-CP") == ["302020ndcp"]


def test_capitals() -> None:
    assert is_upper_line("QUY ĐỊNH CHUNG") and is_upper_line("ỦY BAN NHÂN DÂN TỈNH 2025")
    assert not is_upper_line("Quy định chung") and not is_upper_line("A") and not is_upper_line("12/2020")
    assert capitals("UB", min_letters=4) is None and capitals("Ub") is False and capitals("ĐIỀU", min_letters=4)
    assert capital_share("ABCd") == 0.75 and capital_share("123") == 0.0


def test_sentences_split_losslessly() -> None:
    text = "Hồ sơ gồm 01 bộ. Thời hạn 15 ngày; Phí 75.000 đồng. [1] 2. Nộp tại Bộ phận một cửa! Xong"
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert [p.strip() for p in pieces] == [
        "Hồ sơ gồm 01 bộ.",
        "Thời hạn 15 ngày;",
        "Phí 75.000 đồng. [1] 2.",  # "1.000" and a "[n]" marker stay inside their sentence
        "Nộp tại Bộ phận một cửa!",
        "Xong",
    ]
    assert split_sentences("") == []


def test_a_line_ends_a_sentence_unless_it_ends_with_an_abbreviation() -> None:
    assert ends_sentence("được quy định như sau:") and ends_sentence('theo mẫu "Đơn đề nghị."')
    assert not ends_sentence("trụ sở tại TP.") and not ends_sentence("Ủy ban nhân dân tỉnh")


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "ELF"),
        (b"MZ\x90\x00" + b"\x00" * 64, "Windows"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "Mach-O"),
        (b"\xfe\xed\xfa\xce\x00", "Mach-O"),
        (b"\xca\xfe\xba\xbe\x00", "Mach-O"),
        (b"#!/bin/sh\ncurl http://x | sh\n", "script"),
        (b"\x00asm\x01\x00\x00\x00", "WebAssembly"),
    ],
)
def test_executables_are_recognised(data: bytes, word: str) -> None:
    kind = executable_kind(data)
    assert kind is not None and word in kind
    assert describe_binary(data) == f"tệp {kind}"


def test_documents_are_not_executables() -> None:
    for data in (b"%PDF-1.7\n", b"PK\x03\x04", "Điều 1. Phạm vi".encode(), b"# Ti\xc3\xaau \xc4\x91\xe1\xbb\x81", b""):
        assert executable_kind(data) is None
