"""chunk_document: article/clause chunks with ids, heading paths, page spans; Party items; plain sections."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.types import Block, Chunk, DocumentMeta, LoadedDocument
from ingest.chunker import chunk_document, chunk_hash

DECREE = """CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 15/2021/NĐ-CP
Hà Nội, ngày 03 tháng 3 năm 2021
NGHỊ ĐỊNH
Quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng
Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;
Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014;
Theo đề nghị của Bộ trưởng Bộ Xây dựng;
Chính phủ ban hành Nghị định quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng.
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết một số nội dung thi hành Luật Xây dựng về cấp giấy phép xây dựng.
Điều 2. Đối tượng áp dụng
Nghị định này áp dụng đối với cơ quan, tổ chức, cá nhân trong nước và nước ngoài có liên quan.
Chương II
CẤP GIẤY PHÉP XÂY DỰNG
Điều 3. Hồ sơ đề nghị cấp giấy phép xây dựng
Hồ sơ được lập thành 02 bộ, nộp trực tiếp hoặc qua Cổng dịch vụ công trực tuyến của tỉnh.
1. Đối với công trình không theo tuyến, hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 01 \
Phụ lục II ban hành kèm theo Nghị định này và bản sao giấy tờ chứng minh quyền sử dụng đất.
2. Đối với công trình theo tuyến trong đô thị, hồ sơ gồm:
a) Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 01 Phụ lục II ban hành kèm theo Nghị định này, có chữ ký \
của chủ đầu tư;
b) Văn bản chấp thuận về sự cần thiết xây dựng và quy mô công trình của cơ quan nhà nước có thẩm quyền \
đối với công trình theo tuyến;
\f
c) Bản sao quyết định phê duyệt dự án, văn bản thông báo kết quả thẩm định báo cáo nghiên cứu khả thi \
của cơ quan chuyên môn về xây dựng;
d) Bản vẽ thiết kế xây dựng gồm bản vẽ mặt bằng tổng thể, bản vẽ mặt bằng, mặt cắt, mặt đứng chủ yếu \
của công trình;
đ) Bản kê khai năng lực, kinh nghiệm của tổ chức, cá nhân thiết kế, kèm theo bản sao chứng chỉ hành nghề \
của chủ nhiệm, chủ trì thiết kế.
3. Đối với công trình tôn giáo, hồ sơ gồm các tài liệu quy định tại khoản 1 Điều này và văn bản chấp thuận \
của cơ quan quản lý nhà nước về tôn giáo theo quy định tại Điều 5 Nghị định này.
Điều 4. Thời hạn cấp giấy phép xây dựng
Thời hạn cấp giấy phép xây dựng là 20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ; lệ phí là
1.000.000 đồng đối với công trình cấp III.
Nơi nhận:
- Ban Bí thư Trung ương Đảng;
- Thủ tướng, các Phó Thủ tướng Chính phủ;
- Lưu: VT, CN.
TM. CHÍNH PHỦ
THỦ TƯỚNG
Phạm Minh Chính"""

DECISION_WITH_REGULATION = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
QUYẾT ĐỊNH
Về việc ban hành Quy chế quản lý, vận hành Nền tảng công chức số
Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý, vận hành Nền tảng công chức số tỉnh Lạng Sơn.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Hồ Tiến Thiệu
QUY CHẾ
Quản lý, vận hành Nền tảng công chức số tỉnh Lạng Sơn
(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 15/3/2025 của Ủy ban nhân dân tỉnh Lạng Sơn)
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc quản lý, vận hành và khai thác Nền tảng công chức số.
Điều 2. Đối tượng áp dụng
Quy chế này áp dụng đối với cán bộ, công chức, viên chức các cơ quan nhà nước tỉnh Lạng Sơn.
PHỤ LỤC I
DANH SÁCH ĐƠN VỊ THÍ ĐIỂM
1. Sở Thông tin và Truyền thông; 2. Sở Xây dựng; 3. Sở Y tế; 4. UBND huyện Chi Lăng."""

PARTY = """BAN CHẤP HÀNH ĐẢNG BỘ TỈNH LẠNG SƠN
Số 49-NQ/TU
ĐẢNG CỘNG SẢN VIỆT NAM
NGHỊ QUYẾT
về chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030
I- TÌNH HÌNH VÀ NGUYÊN NHÂN
Những năm qua, công tác chuyển đổi số của tỉnh đạt được một số kết quả bước đầu.
II- QUAN ĐIỂM, MỤC TIÊU
Nghị quyết xác định quan điểm và mục tiêu như sau.
1. Quan điểm
Chuyển đổi số là nhiệm vụ trọng tâm, xuyên suốt của cả hệ thống chính trị.
2. Mục tiêu
a) Đến năm 2025, 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng;
b) Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt trên 80%.
III- NHIỆM VỤ, GIẢI PHÁP
1. Nâng cao nhận thức về chuyển đổi số
- Tuyên truyền trên các phương tiện thông tin đại chúng;
- Tổ chức tập huấn cho cán bộ, công chức.
2. Phát triển hạ tầng số
Mở rộng mạng băng rộng đến các thôn, bản."""

