import pytest
from support import make_passage

from assistant.answer.citations import (
    CitationError,
    Located,
    build_citation,
    check_markers,
    locate,
    parse_markers,
    renumber,
)

ARTICLE = """Điều 3. Người ký văn bản
1. Văn bản đi phải được ký số.
2. Người ký gồm:
a) Chủ tịch Ủy ban nhân dân tỉnh;
b) Phó Chủ tịch được phân công."""


def test_parse_markers_in_order_of_first_use() -> None:
    assert parse_markers("A [2]. B [1][2]. C [10].") == [2, 1, 10]


def test_markers_must_point_at_passages() -> None:
    assert check_markers("x [1] y [2]", 2) == [1, 2]
    with pytest.raises(CitationError, match=r"\[3\]"):
        check_markers("x [1] y [3]", 2)
    with pytest.raises(CitationError, match="không có dấu trích dẫn"):
        check_markers("no markers here", 2)


def test_renumber() -> None:
    assert renumber("a [3] b [1] c [3]", {3: 1, 1: 2}) == "a [1] b [2] c [1]"


def test_locate_finds_clause_and_point() -> None:
    assert locate(ARTICLE, "b) Phó Chủ tịch được phân công.") == Located(clause="2", point="b")
    assert locate(ARTICLE, "1. Văn bản đi phải được ký số.") == Located(clause="1", point="")


def test_citation_reads_diem_khoan_dieu_with_page_and_link() -> None:
    passage = make_passage("qd-30", ARTICLE, article="3", number="30/2025/QĐ-UBND", page=4)
    citation = build_citation(1, passage, "b) Phó Chủ tịch", Located(clause="2", point="b"))
    assert citation.path == "điểm b khoản 2 Điều 3"
    assert citation.page == 4 and citation.number == "30/2025/QĐ-UBND"
    assert citation.url == "/v1/documents/qd-30/source#page=4"


@pytest.mark.parametrize(
    ("heading_path", "label"),
    [
        (("IV. NƠI NỘP, THỜI HẠN VÀ LỆ PHÍ", "3. Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ thu theo Nghị quyết số"),
         "khoản 3 mục IV — Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ…"),
        (("II. ĐỐI TƯỢNG, PHẠM VI KIỂM TRA", "1. Số lượng: kiểm tra 14 công trình"), "khoản 1 mục II — Số lượng"),
        (("Phần I. QUY ĐỊNH CHUNG", "a) Đối tượng"), "điểm a phần I — Đối tượng"),
        (("Phần mở đầu",), ""),  # not numbered: the heading itself is shown
    ],
)  # fmt: skip
def test_outline_positions_are_cited_like_articles(heading_path: tuple[str, ...], label: str) -> None:
    from assistant.types import outline_label

    assert outline_label(heading_path) == label
