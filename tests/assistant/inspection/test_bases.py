"""Legal bases of a topic over the sample shelf (corpus/src ingested as text with the hashing embedder): which
documents, in which order, how the căn cứ block reads, superseded ones only on request, and never a basis from a
document the caller may not see. Expectations are written by hand from the sidecars in corpus/src."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from shelf_support import shelf_service

from assistant.inspection.bases import EmptyTopic, LegalBases, citation_phrase, cited_lines, legal_bases
from assistant.inspection.legal_rank import LegalRank, legal_date, legal_rank, sign_parts
from assistant.service import AssistantService
from assistant.types import ANONYMOUS, Chunk, DocumentMeta, Principal

INSPECTORATE = Principal(user_id="ttt", units=frozenset({"TTT"}))  # Thanh tra tỉnh
CONSTRUCTION = Principal(user_id="sxd", units=frozenset({"SXD"}))  # Sở Xây dựng: no Thanh tra unit-only texts


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    """Every document of corpus/src (the sidecars' build-only ``format`` key dropped, the .txt ingested)."""
    yield shelf_service(tmp_path_factory.mktemp("bases"))


def numbers(bases: LegalBases, *, superseded: bool | None = False) -> list[str]:
    return [b.number for b in bases.bases if superseded is None or b.superseded == superseded]


# -- on the shelf -------------------------------------------------------------------------------------------------


def test_bases_for_thanh_tra(shelf: AssistantService) -> None:
    bases = legal_bases(shelf, "thanh tra", principal=ANONYMOUS)
    found = numbers(bases)
    # The Thanh tra tỉnh's procedure (Quy định 115/QĐ-TTr) and its team's rules (Quy chế 116/QĐ-TTr): both in force.
    assert {"115/QĐ-TTr", "116/QĐ-TTr"} <= set(found)
    # Unit-only or restricted texts of the Inspectorate are not for an anonymous caller; nothing expired either.
    assert "07/HD-TTr" not in found and "148/KH-TTr" not in found
    assert all(not b.superseded and b.status == "in_force" for b in bases.bases)
    by_number = {b.number: b for b in bases.bases}
    assert {"Điều 1", "Điều 6"} <= {a.path for a in by_number["115/QĐ-TTr"].articles}  # scope; the decision to inspect
    assert by_number["116/QĐ-TTr"].rank == LegalRank.DEPARTMENT_DECISION
    # 115 and 116 share a rank and a date: the number orders them.
    assert found.index("115/QĐ-TTr") == found.index("116/QĐ-TTr") - 1


def test_bases_for_quan_ly_van_ban_are_those_in_force_on_the_date(shelf: AssistantService) -> None:
    today = legal_bases(shelf, "quản lý văn bản", principal=ANONYMOUS)
    assert today.bases[0].number == "35/2025/QĐ-UBND"  # the highest in rank of what bears on it
    assert "18/2021/QĐ-UBND" not in numbers(today, superseded=None)  # replaced from 01/9/2025
    assert {a.path for a in today.bases[0].articles} >= {"Điều 1"}
    then = legal_bases(shelf, "quản lý văn bản", principal=ANONYMOUS, as_of=dt.date(2023, 6, 1))
    assert then.as_of == dt.date(2023, 6, 1)
    assert "18/2021/QĐ-UBND" in numbers(then) and "35/2025/QĐ-UBND" not in numbers(then, superseded=None)
    assert not then.bases[0].superseded and all(not b.superseded for b in then.bases)
    assert all(b.issued_date is None or b.issued_date <= then.as_of for b in then.bases)
    # The topic's own words may set the date.
    framed = legal_bases(shelf, "Năm 2023, quản lý văn bản", principal=ANONYMOUS)
    assert framed.as_of == dt.date(2023, 1, 1) and "18/2021/QĐ-UBND" in numbers(framed)


def test_superseded_bases_only_on_request(shelf: AssistantService) -> None:
    plain = legal_bases(shelf, "quản lý văn bản", principal=ANONYMOUS)
    shown = legal_bases(shelf, "quản lý văn bản", principal=ANONYMOUS, include_superseded=True)
    old = [b for b in shown.bases if b.superseded]
    assert [b.number for b in old] == ["18/2021/QĐ-UBND"]
    assert old[0].superseded_by == ("35/2025/QĐ-UBND",) and old[0].status_label == "hết hiệu lực toàn bộ"
    assert shown.in_force == plain.bases and shown.block() == plain.block()  # never pasted into a draft
    # Same rank as its replacement, and older: it comes just before it.
    assert numbers(shown, superseded=None)[:2] == ["18/2021/QĐ-UBND", "35/2025/QĐ-UBND"]


def test_a_caller_never_gets_a_basis_from_a_document_they_may_not_see(shelf: AssistantService) -> None:
    member = legal_bases(shelf, "thanh tra", principal=INSPECTORATE)
    assert "07/HD-TTr" in numbers(member)  # the Inspectorate's unit-only guide on conclusions
    for outsider in (ANONYMOUS, CONSTRUCTION):
        seen = legal_bases(shelf, "thanh tra", principal=outsider, include_superseded=True)
        assert not {"07/HD-TTr", "148/KH-TTr"} & set(numbers(seen, superseded=None))
        assert "07/HD-TTr" not in seen.block() and "148/KH-TTr" not in json.dumps(seen.to_dict())
    # The restricted 2025 inspection plan (148/KH-TTr) is in force on 1/6/2025 for those it was written for,
    # expired today (shown struck through only on request).
    mid_2025 = legal_bases(shelf, "kế hoạch thanh tra", principal=INSPECTORATE, as_of=dt.date(2025, 6, 1))
    assert "148/KH-TTr" in numbers(mid_2025)
    later = legal_bases(shelf, "kế hoạch thanh tra", principal=INSPECTORATE, include_superseded=True)
    assert "148/KH-TTr" in numbers(later, superseded=True) and "148/KH-TTr" not in later.block()


def test_bases_in_legal_rank_and_the_bases_documents_cite(shelf: AssistantService) -> None:
    bases = legal_bases(shelf, "Bình dân học vụ số", principal=ANONYMOUS)
    found = numbers(bases)
    # The Ministry's decision 1637/QĐ-BNG cites 57-NQ/TW and 01-KH/BCĐTW: both on the shelf, so both are bases.
    assert {"1637/QĐ-BNG", "57-NQ/TW", "01-KH/BCĐTW", "95/KH-UBND"} <= set(found)
    by_number = {b.number: b for b in bases.bases}
    assert "1637/QĐ-BNG" in by_number["57-NQ/TW"].cited_by
    ranks = [b.rank for b in bases.bases]
    assert ranks == sorted(ranks)
    # Ministry, then central Party documents (older first), then the province's plan.
    assert found.index("1637/QĐ-BNG") < found.index("57-NQ/TW") < found.index("01-KH/BCĐTW") < found.index("95/KH-UBND")


def test_the_block_reads_as_a_cang_cu_block(shelf: AssistantService) -> None:
    bases = legal_bases(shelf, "quản lý văn bản", principal=ANONYMOUS)
    lines = bases.block().splitlines()
    assert len(lines) == len(bases.in_force) >= 2
    assert all(line.startswith("Căn cứ ") for line in lines)
    assert all(line.endswith(";") for line in lines[:-1]) and lines[-1].endswith(".")
    assert lines[0] == (
        "Căn cứ Quyết định số 35/2025/QĐ-UBND ngày 20 tháng 8 năm 2025 của Ủy ban nhân dân tỉnh Lạng Sơn ban hành "
        "Quy chế quản lý, vận hành và sử dụng Hệ thống quản lý văn bản và điều hành tỉnh Lạng Sơn;"
    )
    data = json.loads(json.dumps(bases.to_dict()))
    assert data["block"] == bases.block() and data["bases"][0]["issued_date"] == "2025-08-20"
    # A file's header citing texts not on the shelf: offered unverified, never in the block.
    chu_ky_so = legal_bases(shelf, "chữ ký số chuyên dùng công vụ", principal=ANONYMOUS)
    unverified = [u.text for u in chu_ky_so.unverified if u.cited_by == "12/HD-STTTT"]
    assert "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư" in unverified
    assert "30/2020/NĐ-CP" not in chu_ky_so.block()


def test_an_empty_topic_is_refused(shelf: AssistantService) -> None:
    with pytest.raises(EmptyTopic, match="topic"):
        legal_bases(shelf, "  ", principal=ANONYMOUS)


# -- rank and phrasing, by hand -----------------------------------------------------------------------------------


def _meta(number: str, doc_type: str, issuer: str, title: str = "", issued: dt.date | None = None) -> DocumentMeta:
    return DocumentMeta("x", title or doc_type, number=number, doc_type=doc_type, issuer=issuer, issued_date=issued)


@pytest.mark.parametrize(
    ("number", "doc_type", "issuer", "rank"),
    [
        ("", "Hiến pháp", "Quốc hội", LegalRank.CONSTITUTION),
        ("60/2014/QH13", "Luật", "Quốc hội", LegalRank.LAW),
        ("27/2023/QH15", "Nghị quyết", "Quốc hội", LegalRank.NATIONAL_ASSEMBLY),
        ("30/2020/NĐ-CP", "Nghị định", "Chính phủ", LegalRank.GOVERNMENT),
        ("03/NQ-CP", "Nghị quyết", "Chính phủ", LegalRank.GOVERNMENT),
        ("06/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", LegalRank.PRIME_MINISTER),
        ("85/2019/TT-BTC", "Thông tư", "Bộ Tài chính", LegalRank.CIRCULAR),
        ("1637/QĐ-BNG", "Quyết định", "Bộ Ngoại giao", LegalRank.MINISTRY),
        ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", LegalRank.PARTY_CENTRAL),
        ("01-KH/BCĐTW", "Kế hoạch", "Ban Chỉ đạo Trung ương", LegalRank.PARTY_CENTRAL),
        ("49-NQ/TU", "Nghị quyết", "Ban Thường vụ Tỉnh ủy Lạng Sơn", LegalRank.PARTY_PROVINCIAL),
        ("12/2023/NQ-HĐND", "Nghị quyết", "Hội đồng nhân dân tỉnh Lạng Sơn", LegalRank.PROVINCIAL_COUNCIL),
        ("35/2025/QĐ-UBND", "Quy chế", "Ủy ban nhân dân tỉnh Lạng Sơn", LegalRank.PROVINCIAL_DECISION),
        ("05/CT-UBND", "Chỉ thị", "Ủy ban nhân dân tỉnh Lạng Sơn", LegalRank.PROVINCIAL_DIRECTIVE),
        ("298/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", LegalRank.PROVINCIAL_PLAN),
        ("115/QĐ-TTr", "Quy định", "Thanh tra tỉnh Lạng Sơn", LegalRank.DEPARTMENT_DECISION),
        ("12/HD-STTTT", "Hướng dẫn", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn", LegalRank.DEPARTMENT_PLAN),
        ("3120/QĐ-UBND", "Quy chế", "Ủy ban nhân dân huyện Chi Lăng", LegalRank.LOCAL),
        ("1520/SKHCN-CĐS", "Công văn", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", LegalRank.OFFICIAL_LETTER),
        ("", "Tài liệu tham khảo", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", LegalRank.OTHER),
    ],
)
def test_legal_rank(number: str, doc_type: str, issuer: str, rank: LegalRank) -> None:
    assert legal_rank(_meta(number, doc_type, issuer)) is rank


def test_sign_parts_and_dates() -> None:
    assert sign_parts("30/2020/NĐ-CP") == ("ND", "CP")
    assert sign_parts("57-NQ/TW") == ("NQ", "TW")
    assert sign_parts("123/UBND-VP") == ("", "UBND")
    assert legal_date(dt.date(2020, 3, 5)) == "ngày 05 tháng 3 năm 2020"
    assert legal_date(dt.date(2025, 2, 14)) == "ngày 14 tháng 02 năm 2025"


def test_citation_phrases() -> None:
    decree = _meta("30/2020/NĐ-CP", "Nghị định", "Chính phủ", "Nghị định về công tác văn thư", dt.date(2020, 3, 5))
    assert (
        citation_phrase(decree)
        == "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư"
    )
    resolution = _meta(
        "49-NQ/TU", "Nghị quyết", "Ban Thường vụ Tỉnh ủy Lạng Sơn",
        "Nghị quyết của Ban Thường vụ Tỉnh ủy về chuyển đổi số tỉnh Lạng Sơn (bản tóm tắt mẫu)", dt.date(2021, 9, 28),
    )  # fmt: skip
    assert citation_phrase(resolution) == (
        "Nghị quyết số 49-NQ/TU ngày 28 tháng 9 năm 2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn "
        "về chuyển đổi số tỉnh Lạng Sơn"
    )
    fee = _meta(
        "12/2023/NQ-HĐND", "Nghị quyết", "Hội đồng nhân dân tỉnh Lạng Sơn", "Nghị quyết quy định mức thu lệ phí"
    )
    assert (
        citation_phrase(fee)
        == "Nghị quyết số 12/2023/NQ-HĐND của Hội đồng nhân dân tỉnh Lạng Sơn quy định mức thu lệ phí"
    )
    law = _meta("60/2014/QH13", "Luật", "Quốc hội", "Luật Hộ tịch", dt.date(2014, 11, 20))
    assert citation_phrase(law) == "Luật Hộ tịch số 60/2014/QH13 ngày 20 tháng 11 năm 2014"


def test_cited_lines_of_a_header() -> None:
    header = Chunk(
        "d:mo-dau", "d", 0,
        "QUYẾT ĐỊNH\nCăn cứ Luật Hộ tịch số 60/2014/QH13;\nCăn cứ chức năng, nhiệm vụ được giao;\n"
        "Căn cứ Luật Khiếu nại năm 2011, Luật Tố cáo năm 2018, Thanh tra tỉnh hướng dẫn như sau:",
        heading_path=("Phần mở đầu",),
    )  # fmt: skip
    article = Chunk("d:dieu-1", "d", 1, "Điều 1. Căn cứ Luật X;", article="1")
    assert cited_lines([header, article]) == [
        "Luật Hộ tịch số 60/2014/QH13",
        "Luật Khiếu nại năm 2011, Luật Tố cáo năm 2018",
    ]
