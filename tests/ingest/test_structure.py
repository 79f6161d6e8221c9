"""LegalStructureParser on law-, decree-, Party- and guidance-shaped Vietnamese texts built as blocks."""

from __future__ import annotations

import pytest

from assistant.types import Block
from ingest.structure import LegalStructureParser, ParsedDocument, StructureNode
from ingest.structure_lines import int_to_roman, match_article, roman_to_int

LAW = """QUỐC HỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Luật số: 58/2010/QH12
LUẬT
VIÊN CHỨC
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992 đã được sửa đổi, bổ sung một số điều;
Quốc hội ban hành Luật viên chức.
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về viên chức; quyền, nghĩa vụ của viên chức, theo quy định tại Điều 5 của Luật này.
Điều 2. Viên chức
Viên chức là công dân Việt Nam được tuyển dụng theo vị trí việc làm, làm việc tại đơn vị sự nghiệp
công lập theo chế độ hợp đồng làm việc, hưởng lương từ quỹ lương của đơn vị sự nghiệp công lập.
\f
Chương II
QUYỀN, NGHĨA VỤ CỦA VIÊN CHỨC
Mục 1. QUYỀN CỦA VIÊN CHỨC
Điều 11: Quyền của viên chức về hoạt động nghề nghiệp
1. Được pháp luật bảo vệ trong hoạt động nghề nghiệp.
2. Được hưởng phụ cấp nghề nghiệp, mức tối đa là
1.000.000 đồng mỗi tháng theo quy định tại
Điều 12 Nghị định số 30/2020/NĐ-CP.
3. Được bảo đảm các điều kiện sau đây:
a) Trang bị, thiết bị làm việc;
b) Thông tin liên quan đến công việc;
c) Đào tạo, bồi dưỡng chuyên môn;
đ) không phải điểm vì sai thứ tự;
d) Thời gian làm việc hợp lý;
aa) dòng lạ không phải điểm;
đ) Được khen thưởng theo quy định;
e) Các điều kiện khác.
Điều 12
Quyền của viên chức về tiền lương
Viên chức được trả lương tương xứng với vị trí việc làm.
\f
Mục 2. NGHĨA VỤ CỦA VIÊN CHỨC
Điều 16. Nghĩa vụ chung của viên chức
Chấp hành đường lối, chủ trương của Đảng và pháp luật của Nhà nước, tham khảo
Điều 40 Luật Cán bộ, công chức và các văn bản hướng dẫn.
Nơi nhận:
- Các bộ, cơ quan ngang bộ;
- Lưu: VT.
CHỦ TỊCH QUỐC HỘI
Nguyễn Sinh Hùng"""

PARTY = """BAN CHẤP HÀNH ĐẢNG BỘ TỈNH LẠNG SƠN
*
Số 49-NQ/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Lạng Sơn, ngày 10 tháng 5 năm 2021
NGHỊ QUYẾT
về chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030
I- TÌNH HÌNH VÀ NGUYÊN NHÂN
Những năm qua, công tác chuyển đổi số của tỉnh đạt được một số kết quả bước đầu.
II- QUAN ĐIỂM, MỤC TIÊU
1. Quan điểm
Chuyển đổi số là nhiệm vụ trọng tâm, xuyên suốt của cả hệ thống chính trị.
2. Mục tiêu
a) Đến năm 2025, 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng;
b) Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt trên 80%.
III. NHIỆM VỤ, GIẢI PHÁP
1. Nâng cao nhận thức về chuyển đổi số
- Tuyên truyền trên các phương tiện thông tin đại chúng;
- Tổ chức tập huấn cho cán bộ, công chức.
2. Phát triển hạ tầng số
1.1. Mở rộng mạng băng rộng đến các thôn, bản."""

GUIDE = [
    Block("Hướng dẫn sử dụng Nền tảng công chức số", kind="heading", level=1),
    Block("Tài liệu dành cho cán bộ, công chức các sở, ngành."),
    Block("Đăng nhập", kind="heading", level=2),
    Block("Mở trình duyệt, truy cập cổng thông tin và đăng nhập bằng tài khoản VNeID."),
    Block("Quên mật khẩu", kind="heading", level=3),
    Block("Chọn Quên mật khẩu và làm theo hướng dẫn gửi qua thư điện tử."),
    Block("Tra cứu văn bản", kind="heading", level=2),
    Block("Gõ câu hỏi bằng tiếng Việt, có dấu hoặc không dấu."),
]


