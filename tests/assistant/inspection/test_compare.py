"""Comparing a document with the one replacing or amending it: word diff, article and clause alignment (renumbered
and moved articles included), amending instructions, the two quy chế and the amended ATTT regulation of the shelf
ingested with the hashing embedder, and visibility."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from support import ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.errors import DocumentNotFound
from assistant.inspection.compare import (
    ArticleChange,
    NoRelatedDocument,
    SameDocument,
    Unit,
    compare_documents,
    compare_units,
    compare_with_related,
    document_units,
    related_pair,
    word_diff,
)
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.text.amendments import Target, parse_amendments, parse_article, parse_refs
from assistant.types import ANONYMOUS, Chunk, Principal, RelationKind

SRC = Path(__file__).resolve().parents[3] / "corpus" / "src"
SHELF_DOCS = ("qc-qlvb-2021", "qc-qlvb-2025", "qd-attt-2023", "qd-sua-doi-attt-2025")
STTTT = Principal(user_id="u1", units=frozenset({"STTTT"}))

INTERNAL_AMENDMENT = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
Số: 99/2025/QĐ-UBND
QUYẾT ĐỊNH
Sửa đổi Quy định bảo đảm an toàn thông tin mạng (nội bộ)
Điều 1. Sửa đổi Điều 10
Sửa đổi Điều 10 như sau: "Các hệ thống thông tin dùng chung của tỉnh được giám sát liên tục."
Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký.
"""


def _chunks(doc_id: str, text: str) -> list[Chunk]:
    """One chunk per "Điều N. …" article of ``text``, as the chunker makes them for short articles."""
    chunks: list[Chunk] = []
    for block in re.split(r"\n(?=Điều \d+[a-z]?\.)", text.strip()):
        heading = block.split("\n")[0]
        number = re.match(r"Điều (\d+[a-z]?)\.", heading)
        assert number
        chunks.append(
            Chunk(f"{doc_id}:dieu-{number.group(1)}", doc_id, len(chunks), block, ("Chương I", heading), heading,
                  number.group(1))
        )  # fmt: skip
    return chunks


def _units(text: str) -> list[Unit]:
    return document_units(_chunks("d", text))