GUIDE_MD = [
    Block("Hướng dẫn sử dụng Nền tảng công chức số", kind="heading", level=1),
    Block("Tài liệu dành cho cán bộ, công chức các sở, ngành."),
    Block("Đăng nhập", kind="heading", level=2),
    Block("Mở trình duyệt, truy cập cổng thông tin và đăng nhập bằng tài khoản VNeID mức 2."),
    Block("Quên mật khẩu", kind="heading", level=3),
    Block("Chọn Quên mật khẩu và làm theo hướng dẫn gửi qua thư điện tử."),
    Block("Mục lục", kind="heading", level=2),
    Block("Tra cứu văn bản", kind="heading", level=2),
    *[Block(f"Bước {i}. Gõ câu hỏi, chọn lĩnh vực, xem trích dẫn và số trang.") for i in range(1, 21)],
]


def blocks_of(text: str) -> tuple[Block, ...]:
    """One block per line; a form feed starts the next page (pages from 1)."""
    return tuple(
        Block(line, page=page)
        for page, part in enumerate(text.split("\f"), start=1)
        for line in part.strip("\n").split("\n")
        if line.strip()
    )


def chunk(doc_id: str, blocks: tuple[Block, ...], **kwargs: int) -> list[Chunk]:
    loaded = LoadedDocument(path=Path(f"{doc_id}.pdf"), source_format="pdf", blocks=blocks)
    return chunk_document(DocumentMeta(doc_id=doc_id, title=doc_id), loaded, **kwargs)


@pytest.fixture
def decree() -> dict[str, Chunk]:
    return {c.chunk_id: c for c in chunk("nd-15-2021", blocks_of(DECREE), max_chars=600, overlap_chars=50)}


def test_decree_chunk_ids_in_order(decree: dict[str, Chunk]) -> None:
    assert list(decree) == [
        "nd-15-2021:mo-dau",
        "nd-15-2021:dieu-1",
        "nd-15-2021:dieu-2",
        "nd-15-2021:dieu-3-khoan-1",
        "nd-15-2021:dieu-3-khoan-2",
        "nd-15-2021:dieu-3-khoan-2-p2",
        "nd-15-2021:dieu-3-khoan-3",
        "nd-15-2021:dieu-4",
    ]
    assert [c.ordinal for c in decree.values()] == list(range(8))


def test_short_article_is_one_chunk(decree: dict[str, Chunk]) -> None:
    art = decree["nd-15-2021:dieu-4"]
    assert art.text.startswith("Điều 4. Thời hạn cấp giấy phép xây dựng\nThời hạn cấp")
    assert art.text.endswith("1.000.000 đồng đối với công trình cấp III.")  # not a clause marker
    assert (art.article, art.clause, art.point) == ("4", "", "")
    assert art.heading_path == (
        "Chương II. CẤP GIẤY PHÉP XÂY DỰNG",
        "Điều 4. Thời hạn cấp giấy phép xây dựng",
    )
    assert "Nơi nhận" not in art.text and "Phạm Minh Chính" not in art.text


def test_long_article_splits_into_clauses(decree: dict[str, Chunk]) -> None:
    heading = "Điều 3. Hồ sơ đề nghị cấp giấy phép xây dựng"
    first = decree["nd-15-2021:dieu-3-khoan-1"]
    assert first.text.startswith(heading + "\nHồ sơ được lập thành 02 bộ")  # the lead-in goes with khoản 1
    assert (first.article, first.clause, first.heading) == ("3", "1", heading)
    assert first.heading_path == ("Chương II. CẤP GIẤY PHÉP XÂY DỰNG", heading, "Khoản 1")
    third = decree["nd-15-2021:dieu-3-khoan-3"]
    assert third.text.startswith(heading + "\n3. Đối với công trình tôn giáo")
    assert "theo quy định tại Điều 5 Nghị định này." in third.text
    assert third.path_label == "khoản 3 Điều 3"