def blocks_of(text: str) -> list[Block]:
    """One block per line; a form feed starts the next page (pages from 1)."""
    return [
        Block(line, page=page)
        for page, chunk in enumerate(text.split("\f"), start=1)
        for line in chunk.strip("\n").split("\n")
        if line.strip()
    ]


def find(parsed: ParsedDocument, kind: str, label: str) -> StructureNode:
    return next(node for _, node in parsed.walk() if node.kind == kind and node.label == label)


@pytest.fixture
def law() -> ParsedDocument:
    return LegalStructureParser().parse(blocks_of(LAW))


def test_law_mode_and_articles(law: ParsedDocument) -> None:
    assert law.mode == "legal"
    assert [a.label for a in law.articles()] == ["1", "2", "11", "12", "16"]
    assert [a.heading for a in law.articles()][:3] == [
        "Điều 1. Phạm vi điều chỉnh",
        "Điều 2. Viên chức",
        "Điều 11: Quyền của viên chức về hoạt động nghề nghiệp",
    ]


def test_article_title_on_next_line_is_merged(law: ParsedDocument) -> None:
    art = find(law, "article", "12")
    assert art.heading == "Điều 12. Quyền của viên chức về tiền lương"
    assert art.head_count == 2
    assert [b.text for b in art.body_blocks] == ["Viên chức được trả lương tương xứng với vị trí việc làm."]


def test_chapters_and_sections_nest(law: ParsedDocument) -> None:
    paths = {
        node.label: tuple(a.heading for a in ancestors) for ancestors, node in law.walk() if node.kind == "article"
    }
    assert paths["1"] == ("Chương I. NHỮNG QUY ĐỊNH CHUNG",)
    assert paths["11"] == ("Chương II. QUYỀN, NGHĨA VỤ CỦA VIÊN CHỨC", "Mục 1. QUYỀN CỦA VIÊN CHỨC")
    assert paths["16"] == ("Chương II. QUYỀN, NGHĨA VỤ CỦA VIÊN CHỨC", "Mục 2. NGHĨA VỤ CỦA VIÊN CHỨC")


def test_mid_sentence_article_mentions_are_text(law: ParsedDocument) -> None:
    art1 = find(law, "article", "1")
    assert "theo quy định tại Điều 5 của Luật này" in art1.text()
    # A wrapped citation that happens to start a line ("Điều 12 Nghị định số …") stays in its clause.
    clause2 = find(law, "article", "11").children[1]
    assert clause2.kind == "clause" and clause2.label == "2"
    assert [b.text for b in clause2.blocks][1:] == [
        "1.000.000 đồng mỗi tháng theo quy định tại",
        "Điều 12 Nghị định số 30/2020/NĐ-CP.",
    ]
    # "Điều 40 Luật …" after an unfinished line is out of sequence and not a heading either.
    assert "Điều 40 Luật Cán bộ, công chức" in find(law, "article", "16").text()


def test_clauses_and_points_in_sequence(law: ParsedDocument) -> None:
    art = find(law, "article", "11")
    assert [c.label for c in art.children] == ["1", "2", "3"]
    points = art.children[2].children
    assert [p.label for p in points] == ["a", "b", "c", "d", "đ", "e"]
    # an out-of-order "đ)" and an "aa)" line are kept as text of the point before them
    assert [b.text for b in points[2].blocks] == [
        "c) Đào tạo, bồi dưỡng chuyên môn;",
        "đ) không phải điểm vì sai thứ tự;",
    ]
    assert points[3].blocks[-1].text == "aa) dòng lạ không phải điểm;"


def test_preamble_and_closing(law: ParsedDocument) -> None:
    preamble, *_, closing = law.root.children
    assert preamble.kind == "preamble"
    assert preamble.blocks[0].text == "QUỐC HỘI"
    assert preamble.blocks[-1].text == "Quốc hội ban hành Luật viên chức."
    assert closing.kind == "closing"
    assert closing.blocks[0].text == "Nơi nhận:"
    assert "Nguyễn Sinh Hùng" not in find(law, "article", "16").text()


def test_pages_are_kept_on_lines(law: ParsedDocument) -> None:
    assert {b.page for b in find(law, "article", "2").all_blocks()} == {1}
    assert {b.page for b in find(law, "article", "16").all_blocks()} == {3}


