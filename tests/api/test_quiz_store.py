"""Quiz banks in the accounts database (SQLite): round trip, versions, review, visibility, rights, practice counts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from assistant.accounts.db import Database
from assistant.accounts.quiz_models import QuizItemResult
from assistant.api.quiz_store import DocumentLookup, ItemStat, QuizStore
from assistant.errors import BankNotFound, InvalidRequest, PermissionDenied, VersionConflict
from assistant.quiz.model import (
    BankAudience,
    Difficulty,
    FactKind,
    ItemKind,
    MatchPair,
    QuizBank,
    QuizItem,
    ReviewStatus,
    SourceRef,
)
from assistant.types import DocumentMeta, Principal

DECREE = SourceRef(
    "nd30:dieu-5-khoan-2", "nd30", "30/2020/NĐ-CP", "Nghị định về công tác văn thư", "Nghị định",
    "điểm a khoản 2 Điều 5", 3, "a) Văn bản hành chính được trình bày trên khổ giấy A4 (210 mm x 297 mm).",
)  # fmt: skip
GUIDE = SourceRef(
    "hd-sxd:muc-ii-2", "hd-sxd", "", "Hướng dẫn nội bộ Sở Xây dựng", "", "khoản 2 mục II", None,
    "2. Gia hạn: chậm nhất 30 ngày trước ngày hết hạn.",
)  # fmt: skip
PUBLIC_DOCS = {"nd30": DocumentMeta("nd30", "Nghị định về công tác văn thư", number="30/2020/NĐ-CP")}
UNIT_DOCS = {**PUBLIC_DOCS, "hd-sxd": DocumentMeta("hd-sxd", "Hướng dẫn nội bộ", unit="SXD", visibility="unit")}

OWNER = Principal("hoa", frozenset({"SXD"}), frozenset({"trainer"}), frozenset({"SXD", "SXD-QLXD"}))
CO_TRAINER = Principal("minh", frozenset({"SXD"}), frozenset({"trainer"}), frozenset({"SXD", "SXD-QLXD"}))
MEMBER = Principal("nam", frozenset({"SXD"}), frozenset({"staff"}), frozenset({"SXD", "SXD-QLXD"}))
SUB_UNIT = Principal("lan", frozenset({"SXD-QLXD"}), frozenset({"staff"}), frozenset({"SXD-QLXD"}))
PROVINCE = Principal("tu", frozenset({"LANGSON"}), frozenset({"trainer"}), frozenset({"LANGSON", "SXD", "SXD-QLXD"}))
OUTSIDER = Principal("an", frozenset({"SYT"}), frozenset({"staff"}), frozenset({"SYT"}))
OTHER_TRAINER = Principal("binh", frozenset({"SYT"}), frozenset({"trainer"}), frozenset({"SYT"}))
ADMIN = Principal("admin", roles=frozenset({"admin"}))


def items_of_every_kind(source: SourceRef = DECREE) -> tuple[QuizItem, ...]:
    return (
        QuizItem("mc1", ItemKind.MULTIPLE_CHOICE, "Văn bản hành chính trình bày trên khổ giấy nào?", "Căn cứ Điều 5.",
                 (source,), FactKind.CONDITION, Difficulty.DISCRIMINATE, options=("A5", "A4", "A3", "Letter"),
                 correct=(1,), topic="văn thư", flags=("source_not_current",)),
        QuizItem("tf1", ItemKind.TRUE_FALSE, "Đúng hay sai: khổ giấy A4?", "Căn cứ Điều 5.", (source,),
                 FactKind.CONDITION, options=("Đúng", "Sai"), correct=(0,), status=ReviewStatus.ACCEPTED),
        QuizItem("fb1", ItemKind.FILL_BLANK, "Văn bản trình bày trên khổ giấy ___.", "Căn cứ Điều 5.", (source,),
                 FactKind.CONDITION, answers=("A4", "khổ A4"), rephrased=True),
        QuizItem("m1", ItemKind.MATCHING, "Ghép khổ giấy với kích thước.", "Căn cứ Điều 5.", (source,),
                 FactKind.COUNT,
                 pairs=(MatchPair("A4", "210 x 297 mm", source), MatchPair("A5", "148 x 210 mm", source))),
    )  # fmt: skip


def public_bank() -> QuizBank:
    return QuizBank("", "Công tác văn thư", "văn thư", "", "", items_of_every_kind(), ("nd30",))


def unit_bank() -> QuizBank:
    audience = BankAudience(visibility="unit", unit="SXD")
    return QuizBank("", "Hướng dẫn nội bộ", "gia hạn", "", "", items_of_every_kind(GUIDE), ("hd-sxd",), audience)


def seen_by(principal: Principal, docs: Mapping[str, DocumentMeta] = UNIT_DOCS) -> DocumentLookup:
    """The documents lookup of the service: a document as ``principal`` sees it, None when hidden or gone."""
    return lambda doc_id: docs[doc_id] if doc_id in docs and principal.may_see(docs[doc_id]) else None


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    database.create()
    yield database
    database.dispose()


@pytest.fixture
def store(db: Database) -> QuizStore:
    return QuizStore(db)


def test_create_and_get_round_trip_every_item_kind(store: QuizStore) -> None:
    saved = store.create(public_bank(), principal=OWNER)
    assert len(saved.bank_id) == 32 and saved.owner == "hoa" and saved.unit == "SXD" and saved.version == 1
    assert saved.created_at is not None and saved.created_at.tzinfo is not None
    got = store.get(saved.bank_id, principal=OWNER, documents=seen_by(OWNER))
    assert got == saved
    assert {item.kind for item in got.items} == set(ItemKind)
    assert got.items == items_of_every_kind()


def test_only_trainers_create_and_only_for_themselves(store: QuizStore) -> None:
    with pytest.raises(PermissionDenied):
        store.create(public_bank(), principal=MEMBER)
    with pytest.raises(PermissionDenied):
        store.create(dataclasses.replace(public_bank(), owner="minh"), principal=OWNER)
    with pytest.raises(PermissionDenied):
        store.create(dataclasses.replace(public_bank(), unit="SYT"), principal=OWNER)
    with pytest.raises(InvalidRequest, match="trùng"):
        store.create(dataclasses.replace(public_bank(), items=items_of_every_kind()[:1] * 2), principal=OWNER)
    first = store.create(dataclasses.replace(public_bank(), bank_id="vt-1"), principal=OWNER)
    assert first.bank_id == "vt-1"
    with pytest.raises(InvalidRequest, match="đã được dùng"):
        store.create(dataclasses.replace(public_bank(), bank_id="vt-1"), principal=OWNER)


def test_updates_are_new_versions_and_stale_edits_conflict(store: QuizStore) -> None:
    bank = store.create(public_bank(), principal=OWNER)
    shorter = store.update_items(bank.bank_id, bank.items[:2], principal=OWNER, expected_version=1, note="bớt câu")
    assert shorter.version == 2 and [i.item_id for i in shorter.items] == ["mc1", "tf1"]
    assert store.get(bank.bank_id, principal=MEMBER, documents=seen_by(MEMBER)) == shorter
    old = store.get(bank.bank_id, principal=MEMBER, documents=seen_by(MEMBER), version=1)
    assert old.version == 1 and old.items == bank.items
    with pytest.raises(VersionConflict, match="phiên bản 2"):
        store.update_items(bank.bank_id, bank.items, principal=CO_TRAINER, expected_version=1)
    with pytest.raises(BankNotFound):
        store.get(bank.bank_id, principal=OWNER, documents=seen_by(OWNER), version=7)
    history = store.versions(bank.bank_id, principal=MEMBER, documents=seen_by(MEMBER))
    assert [(v, e, n) for v, _, e, n in history] == [(1, "hoa", "tạo bộ câu hỏi"), (2, "hoa", "bớt câu")]
    assert history[1].updated_at >= history[0].updated_at


def test_review_accepts_rejects_and_edits_one_item(store: QuizStore) -> None:
    bank = store.create(public_bank(), principal=OWNER)
    accepted = store.review(bank.bank_id, "mc1", ReviewStatus.ACCEPTED, principal=OWNER, expected_version=1)
    rejected = store.review(bank.bank_id, "fb1", ReviewStatus.REJECTED, principal=CO_TRAINER, expected_version=2)
    edit = dataclasses.replace(bank.items[3], stem="Ghép mỗi khổ giấy với kích thước của nó.")
    edited = store.review(bank.bank_id, "m1", ReviewStatus.ACCEPTED, principal=ADMIN, expected_version=3, edited=edit)
    assert accepted.items[0].status == ReviewStatus.ACCEPTED and accepted.version == 2
    assert rejected.items[2].status == ReviewStatus.REJECTED and rejected.items[0].status == ReviewStatus.ACCEPTED
    assert edited.items[3] == dataclasses.replace(edit, status=ReviewStatus.ACCEPTED) and edited.version == 4
    assert store.get(bank.bank_id, principal=OWNER, documents=seen_by(OWNER)) == edited
    notes = [v.note for v in store.versions(bank.bank_id, principal=OWNER, documents=seen_by(OWNER))]
    assert notes[1:] == ["duyệt câu mc1", "loại câu fb1", "sửa câu m1"]
    (summary,) = store.list(principal=OWNER, documents=seen_by(OWNER))
    assert (summary.version, summary.items, summary.accepted, summary.rejected, summary.pending) == (4, 4, 3, 1, 0)
    with pytest.raises(InvalidRequest, match="không có câu"):
        store.review(bank.bank_id, "nope", ReviewStatus.ACCEPTED, principal=OWNER, expected_version=4)
    with pytest.raises(VersionConflict):
        store.review(bank.bank_id, "mc1", ReviewStatus.REJECTED, principal=OWNER, expected_version=3)


def test_a_unit_only_bank_is_seen_by_its_unit_and_the_units_above(store: QuizStore) -> None:
    bank = store.create(unit_bank(), principal=OWNER)
    for principal in (OWNER, MEMBER, PROVINCE, ADMIN):
        assert store.get(bank.bank_id, principal=principal, documents=seen_by(principal)).bank_id == bank.bank_id
        assert [s.bank_id for s in store.list(principal=principal, documents=seen_by(principal))] == [bank.bank_id]
    for principal in (OUTSIDER, OTHER_TRAINER, SUB_UNIT):
        with pytest.raises(BankNotFound) as hidden:
            store.get(bank.bank_id, principal=principal, documents=seen_by(principal))
        with pytest.raises(BankNotFound) as missing:
            store.get("no-such-bank", principal=principal, documents=seen_by(principal))
        assert str(hidden.value).replace(bank.bank_id, "X") == str(missing.value).replace("no-such-bank", "X")
        assert store.list(principal=principal, documents=seen_by(principal)) == []
        with pytest.raises(BankNotFound):
            store.versions(bank.bank_id, principal=principal, documents=seen_by(principal))
        with pytest.raises(BankNotFound):
            store.update_items(bank.bank_id, (), principal=principal, expected_version=1)
        with pytest.raises(BankNotFound):
            store.record_attempt(bank.bank_id, 1, {"mc1": True}, principal=principal)


def test_a_bank_hides_when_a_source_document_is_hidden_or_gone(store: QuizStore) -> None:
    bank = store.create(public_bank(), principal=OWNER)
    assert store.get(bank.bank_id, principal=OUTSIDER, documents=seen_by(OUTSIDER)).version == 1
    now_unit_only = {"nd30": dataclasses.replace(PUBLIC_DOCS["nd30"], visibility="unit", unit="SXD")}
    with pytest.raises(BankNotFound):
        store.get(bank.bank_id, principal=OUTSIDER, documents=seen_by(OUTSIDER, now_unit_only))
    assert store.list(principal=OUTSIDER, documents=seen_by(OUTSIDER, now_unit_only)) == []
    assert store.get(bank.bank_id, principal=OWNER, documents=seen_by(OWNER, now_unit_only)).version == 1
    with pytest.raises(BankNotFound):  # the owner too, once the document is gone from the shelf
        store.get(bank.bank_id, principal=OWNER, documents=seen_by(OWNER, {}))
    leaky = lambda doc_id: now_unit_only.get(doc_id)  # noqa: E731  (a lookup that forgot to filter)
    with pytest.raises(BankNotFound):
        store.get(bank.bank_id, principal=OUTSIDER, documents=leaky)


def test_an_old_version_keeps_its_own_audience(store: QuizStore) -> None:
    bank = store.create(unit_bank(), principal=OWNER)
    public = store.update_items(
        bank.bank_id, items_of_every_kind(), principal=OWNER, expected_version=1, audience=BankAudience()
    )
    assert public.doc_ids == ("nd30",)
    assert store.get(bank.bank_id, principal=OUTSIDER, documents=seen_by(OUTSIDER)).version == 2
    with pytest.raises(BankNotFound):
        store.get(bank.bank_id, principal=OUTSIDER, documents=seen_by(OUTSIDER), version=1)


def test_only_the_owner_a_trainer_of_the_unit_or_an_admin_edit(store: QuizStore) -> None:
    bank = store.create(public_bank(), principal=OWNER)
    for principal in (OUTSIDER, OTHER_TRAINER, MEMBER, PROVINCE):
        with pytest.raises(PermissionDenied):
            store.update_items(bank.bank_id, bank.items[:1], principal=principal, expected_version=1)
        with pytest.raises(PermissionDenied):
            store.review(bank.bank_id, "mc1", ReviewStatus.ACCEPTED, principal=principal, expected_version=1)
        with pytest.raises(PermissionDenied):
            store.delete(bank.bank_id, principal=principal)
    assert store.update_items(bank.bank_id, bank.items[:1], principal=CO_TRAINER, expected_version=1).version == 2
    with pytest.raises(PermissionDenied):
        store.delete(bank.bank_id, principal=CO_TRAINER)
    store.record_attempt(bank.bank_id, 2, {"mc1": False}, principal=MEMBER)
    store.delete(bank.bank_id, principal=OWNER)
    with pytest.raises(BankNotFound):
        store.get(bank.bank_id, principal=OWNER, documents=seen_by(OWNER))
    with store.db.session() as session:
        assert session.scalars(select(QuizItemResult)).all() == []


def test_practice_counts_are_anonymous_and_added_up_by_unit(store: QuizStore, db: Database) -> None:
    bank = store.create(public_bank(), principal=OWNER)
    store.record_attempt(bank.bank_id, 1, {"mc1": True, "tf1": False}, principal=MEMBER)
    store.record_attempt(bank.bank_id, 1, {"mc1": False}, principal=MEMBER)
    store.record_attempt(bank.bank_id, 1, {"mc1": False, "fb1": True}, principal=SUB_UNIT)
    store.record_attempt(bank.bank_id, 1, {"mc1": True}, principal=OUTSIDER)
    store.record_attempt(bank.bank_id, 1, {"m1": True}, principal=PROVINCE)

    columns = {column["name"] for column in inspect(db.engine).get_columns("quiz_item_results")}
    assert columns == {"bank_id", "item_id", "unit", "attempts", "wrong"}
    with db.session() as session:
        rows = [(r.item_id, r.unit, r.attempts, r.wrong) for r in session.scalars(select(QuizItemResult))]
    assert sorted(rows) == [("fb1", "SXD-QLXD", 1, 0), ("m1", "LANGSON", 1, 0), ("mc1", "SXD", 2, 1),
                            ("mc1", "SXD-QLXD", 1, 1), ("mc1", "SYT", 1, 0), ("tf1", "SXD", 1, 1)]  # fmt: skip
    assert not {"nam", "lan", "an", "tu"} & {value for row in rows for value in row}

    def stats(principal: Principal, unit: str | None = None) -> dict[str, tuple[int, int]]:
        return {
            s.item_id: (s.attempts, s.wrong) for s in store.item_stats(bank.bank_id, principal=principal, unit=unit)
        }

    assert store.item_stats(bank.bank_id, principal=OWNER)[0] == ItemStat("mc1", 3, 2)  # SXD and SXD-QLXD
    assert stats(OWNER) == {"mc1": (3, 2), "tf1": (1, 1), "fb1": (1, 0), "m1": (0, 0)}
    assert stats(OWNER, "SXD-QLXD") == {"mc1": (1, 1), "tf1": (0, 0), "fb1": (1, 0), "m1": (0, 0)}
    assert stats(PROVINCE) == {"mc1": (3, 2), "tf1": (1, 1), "fb1": (1, 0), "m1": (1, 0)}
    assert stats(OTHER_TRAINER) == {"mc1": (1, 0), "tf1": (0, 0), "fb1": (0, 0), "m1": (0, 0)}
    assert stats(ADMIN) == {"mc1": (4, 2), "tf1": (1, 1), "fb1": (1, 0), "m1": (1, 0)}
    with pytest.raises(PermissionDenied):
        store.item_stats(bank.bank_id, principal=MEMBER)
    with pytest.raises(PermissionDenied):
        store.item_stats(bank.bank_id, principal=OWNER, unit="SYT")


def test_attempts_name_items_of_the_version_and_a_unit_of_the_learner(store: QuizStore) -> None:
    bank = store.create(public_bank(), principal=OWNER)
    store.update_items(bank.bank_id, bank.items[:1], principal=OWNER, expected_version=1)
    store.record_attempt(bank.bank_id, 1, {"tf1": True}, principal=MEMBER)  # an older version is still practised
    with pytest.raises(InvalidRequest, match="tf1"):
        store.record_attempt(bank.bank_id, 2, {"tf1": True}, principal=MEMBER)
    with pytest.raises(InvalidRequest):
        store.record_attempt(bank.bank_id, 2, {}, principal=MEMBER)
    with pytest.raises(BankNotFound):
        store.record_attempt(bank.bank_id, 9, {"mc1": True}, principal=MEMBER)
    with pytest.raises(InvalidRequest, match="SYT"):
        store.record_attempt(bank.bank_id, 2, {"mc1": True}, principal=MEMBER, unit="SYT")
    store.record_attempt(bank.bank_id, 2, {"mc1": False}, principal=ADMIN)  # no unit: counted under ""
    assert store.item_stats(bank.bank_id, principal=ADMIN, unit="") == [ItemStat("mc1", 1, 1)]
    assert store.item_stats(bank.bank_id, principal=OWNER) == [ItemStat("mc1", 0, 0), ItemStat("tf1", 1, 0)]


def test_concurrent_edits_of_one_version_save_once_and_counts_add_up(store: QuizStore) -> None:
    bank = store.create(public_bank(), principal=OWNER)

    def edit(n: int) -> str:
        try:
            store.update_items(bank.bank_id, bank.items[: n % 4 + 1], principal=OWNER, expected_version=1)
        except VersionConflict:
            return "conflict"
        return "saved"

    def practise(_: int) -> None:
        store.record_attempt(bank.bank_id, 1, {"mc1": True, "tf1": False}, principal=MEMBER)

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(edit, range(8)))
        list(pool.map(practise, range(20)))
    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    assert store.item_stats(bank.bank_id, principal=OWNER)[:2] == [ItemStat("mc1", 20, 0), ItemStat("tf1", 20, 20)]