def test_long_clause_splits_at_points_with_pages(decree: dict[str, Chunk]) -> None:
    heading = "Điều 3. Hồ sơ đề nghị cấp giấy phép xây dựng"
    part1, part2 = decree["nd-15-2021:dieu-3-khoan-2"], decree["nd-15-2021:dieu-3-khoan-2-p2"]
    assert part1.text.startswith(heading + "\n2. Đối với công trình theo tuyến trong đô thị, hồ sơ gồm:\na) Đơn")
    assert part2.text.startswith(heading + "\n")
    assert part2.text.split("\n")[1][:2] in {"c)", "d)", "đ)"}  # cut at a point boundary
    assert part2.text.endswith("chủ trì thiết kế.")
    assert part1.clause == part2.clause == "2"
    assert (part1.page_start, part1.page_end) == (1, part1.page_end)
    assert (part2.page_start, part2.page_end) == (2, 2)
    assert decree["nd-15-2021:dieu-3-khoan-3"].page_start == 2


def test_page_spans_and_hashes(decree: dict[str, Chunk]) -> None:
    assert decree["nd-15-2021:mo-dau"].page_start == 1
    for c in decree.values():
        assert c.content_hash == hashlib.sha256(c.text.encode("utf-8")).hexdigest() == chunk_hash(c.text)
        assert len(c.text) <= 600
        assert c.page_start is not None and c.page_end is not None and c.page_start <= c.page_end


def test_preamble_chunk_and_closing_dropped(decree: dict[str, Chunk]) -> None:
    preamble = decree["nd-15-2021:mo-dau"]
    assert preamble.text.startswith("CHÍNH PHỦ\n")
    assert "Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014;" in preamble.text
    assert not any("Lưu: VT" in c.text for c in decree.values())


def test_no_body_text_is_lost(decree: dict[str, Chunk]) -> None:
    body = DECREE.split("Nơi nhận:")[0]
    texts = "\n".join(c.text for c in decree.values())
    paths = {h for c in decree.values() for h in c.heading_path}
    missing = [line for line in body.replace("\f", "").split("\n") if line.strip() and line not in texts]
    assert missing == [
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Chương II",
        "CẤP GIẤY PHÉP XÂY DỰNG",
    ]  # in heading paths
    assert {"Chương I. QUY ĐỊNH CHUNG", "Chương II. CẤP GIẤY PHÉP XÂY DỰNG"} <= paths


def test_whole_decree_fits_when_max_is_large() -> None:
    ids = [c.chunk_id for c in chunk("nd", blocks_of(DECREE))]
    assert ids == ["nd:mo-dau", "nd:dieu-1", "nd:dieu-2", "nd:dieu-3", "nd:dieu-4"]


def test_repeated_article_numbers_get_unique_ids() -> None:
    chunks = chunk("qd-12", blocks_of(DECREE_WITH_REGULATION_TEXT := DECISION_WITH_REGULATION))
    ids = [c.chunk_id for c in chunks]
    assert ids == [
        "qd-12:mo-dau",
        "qd-12:dieu-1",
        "qd-12:dieu-2",
        "qd-12:dieu-3",
        "qd-12:cuoi",  # recipients + signature + the regulation's title: not only a signature
        "qd-12:dieu-1-2",
        "qd-12:dieu-2-2",
        "qd-12:phu-luc",
    ]
    assert len(set(ids)) == len(ids)
    reg_art1 = chunks[5]
    assert reg_art1.heading_path == ("Chương I. QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh")
    assert reg_art1.article == "1"
    appendix = chunks[-1]
    assert appendix.heading == "PHỤ LỤC I" and "3. Sở Y tế" in appendix.text
    assert "Hồ Tiến Thiệu" in chunks[4].text and DECREE_WITH_REGULATION_TEXT