def test_multi_line_blocks_are_split_into_lines() -> None:
    parsed = LegalStructureParser().parse(
        [Block("Điều 1. Phạm vi\n1. Khoản một.\n2. Khoản hai.", page=4), Block("Điều 2. Hiệu lực", page=5)]
    )
    first = parsed.articles()[0]
    assert [c.label for c in first.children] == ["1", "2"]
    assert first.children[1].blocks[0].page == 4


def test_table_blocks_are_never_read_as_markers() -> None:
    table = Block("1. Sở Xây dựng | 2. Sở Y tế\nĐiều 9. Không phải điều", kind="table")
    parsed = LegalStructureParser().parse([Block("Điều 1. Danh sách đơn vị"), table])
    art = parsed.articles()[0]
    assert parsed.mode == "legal" and len(parsed.articles()) == 1
    assert art.children == [] and art.blocks[-1] is table


def test_party_numbering() -> None:
    parsed = LegalStructureParser().parse(blocks_of(PARTY))
    assert parsed.mode == "party"
    romans = [n for n in parsed.root.children if n.kind == "roman"]
    assert [(r.label, r.heading) for r in romans] == [
        ("I", "I- TÌNH HÌNH VÀ NGUYÊN NHÂN"),
        ("II", "II- QUAN ĐIỂM, MỤC TIÊU"),
        ("III", "III. NHIỆM VỤ, GIẢI PHÁP"),
    ]
    assert [i.label for i in romans[1].children] == ["1", "2"]
    assert [p.label for p in romans[1].children[1].children] == ["a", "b"]
    task1, task2 = romans[2].children
    assert task1.heading == "1. Nâng cao nhận thức về chuyển đổi số"
    assert task1.blocks[-1].text == "- Tổ chức tập huấn cho cán bộ, công chức."  # bullets stay in their item
    assert task2.blocks[-1].text == "1.1. Mở rộng mạng băng rộng đến các thôn, bản."  # 1.1. is not an item
    assert parsed.root.children[0].kind == "preamble"


def test_plain_headings_nest_by_level() -> None:
    parsed = LegalStructureParser().parse(GUIDE)
    assert parsed.mode == "plain"
    chains = [tuple(a.heading for a in anc) + (n.heading,) for anc, n in parsed.walk() if n.kind == "heading"]
    assert chains == [
        ("Hướng dẫn sử dụng Nền tảng công chức số",),
        ("Hướng dẫn sử dụng Nền tảng công chức số", "Đăng nhập"),
        ("Hướng dẫn sử dụng Nền tảng công chức số", "Đăng nhập", "Quên mật khẩu"),
        ("Hướng dẫn sử dụng Nền tảng công chức số", "Tra cứu văn bản"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Điều 5. Hồ sơ đề nghị cấp phép", ("5", "Hồ sơ đề nghị cấp phép")),
        ("Điều 5: Hồ sơ", ("5", "Hồ sơ")),
        ("Điều 5 Hồ sơ đề nghị", ("5", "Hồ sơ đề nghị")),
        ("Điều 5.", ("5", "")),
        ("ĐIỀU 7. HIỆU LỰC THI HÀNH", ("7", "HIỆU LỰC THI HÀNH")),
        ("Điều 5 của Luật này quy định", None),
        ("Điều 5, Điều 6 và Điều 7", None),
        ("Điều 5 Nghị định số 30/2020/NĐ-CP", None),
        ("theo quy định tại Điều 5. Hồ sơ", None),
        ("Điều khoản chuyển tiếp", None),
    ],
)
def test_match_article(text: str, expected: tuple[str, str] | None) -> None:
    assert match_article(text) == expected


def test_detect_mode_plain_without_markers() -> None:
    blocks = [Block("Thông báo lịch họp giao ban tuần."), Block("Thời gian: 8 giờ ngày 15/3/2025.")]
    assert LegalStructureParser().detect_mode(blocks) == "plain"


def test_roman_numerals() -> None:
    assert [roman_to_int(r) for r in ("I", "IV", "IX", "XIV", "XL")] == [1, 4, 9, 14, 40]
    assert roman_to_int("IIII") is None and roman_to_int("VX") is None and roman_to_int("") is None
    assert all(roman_to_int(int_to_roman(n)) == n for n in range(1, 100))
