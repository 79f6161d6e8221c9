"""The leak suite: a document a caller may not see never surfaces through any use case; filters hold as well."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from support import INTERNAL, ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.errors import DocumentNotFound
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import ANONYMOUS, Principal, SearchFilters

HIDDEN = "kh-77-stttt"
ADVERSARIAL = [
    "Ứng cứu sự cố an toàn thông tin năm 2025",  # its exact title
    "77/KH-STTTT",  # its số hiệu
    "mật danh SAO-BANG-09",
    "phòng máy chủ tầng 3",
    "diễn tập ứng cứu sự cố 14 tháng 9",
]
OUTSIDERS = {"anonymous": ANONYMOUS, "other unit": Principal(units=frozenset({"SYT"}))}
INSIDERS = {"member": Principal(units=frozenset({"STTTT"})), "admin": Principal(roles=frozenset({"admin"}))}
URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"

RESTRICTED = """THANH TRA TỈNH
Số: 05/KL-TTT
KẾT LUẬN THANH TRA
Kết luận thanh tra công tác quản lý ngân sách năm 2024
Điều 1. Kết luận
Phát hiện sai phạm tại gói thầu mã GT-KIWI-55 với tổng giá trị 3 tỷ đồng.
"""


def hidden_chunk_count(service: AssistantService, doc_id: str = HIDDEN) -> int:
    return len(service.holder.get().chunks.rows_of(doc_id))


def visible_chunk_count(service: AssistantService, principal: Principal) -> int:
    snapshot = service.holder.get()
    return sum(len(snapshot.chunks.rows_of(d.doc_id)) for d in snapshot.visible_documents(principal))


# -- a unit-only document is invisible to outsiders ---------------------------------------------------


@pytest.mark.parametrize("question", ADVERSARIAL)
@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_search_never_returns_hidden_chunks(service: AssistantService, who: str, question: str) -> None:
    principal = OUTSIDERS[who]
    result = service.search(question, principal=principal, top_k=50)
    assert all(p.document.doc_id != HIDDEN for p in result.passages)
    assert all(p.chunk.doc_id != HIDDEN for p in result.passages)
    # Everything the caller may see is ranked, and nothing more: no slot is taken by a hidden chunk.
    assert len(result.passages) == visible_chunk_count(service, principal)
    assert len(result.passages) == len(service.holder.get().chunks) - hidden_chunk_count(service)


@pytest.mark.parametrize("question", ADVERSARIAL)
@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_ask_never_cites_or_quotes_the_hidden_document(service: AssistantService, who: str, question: str) -> None:
    answer = service.ask(question, principal=OUTSIDERS[who]).answer
    assert all(c.doc_id != HIDDEN for c in answer.citations)
    assert all(p.document.doc_id != HIDDEN for p in answer.passages)
    for leaked in ("SAO-BANG", "77/KH-STTTT", "máy chủ tầng 3", "14 tháng 9", "Ứng cứu sự cố"):
        assert leaked not in answer.text


@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_documents_and_lookups_hide_it_like_a_missing_id(service: AssistantService, who: str) -> None:
    principal = OUTSIDERS[who]
    assert [d.doc_id for d in service.documents(principal=principal)] == ["qd-12-2024", "qd-30-2025"]
    assert service.documents(principal=principal, filters=SearchFilters(doc_types=("Kế hoạch",))) == []
    assert service.documents(principal=principal, filters=SearchFilters(doc_ids=(HIDDEN,))) == []

    for lookup in (service.document, service.source_file):
        with pytest.raises(DocumentNotFound) as hidden:
            lookup(HIDDEN, principal=principal)
        with pytest.raises(DocumentNotFound) as missing:
            lookup("khong-co-van-ban", principal=principal)
        assert type(hidden.value) is type(missing.value)
        assert hidden.value.doc_id == HIDDEN
        assert str(hidden.value) == str(missing.value).replace("khong-co-van-ban", HIDDEN)


@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_filters_naming_the_hidden_document_return_nothing(service: AssistantService, who: str) -> None:
    principal = OUTSIDERS[who]
    by_id = SearchFilters(doc_ids=(HIDDEN,))
    by_issuer = SearchFilters(issuers=("Thông tin và Truyền thông",))
    for filters in (by_id, by_issuer):
        assert service.search("mật danh SAO-BANG-09", principal=principal, filters=filters).passages == []
        answer = service.ask("mật danh SAO-BANG-09", principal=principal, filters=filters).answer
        assert answer.abstained is True
        assert answer.citations == ()
        assert "SAO-BANG" not in answer.text


# -- members of the unit and admins do see it --------------------------------------------------------


@pytest.mark.parametrize("question", ADVERSARIAL)
@pytest.mark.parametrize("who", sorted(INSIDERS))
def test_insiders_find_it(service: AssistantService, who: str, question: str) -> None:
    passages = service.search(question, principal=INSIDERS[who]).passages
    assert HIDDEN in {p.document.doc_id for p in passages}


@pytest.mark.parametrize("who", sorted(INSIDERS))
def test_insiders_get_answers_listing_and_source(service: AssistantService, shelf: Path, who: str) -> None:
    principal = INSIDERS[who]
    answer = service.ask("mật danh SAO-BANG-09", principal=principal).answer
    assert answer.abstained is False
    assert "SAO-BANG-09" in answer.text
    assert [c.chunk_id for c in answer.citations] == [f"{HIDDEN}:dieu-1"]

    assert HIDDEN in [d.doc_id for d in service.documents(principal=principal)]
    doc, chunks = service.document(HIDDEN, principal=principal)
    assert doc.number == "77/KH-STTTT"
    assert len(chunks) == hidden_chunk_count(service)
    _, path = service.source_file(HIDDEN, principal=principal)
    assert path.read_bytes() == (shelf / f"{HIDDEN}.txt").read_bytes() == INTERNAL.encode("utf-8")


# -- restricted documents: only the named units and roles --------------------------------------------


@pytest.fixture
def restricted_service(
    settings: Settings, embedder: HashingEmbedder, service: AssistantService, tmp_path: Path
) -> AssistantService:
    """The shelf plus a restricted inspection conclusion allowed to unit TTT and role inspector."""
    path = write_doc(
        tmp_path / "restricted", "kl-05-ttt.txt", RESTRICTED,
        'id: kl-05-ttt\nnumber: "05/KL-TTT"\ntype: "Kết luận"\nissuer: "Thanh tra tỉnh"\n'
        "visibility: restricted\nallowed_units: [TTT]\nallowed_roles: [inspector]\n",
    )  # fmt: skip
    report = ingest(settings, embedder, path)
    assert report.ingested == ["kl-05-ttt"], report.failed
    assert service.refresh_index() is True
    return service


@pytest.mark.parametrize(
    ("principal", "sees"),
    [
        (ANONYMOUS, False),
        (Principal(units=frozenset({"STTTT"})), False),
        (Principal(roles=frozenset({"editor"})), False),
        (Principal(units=frozenset({"TTT"})), True),
        (Principal(roles=frozenset({"inspector"})), True),
        (Principal(units=frozenset({"SYT", "TTT"})), True),
        (Principal(roles=frozenset({"admin"})), True),
    ],
)
def test_restricted_document_only_for_allowed_units_and_roles(
    restricted_service: AssistantService, principal: Principal, sees: bool
) -> None:
    service = restricted_service
    question = "sai phạm tại gói thầu mã GT-KIWI-55"
    passages = service.search(question, principal=principal, top_k=50).passages
    answer = service.ask(question, principal=principal).answer
    listed = [d.doc_id for d in service.documents(principal=principal)]

    assert ("kl-05-ttt" in {p.document.doc_id for p in passages}) is sees
    assert ("kl-05-ttt" in listed) is sees
    assert ("GT-KIWI-55" in answer.text) is sees
    assert ("kl-05-ttt" in {c.doc_id for c in answer.citations}) is sees
    assert len(passages) == visible_chunk_count(service, principal)
    if sees:
        doc, _ = service.document("kl-05-ttt", principal=principal)
        assert doc.visibility == "restricted"
    else:
        with pytest.raises(DocumentNotFound):
            service.document("kl-05-ttt", principal=principal)
        with pytest.raises(DocumentNotFound):
            service.source_file("kl-05-ttt", principal=principal)


# -- search filters ----------------------------------------------------------------------------------

ADMIN = INSIDERS["admin"]


def test_doc_types_filter(service: AssistantService) -> None:
    plans = service.search(URGENT, principal=ADMIN, filters=SearchFilters(doc_types=("kế hoạch",)), top_k=50)
    assert plans.passages
    assert {p.document.doc_id for p in plans.passages} == {HIDDEN}
    decisions = service.search(URGENT, principal=ADMIN, filters=SearchFilters(doc_types=("Quyết định",)), top_k=50)
    assert {p.document.doc_id for p in decisions.passages} == {"qd-12-2024", "qd-30-2025"}


def test_issuers_filter_matches_a_substring(service: AssistantService) -> None:
    result = service.search(URGENT, principal=ADMIN, filters=SearchFilters(issuers=("lạng sơn",)), top_k=50)
    assert result.passages
    assert {p.document.doc_id for p in result.passages} == {"qd-12-2024", "qd-30-2025"}


def test_in_force_only_excludes_the_replaced_decree(service: AssistantService) -> None:
    unfiltered = service.search(URGENT, principal=ANONYMOUS, top_k=50).passages
    assert "qd-12-2024" in {p.document.doc_id for p in unfiltered}
    filtered = service.search(URGENT, principal=ANONYMOUS, filters=SearchFilters(in_force_only=True), top_k=50)
    assert {p.document.doc_id for p in filtered.passages} == {"qd-30-2025"}
    assert all(p.current for p in filtered.passages)
    answer = service.ask(URGENT, principal=ANONYMOUS, filters=SearchFilters(in_force_only=True)).answer
    assert {c.doc_id for c in answer.citations} == {"qd-30-2025"}


def test_as_of_before_issue_excludes_the_later_decree(service: AssistantService) -> None:
    before = SearchFilters(as_of=dt.date(2025, 5, 31))
    result = service.search(URGENT, principal=ANONYMOUS, filters=before, top_k=50)
    assert result.passages
    assert {p.document.doc_id for p in result.passages} == {"qd-12-2024"}
    assert [d.doc_id for d in service.documents(principal=ANONYMOUS, filters=before)] == ["qd-12-2024"]

    on_issue = SearchFilters(as_of=dt.date(2025, 6, 1))
    assert [d.doc_id for d in service.documents(principal=ANONYMOUS, filters=on_issue)] == [
        "qd-12-2024",
        "qd-30-2025",
    ]


def test_filters_never_widen_visibility(service: AssistantService) -> None:
    filters = SearchFilters(doc_types=("Kế hoạch",), issuers=("Sở Thông tin",), doc_ids=(HIDDEN,))
    assert service.search("diễn tập ứng cứu sự cố", principal=ANONYMOUS, filters=filters).passages == []
    assert service.documents(principal=ANONYMOUS, filters=filters) == []
    member = INSIDERS["member"]
    assert [d.doc_id for d in service.documents(principal=member, filters=filters)] == [HIDDEN]


def test_a_hidden_document_changes_no_score_an_outsider_sees(
    service: AssistantService, settings: Settings, embedder: HashingEmbedder
) -> None:
    """Ranking side channel: BM25 statistics count public documents only, so an outsider's results — ids and
    scores — are the same with or without the hidden document in the index."""
    from ingest.pipeline import IngestPipeline

    outsider = OUTSIDERS["other unit"]
    questions = [URGENT, "phòng máy chủ tầng 3 trực 24/7 văn bản khẩn", "diễn tập ứng cứu sự cố văn bản đến"]

    def seen() -> list[list[tuple[str, float, float]]]:
        return [
            [(p.chunk.chunk_id, round(p.score, 6), round(p.scores.get("bm25", 0.0), 6))
             for p in service.search(q, principal=outsider, top_k=10).passages]
            for q in questions
        ]  # fmt: skip

    before = seen()
    assert IngestPipeline(settings, embedder, progress=False).remove([HIDDEN]).removed == [HIDDEN]
    service.refresh_index()
    assert seen() == before


def test_a_hidden_replacement_is_not_named_to_those_who_cannot_see_it(
    service: AssistantService, settings: Settings, embedder: HashingEmbedder, tmp_path: Path
) -> None:
    """Relations are shown as the caller may see them: a public decision replaced by an internal one does not
    reveal the internal one's số hiệu (nor change its validity or the in-force filter) for outsiders."""
    path = write_doc(
        tmp_path / "internal", "qd-99-stttt.txt", INTERNAL.replace("77/KH-STTTT", "99/QĐ-STTTT"),
        'id: qd-99-stttt\nnumber: "99/QĐ-STTTT"\nunit: STTTT\nvisibility: unit\n'
        'relations:\n  - {type: "thay thế", target: "30/2025/QĐ-UBND"}\n',
    )  # fmt: skip
    assert ingest(settings, embedder, path).ingested == ["qd-99-stttt"]
    service.refresh_index()
    outsider, member = OUTSIDERS["other unit"], INSIDERS["member"]

    seen_out, _ = service.document("qd-30-2025", principal=outsider)
    seen_in, _ = service.document("qd-30-2025", principal=member)
    assert seen_out.superseded_by == () and seen_out.is_current()
    assert seen_in.superseded_by == ("99/QĐ-STTTT",) and not seen_in.is_current()
    in_force = SearchFilters(in_force_only=True)
    assert "qd-30-2025" in {d.doc_id for d in service.documents(principal=outsider, filters=in_force)}
    for principal, expected in ((outsider, ()), (member, ("99/QĐ-STTTT",))):
        passages = service.search(URGENT, principal=principal).passages
        assert {p.document.superseded_by for p in passages if p.document.doc_id == "qd-30-2025"} == {expected}
    answer = service.ask(URGENT, principal=outsider).answer
    assert "99/QĐ-STTTT" not in answer.text and all("99/QĐ" not in c.warning for c in answer.citations)


def test_row_masks_are_kept_per_scope_and_filters_and_cannot_be_changed(service: AssistantService) -> None:
    snapshot = service.holder.get()
    public = snapshot.allowed_mask(ANONYMOUS)
    assert snapshot.allowed_mask(Principal(user_id="khac")) is public  # same scope, another caller: kept
    insider = snapshot.allowed_mask(Principal(user_id="lan", units=frozenset({"STTTT"})))
    assert insider is not public and insider.sum() > public.sum()  # the unit's document is added
    current = snapshot.allowed_mask(ANONYMOUS, SearchFilters(in_force_only=True))
    assert current is not public and current.sum() < public.sum()
    with pytest.raises(ValueError):
        public[0] = not public[0]  # shared between requests: read-only
    assert not snapshot.allowed_mask(ANONYMOUS, SearchFilters(as_of=dt.date(1990, 1, 1))).any()  # nothing issued yet
    rows = {row for d in snapshot.visible_documents(ANONYMOUS) for row in snapshot.chunks.rows_of(d.doc_id)}
    assert set(np.flatnonzero(public)) == rows  # the mask is exactly the rows of the documents the caller sees