def test_long_article_without_clauses_splits_into_parts() -> None:
    sentences = [
        f"Câu thứ {i} của điều khoản chuyển tiếp về hồ sơ đang giải quyết trước ngày có hiệu lực." for i in range(12)
    ]
    blocks = (
        Block("Điều 9. Điều khoản chuyển tiếp", page=7),
        *(Block(s, page=7 + i // 6) for i, s in enumerate(sentences)),
    )
    chunks = chunk("tt-1", blocks, max_chars=400, overlap_chars=0)
    assert [c.chunk_id for c in chunks] == ["tt-1:dieu-9", "tt-1:dieu-9-p2", "tt-1:dieu-9-p3"]
    assert all(c.text.startswith("Điều 9. Điều khoản chuyển tiếp\n") and len(c.text) <= 400 for c in chunks)
    assert (chunks[0].page_start, chunks[-1].page_end) == (7, 8)


def test_oversized_point_is_cut_by_the_text_splitter() -> None:
    long_point = "a) " + " ".join(f"giấy tờ số {i} theo mẫu quy định," for i in range(60))
    blocks = (Block("Điều 2. Hồ sơ"), Block("1. Hồ sơ gồm:"), Block(long_point), Block("2. Nộp một bộ."))
    chunks = chunk("qd-1", blocks, max_chars=300, overlap_chars=40)
    ids = [c.chunk_id for c in chunks]
    assert ids[0] == "qd-1:dieu-2-khoan-1" and ids[-1] == "qd-1:dieu-2-khoan-2"
    assert ids[1:-1] == [f"qd-1:dieu-2-khoan-1-p{i}" for i in range(2, len(ids))]
    assert all(len(c.text) <= 300 for c in chunks)
    # the clause's lead line is cut together with the start of its long point, not left alone
    assert chunks[0].text.startswith("Điều 2. Hồ sơ\n1. Hồ sơ gồm:\na) giấy tờ số 0") and chunks[0].point == ""
    assert {c.point for c in chunks[1:-1]} == {"a"}
    assert chunks[1].heading_path == ("Điều 2. Hồ sơ", "Khoản 1", "Điểm a")


def test_party_items() -> None:
    chunks = {c.chunk_id: c for c in chunk("nq-49-tu", blocks_of(PARTY))}
    assert list(chunks) == [
        "nq-49-tu:mo-dau",
        "nq-49-tu:muc-i",
        "nq-49-tu:muc-ii-1",
        "nq-49-tu:muc-ii-2",
        "nq-49-tu:muc-iii-1",
        "nq-49-tu:muc-iii-2",
    ]
    goal = chunks["nq-49-tu:muc-ii-2"]
    assert goal.text.startswith("II- QUAN ĐIỂM, MỤC TIÊU\n2. Mục tiêu\na) Đến năm 2025")
    assert goal.heading_path == ("II- QUAN ĐIỂM, MỤC TIÊU", "2. Mục tiêu")
    assert goal.article == "" and goal.path_label == "khoản 2 mục II — Mục tiêu"
    view = chunks["nq-49-tu:muc-ii-1"]
    assert view.text.startswith("II- QUAN ĐIỂM, MỤC TIÊU\nNghị quyết xác định quan điểm")  # section lead-in
    assert chunks["nq-49-tu:muc-iii-1"].text.endswith("- Tổ chức tập huấn cho cán bộ, công chức.")
    assert chunks["nq-49-tu:muc-i"].text == (
        "I- TÌNH HÌNH VÀ NGUYÊN NHÂN\nNhững năm qua, công tác chuyển đổi số của tỉnh đạt được một số kết quả bước đầu."
    )


def test_plain_markdown_sections() -> None:
    chunks = chunk("hd-nen-tang", tuple(GUIDE_MD), max_chars=400, overlap_chars=100)
    ids = [c.chunk_id for c in chunks]
    assert ids == [f"hd-nen-tang:phan-{i}" for i in range(1, len(ids) + 1)]
    root = "Hướng dẫn sử dụng Nền tảng công chức số"
    assert chunks[0].heading_path == (root,) and chunks[0].text.startswith(root + "\nTài liệu")
    assert chunks[1].heading_path == (root, "Đăng nhập")
    assert chunks[2].heading_path == (root, "Đăng nhập", "Quên mật khẩu")
    lookup = [c for c in chunks if c.heading == "Tra cứu văn bản"]
    assert len(lookup) >= 3 and len(chunks) == 3 + len(lookup)  # the empty "Mục lục" section makes no chunk
    assert all(c.heading_path == (root, "Tra cứu văn bản") for c in lookup)
    assert all(len(c.text) <= 400 and c.text.startswith("Tra cứu văn bản\n") for c in lookup)
    assert all(c.page_start is None and c.page_end is None for c in chunks)
    # consecutive pieces of one section overlap
    first_tail = lookup[0].text.split("\n")[-1]
    assert first_tail in lookup[1].text


def test_plain_text_without_headings() -> None:
    blocks = (
        Block("Thông báo lịch họp giao ban tuần.", page=1),
        Block("Thời gian: 8 giờ ngày 15/3/2025.", page=1),
    )
    chunks = chunk("tb-1", blocks)
    assert [(c.chunk_id, c.text, c.heading_path, c.page_start) for c in chunks] == [
        ("tb-1:phan-1", "Thông báo lịch họp giao ban tuần.\nThời gian: 8 giờ ngày 15/3/2025.", (), 1)
    ]


def test_short_preamble_is_dropped_and_empty_document_has_no_chunks() -> None:
    chunks = chunk("qd-2", (Block("QUYẾT ĐỊNH:"), Block("Điều 1. Hiệu lực"), Block("Có hiệu lực từ ngày ký.")))
    assert [c.chunk_id for c in chunks] == ["qd-2:dieu-1"]
    assert chunk("empty", ()) == []


@pytest.mark.parametrize(("max_chars", "overlap"), [(50, 0), (1000, -1), (1000, 600)])
def test_bad_sizes_are_refused(max_chars: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        chunk("x", (Block("text"),), max_chars=max_chars, overlap_chars=overlap)