def _marked(change: ArticleChange) -> str:
    """The diff as text: [-deleted-] and {+inserted+}."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in change.segments)


# --- word diff ---


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("không quá 07 ngày làm việc kể từ", "không quá 05 ngày làm việc kể từ"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ("", "Văn bản mới."),
        ("Văn bản cũ.", ""),
        ("a\nb c", "a\nb d\ne"),
    ],
)
def test_word_diff_spells_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    assert all(op in ("equal", "insert", "delete") and t for op, t in segments)


def test_word_diff_marks_the_changed_words_only() -> None:
    segments = word_diff("không quá 07 ngày làm việc", "không quá 05 ngày làm việc")
    assert segments == (("equal", "không quá "), ("delete", "07"), ("insert", "05"), ("equal", " ngày làm việc"))
    # Two changed words separated by a space read as one replacement.
    assert ("delete", "Thông tin") in word_diff("Sở Thông tin và", "Sở Khoa học và")


# --- units and alignment ---

OLD = """Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc quản lý văn bản đi, văn bản đến trên hệ thống của tỉnh.
Điều 2. Thời hạn xử lý
1. Văn thư chuyển văn bản đến cho lãnh đạo trong ngày làm việc.
2. Văn bản khẩn phải được xử lý trong vòng 4 giờ làm việc kể từ khi nhận.
Điều 3. Ký số văn bản đi
Văn bản đi phải được ký số bằng chữ ký số chuyên dùng của cơ quan trước khi phát hành.
Điều 4. Báo cáo giấy
Hằng tháng các cơ quan gửi báo cáo bằng văn bản giấy về Văn phòng Ủy ban nhân dân tỉnh."""

NEW = """Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc quản lý văn bản đi, văn bản đến trên hệ thống của tỉnh.
Điều 2. Kết nối liên thông
Hệ thống kết nối với Trục liên thông văn bản quốc gia để gửi, nhận văn bản điện tử.
Điều 3. Thời hạn xử lý
1. Văn thư chuyển văn bản đến cho lãnh đạo trong ngày làm việc.
2. Văn bản hỏa tốc phải được xử lý ngay khi nhận.
3. Văn bản khẩn phải được xử lý trong vòng 2 giờ làm việc kể từ khi nhận.
Điều 4. Ký số văn bản đi
Văn bản đi phải được ký số bằng chữ ký số chuyên dùng của cơ quan trước khi phát hành."""


def test_articles_align_when_renumbered_and_moved() -> None:
    changes = compare_units(_units(OLD), _units(NEW))
    summary = [(c.kind, c.old_label, c.new_label) for c in changes]
    assert summary == [
        ("unchanged", "Điều 1", "Điều 1"),
        ("added", "", "Điều 2"),
        ("changed", "Điều 2", "Điều 3"),
        ("unchanged", "Điều 3", "Điều 4"),
        ("removed", "Điều 4", ""),
    ]
    assert changes[2].renumbered and changes[3].renumbered and not changes[0].renumbered
    assert changes[1].new_title == "Kết nối liên thông" and changes[4].old_title == "Báo cáo giấy"


def test_changed_article_is_diffed_clause_by_clause() -> None:
    changed = compare_units(_units(OLD), _units(NEW))[2]
    clauses = [(c.kind, c.old_label, c.new_label) for c in changed.clauses]
    assert clauses == [
        ("unchanged", "khoản 1", "khoản 1"),
        ("added", "", "khoản 2"),
        ("changed", "khoản 2", "khoản 3"),
    ]
    renumbered = changed.clauses[2]
    assert ("delete", "4") in renumbered.segments and ("insert", "2") in renumbered.segments
    assert "[-4-]{+2+} giờ" in _marked(changed)


def test_units_rejoin_split_chunks_without_their_overlap() -> None:
    heading = "Điều 5. Hồ sơ đề nghị"
    clause_2 = "2. Hồ sơ gồm đơn đề nghị theo mẫu, bản sao giấy tờ tùy thân và bản vẽ thiết kế của công trình xây dựng."
    cut = clause_2.index("bản sao")
    chunks = [
        Chunk("d:mo-dau", "d", 0, "ỦY BAN NHÂN DÂN\nSố: 1/QĐ-UBND", ("Phần mở đầu",)),
        Chunk("d:dieu-5-khoan-1", "d", 1, f"{heading}\n1. Nộp một bộ hồ sơ.", (heading, "Khoản 1"), heading, "5", "1"),
        Chunk("d:dieu-5-khoan-2", "d", 2, f"{heading}\n{clause_2[: cut + 30]}", (heading, "Khoản 2"), heading, "5",
              "2"),
        Chunk("d:dieu-5-khoan-2-p2", "d", 3, f"{heading}\n{clause_2[cut:]}", (heading, "Khoản 2"), heading, "5", "2"),
    ]  # fmt: skip
    (unit,) = document_units(chunks)
    assert (unit.label, unit.number, unit.title) == ("Điều 5", "5", "Hồ sơ đề nghị")
    assert unit.body == f"1. Nộp một bộ hồ sơ.\n{clause_2}"


def test_plan_sections_align_by_number_and_text() -> None:
    def plan(items: list[tuple[str, str]]) -> list[Chunk]:
        section = "II. NHIỆM VỤ"
        return [
            Chunk(f"p:muc-ii-{i}", "p", i, f"{section}\n{head}\n{body}", (section, head), head)
            for i, (head, body) in enumerate(items, 1)
        ]

    old = plan([("1. Tuyên truyền", "Tổ chức tuyên truyền trên Cổng thông tin điện tử tỉnh."),
                ("2. Tập huấn", "Tập huấn kỹ năng số cho 100% cán bộ cấp xã trong quý III.")])  # fmt: skip
    new = plan([("1. Tập huấn", "Tập huấn kỹ năng số cho 100% cán bộ cấp xã trong quý II.")])
    changes = compare_units(document_units(old), document_units(new))
    assert [(c.kind, c.old_label, c.new_label) for c in changes] == [
        ("removed", "khoản 1 mục II — Tuyên truyền", ""),
        ("changed", "khoản 2 mục II — Tập huấn", "khoản 1 mục II — Tập huấn"),
    ]
    assert "[-III-]{+II+}" in _marked(changes[1])


# --- amending instructions ---


def test_refs_resolve_lists_and_containers() -> None:
    labels = [t.label for t in parse_refs("điểm a khoản 1, khoản 2 Điều 5, khoản 3 Điều 6 và Điều 13 và Điều 14")]
    assert labels == ["điểm a khoản 1 Điều 5", "khoản 2 Điều 5", "khoản 3 Điều 6", "Điều 13", "Điều 14"]
    assert [t.label for t in parse_refs("các khoản 2, 3 và 4 Điều 7")] == ["khoản 2 Điều 7", "khoản 3 Điều 7",
                                                                             "khoản 4 Điều 7"]  # fmt: skip
    assert parse_refs('cụm từ "khoản 9 Điều 9" tại Điều 1') == [Target("1")]  # quoted words are not references


def test_typical_phrasings_are_parsed() -> None:
    body = "\n".join([
        '1. Sửa đổi, bổ sung khoản 3 Điều 5 như sau:',
        '"3. Hồ sơ nộp trực tuyến',
        'qua Cổng Dịch vụ công."',
        '2. Bổ sung điểm d vào sau điểm c khoản 2 Điều 7: "d) Chủ tịch UBND cấp xã."',
        '3. Bãi bỏ khoản 4 Điều 9.',
        '4. Khoản 2 Điều 6 được sửa đổi như sau: "2. Thời hạn 05 ngày làm việc."',
        '5. Điều 8 được sửa đổi, bổ sung như sau:',
        'Điều 8. Lưu trữ',
        '1. Lưu trữ điện tử.',
        '6. Thay thế cụm từ "huyện" bằng cụm từ "xã" tại khoản 1 Điều 2; bãi bỏ Điều 12.',
        '7. Bổ sung Điều 9a vào sau Điều 9 như sau: “Điều 9a. Kết nối\nKết nối Trục liên thông.”',
        '8. Sửa đổi một số nội dung cho phù hợp.',
    ])  # fmt: skip
    parsed = parse_article(body, "Điều 1")
    got = [(i.action, [t.label for t in i.targets], i.new_text) for i in parsed.instructions]
    assert got == [
        ("amend", ["khoản 3 Điều 5"], "3. Hồ sơ nộp trực tuyến\nqua Cổng Dịch vụ công."),
        ("add", ["điểm d khoản 2 Điều 7"], "d) Chủ tịch UBND cấp xã."),
        ("repeal", ["khoản 4 Điều 9"], ""),
        ("amend", ["khoản 2 Điều 6"], "2. Thời hạn 05 ngày làm việc."),
        ("amend", ["Điều 8"], "Điều 8. Lưu trữ\n1. Lưu trữ điện tử."),
        ("replace_phrase", ["khoản 1 Điều 2"], ""),
        ("repeal", ["Điều 12"], ""),
        ("add", ["Điều 9a"], "Điều 9a. Kết nối\nKết nối Trục liên thông."),
    ]
    instructions = parsed.instructions
    assert instructions[1].after == Target("7", "2", "c") and instructions[7].after == Target("9")
    assert (instructions[5].old_phrase, instructions[5].new_phrase) == ("huyện", "xã")
    assert instructions[0].text == "Sửa đổi, bổ sung khoản 3 Điều 5 như sau"
    assert instructions[6].text == "Bãi bỏ Điều 12" and instructions[3].source == "khoản 4 Điều 1"
    assert parsed.unparsed == ("Sửa đổi một số nội dung cho phù hợp.",)


def test_heading_alone_is_read_when_an_article_has_no_body() -> None:
    parsed = parse_amendments([("Điều 2", "Bãi bỏ Điều 9 của Quy chế", "")])
    assert [(i.action, i.targets, i.source) for i in parsed.instructions] == [("repeal", (Target("9"),), "Điều 2")]


# --- the shelf ---


@pytest.fixture(scope="module")
def shelf_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    """The two quy chế, the ATTT regulation and its amending decision copied from corpus/src (their sidecars
    without ``format:``, a key of corpus/build_shelf.py that ingest refuses), plus a unit-only amending decision."""
    root = tmp_path_factory.mktemp("compare")
    shelf = root / "shelf"
    shelf.mkdir()
    for doc in SHELF_DOCS:
        shutil.copy(SRC / f"{doc}.txt", shelf / f"{doc}.txt")
        meta = (SRC / f"{doc}.meta.yaml").read_text(encoding="utf-8")
        assert "\nformat:" in f"\n{meta}"
        sidecar = "".join(line for line in meta.splitlines(keepends=True) if not line.startswith("format:"))
        (shelf / f"{doc}.txt.meta.yaml").write_text(sidecar, encoding="utf-8")
    write_doc(
        shelf, "qd-noi-bo.txt", INTERNAL_AMENDMENT,
        'id: qd-noi-bo\nnumber: "99/2025/QĐ-UBND"\ntype: "Quyết định"\nissued: 2025-01-02\nunit: STTTT\n'
        'visibility: unit\nrelations:\n  - {type: "sửa đổi, bổ sung", target: "22/2023/QĐ-UBND"}\n',
    )  # fmt: skip
    write_doc(shelf, "kh-doc-lap.txt", "KẾ HOẠCH\nĐiều 1. Mục đích\nNâng cao kỹ năng số.\n", "id: kh-doc-lap\n")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=root / "data",
        admin_password=SecretStr("test-admin-password"),
        embedder="hashing",
    )
    embedder = HashingEmbedder(256)
    report = ingest(settings, embedder, shelf)
    assert not report.failed, report.failed
    service = AssistantService(settings, embedder=embedder)
    service.load()
    yield service


def _by_label(changes: tuple[ArticleChange, ...], label: str) -> ArticleChange:
    return next(c for c in changes if (c.new_label or c.old_label) == label)


def test_quy_che_comparison(shelf_service: AssistantService) -> None:
    comparison = compare_with_related(shelf_service, "qc-qlvb-2021", principal=ANONYMOUS)
    assert (comparison.old_id, comparison.new_id) == ("qc-qlvb-2021", "qc-qlvb-2025")
    assert (comparison.old_number, comparison.new_number) == ("18/2021/QĐ-UBND", "35/2025/QĐ-UBND")
    assert comparison.relation == RelationKind.REPLACES and comparison.mode == "articles"
    deadline = _by_label(comparison.changes, "Điều 7")
    assert deadline.kind == "changed" and deadline.old_label == "Điều 7"
    assert "không quá [-07-]{+05+} ngày làm việc" in _marked(deadline)
    clause_3 = next(c for c in deadline.clauses if c.new_label == "khoản 3")
    assert (
        clause_3.kind == "changed" and ("delete", "07") in clause_3.segments and ("insert", "05") in clause_3.segments
    )
    assert [c.new_label for c in deadline.clauses if c.kind == "added"] == ["khoản 4"]
    assert _by_label(comparison.changes, "Điều 3").kind == "unchanged"
    removed = [(c.old_label, c.old_title) for c in comparison.changes if c.kind == "removed"]
    added = [(c.new_label, c.new_title) for c in comparison.changes if c.kind == "added"]
    assert removed == [("Điều 15", "Tổ chức thực hiện")]
    assert added == [("Điều 15", "Điều khoản chuyển tiếp"), ("Điều 16", "Hiệu lực thi hành")]
    assert comparison.count("changed") == 13 and comparison.count("unchanged") == 1
    # From the newer side, and with the ids in the wrong order, the same pair is compared.
    assert compare_with_related(shelf_service, "qc-qlvb-2025", principal=ANONYMOUS) == comparison
    assert compare_documents(shelf_service, "qc-qlvb-2025", "qc-qlvb-2021", principal=ANONYMOUS) == comparison


def test_renumbered_article_of_the_quy_che_still_aligns(shelf_service: AssistantService) -> None:
    """A new Điều 2 inserted into the 2025 quy chế renumbers every later article; Điều 7 (now 8) still pairs."""
    old = document_units(shelf_service.document("qc-qlvb-2021", principal=ANONYMOUS)[1])
    new = document_units(shelf_service.document("qc-qlvb-2025", principal=ANONYMOUS)[1])
    inserted = Unit("Điều 2", "2", "Nguyên tắc chung", "Điều 2. Nguyên tắc chung", "Bảo đảm an toàn, bảo mật.")
    shifted = [new[0], inserted] + [
        Unit(f"Điều {int(u.number) + 1}", str(int(u.number) + 1), u.title, u.heading, u.body) for u in new[1:]
    ]
    changes = compare_units(old, shifted)
    deadline = next(c for c in changes if c.old_label == "Điều 7")
    assert (deadline.kind, deadline.new_label, deadline.renumbered) == ("changed", "Điều 8", True)
    assert "[-07-]{+05+}" in _marked(deadline)
    assert _by_label(changes, "Điều 4").old_label == "Điều 3"  # unchanged, renumbered
    assert [c.new_label for c in changes if c.kind == "added"] == ["Điều 2", "Điều 16", "Điều 17"]


def test_amending_decision_is_read_as_instructions(shelf_service: AssistantService) -> None:
    comparison = compare_with_related(shelf_service, "qd-sua-doi-attt-2025", principal=ANONYMOUS)
    assert (comparison.old_id, comparison.new_id, comparison.mode) == ("qd-attt-2023", "qd-sua-doi-attt-2025",
                                                                       "amendment")  # fmt: skip
    assert comparison.relation == RelationKind.AMENDS and comparison.unparsed == ()
    summary = [(c.kind, c.old_label, c.new_label, c.source) for c in comparison.changes]
    assert summary == [
        ("changed", "khoản 1 Điều 6", "khoản 1 Điều 6", "khoản 1 Điều 1"),
        ("added", "", "khoản 4 Điều 6", "khoản 2 Điều 1"),
        ("changed", "khoản 2 Điều 11", "khoản 2 Điều 11", "Điều 2"),
        ("changed", "khoản 1 Điều 12", "khoản 1 Điều 12", "khoản 1 Điều 3"),
        ("changed", "Điều 13", "Điều 13", "khoản 2 Điều 3"),
        ("changed", "Điều 14", "Điều 14", "khoản 2 Điều 3"),
        ("changed", "khoản 1 Điều 2", "khoản 1 Điều 2", "khoản 3 Điều 3"),
        ("removed", "khoản 2 Điều 16", "", "khoản 3 Điều 3"),
    ]
    password = comparison.changes[0]
    assert password.old_text.startswith("Mật khẩu truy cập") and "tối thiểu 08 ký tự" in password.old_text
    assert "tối thiểu [-08-]{+12+} ký tự" in _marked(password) and "ít nhất [-90-]{+60+} ngày" in _marked(password)
    assert password.instruction == "Sửa đổi khoản 1 Điều 6 như sau"
    assert comparison.changes[1].new_text.startswith("Bắt buộc xác thực hai yếu tố")
    assert "[-24-]{+12+} giờ" in _marked(comparison.changes[2])
    assert "Sở Khoa học và Công nghệ kiểm tra" in comparison.changes[4].new_text
    assert comparison.changes[6].new_text == "Các sở, ban, ngành thuộc UBND tỉnh; UBND các xã, phường, thị trấn."
    assert comparison.changes[7].old_text.startswith("UBND các huyện, thành phố hướng dẫn")
    # The amended regulation picks its (public) amending decision; the unit-only one stays out of sight.
    assert compare_with_related(shelf_service, "qd-attt-2023", principal=ANONYMOUS) == comparison


def test_documents_the_caller_may_not_see_are_reported_missing(shelf_service: AssistantService) -> None:
    with pytest.raises(DocumentNotFound):
        compare_documents(shelf_service, "qd-attt-2023", "qd-noi-bo", principal=ANONYMOUS)
    with pytest.raises(DocumentNotFound):
        compare_documents(shelf_service, "qd-attt-2023", "khong-co", principal=ANONYMOUS)
    with pytest.raises(DocumentNotFound):
        compare_with_related(shelf_service, "qd-noi-bo", principal=ANONYMOUS)
    internal = compare_documents(shelf_service, "qd-noi-bo", "qd-attt-2023", principal=STTTT)
    assert (internal.old_id, internal.new_id, internal.mode) == ("qd-attt-2023", "qd-noi-bo", "amendment")
    assert [(c.kind, c.old_label) for c in internal.changes] == [("changed", "Điều 10")]
    assert related_pair(shelf_service, "qd-noi-bo", principal=STTTT) == ("qd-attt-2023", "qd-noi-bo")


def test_a_pair_needs_two_related_documents(shelf_service: AssistantService) -> None:
    with pytest.raises(SameDocument):
        compare_documents(shelf_service, "qc-qlvb-2021", "qc-qlvb-2021", principal=ANONYMOUS)
    alone = shelf_service.document("qc-qlvb-2021", principal=ANONYMOUS)[0]
    assert alone.superseded_by == ("35/2025/QĐ-UBND",)
    unrelated = compare_documents(shelf_service, "qc-qlvb-2021", "qd-attt-2023", principal=ANONYMOUS)
    assert unrelated.relation is None and unrelated.mode == "articles"
    with pytest.raises(NoRelatedDocument, match="không thay thế hay sửa đổi"):
        compare_with_related(shelf_service, "kh-doc-lap", principal=ANONYMOUS)
    # An amending decision the caller may not see is no related document either.
    with pytest.raises(NoRelatedDocument):
        compare_with_related(shelf_service, "kh-doc-lap", principal=STTTT)
