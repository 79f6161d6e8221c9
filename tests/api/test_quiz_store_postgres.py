"""The quiz bank store on a real PostgreSQL server started on loopback (the session's ``postgres`` fixture,
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, select

from assistant.accounts.db import Database
from assistant.accounts.quiz_models import QuizItemResult
from assistant.api.quiz_store import DocumentLookup, ItemStat, QuizStore
from assistant.errors import BankNotFound, PermissionDenied, VersionConflict
from assistant.quiz.model import (
    BankAudience,
    FactKind,
    ItemKind,
    MatchPair,
    QuizBank,
    QuizItem,
    ReviewStatus,
    SourceRef,
)
from assistant.types import DocumentMeta, Principal

pytestmark = pytest.mark.postgres

GUIDE = SourceRef(
    "hd-sxd:muc-ii-2", "hd-sxd", "", "Hướng dẫn nội bộ", "", "khoản 2 mục II", None, "2. Gia hạn: 30 ngày."
)
DOCS = {"hd-sxd": DocumentMeta("hd-sxd", "Hướng dẫn nội bộ", unit="SXD", visibility="unit")}
ITEMS = (
    QuizItem("mc1", ItemKind.MULTIPLE_CHOICE, "Gia hạn chậm nhất bao lâu?", "Căn cứ khoản 2.", (GUIDE,),
             FactKind.DURATION, options=("15 ngày", "30 ngày", "45 ngày", "60 ngày"), correct=(1,)),
    QuizItem("tf1", ItemKind.TRUE_FALSE, "Đúng hay sai: 30 ngày?", "Căn cứ khoản 2.", (GUIDE,), FactKind.DURATION,
             options=("Đúng", "Sai"), correct=(0,)),
    QuizItem("fb1", ItemKind.FILL_BLANK, "Chậm nhất ___.", "Căn cứ khoản 2.", (GUIDE,), FactKind.DURATION,
             answers=("30 ngày",)),
    QuizItem("m1", ItemKind.MATCHING, "Ghép.", "Căn cứ khoản 2.", (GUIDE,), FactKind.DURATION,
             pairs=(MatchPair("Gia hạn", "30 ngày", GUIDE), MatchPair("Thu hồi", "05 ngày", GUIDE))),
)  # fmt: skip
OWNER = Principal("hoa", frozenset({"SXD"}), frozenset({"trainer"}), frozenset({"SXD", "SXD-QLXD"}))
MEMBER = Principal("nam", frozenset({"SXD"}), frozenset({"staff"}), frozenset({"SXD", "SXD-QLXD"}))
PROVINCE = Principal("tu", frozenset({"LANGSON"}), frozenset({"trainer"}), frozenset({"LANGSON", "SXD", "SXD-QLXD"}))
OUTSIDER = Principal("an", frozenset({"SYT"}), frozenset({"trainer"}), frozenset({"SYT"}))


def seen_by(principal: Principal) -> DocumentLookup:
    return lambda doc_id: DOCS[doc_id] if doc_id in DOCS and principal.may_see(DOCS[doc_id]) else None


@pytest.fixture
def db(postgres: Callable[[], str]) -> Iterator[Database]:
    database = Database(postgres())
    database.create()
    yield database
    database.dispose()


def test_the_quiz_store_runs_on_postgresql(db: Database) -> None:
    assert db.url.get_backend_name() == "postgresql"
    store = QuizStore(db)
    audience = BankAudience(visibility="unit", unit="SXD")
    bank = store.create(QuizBank("", "Gia hạn", "gia hạn", "", "", ITEMS, ("hd-sxd",), audience), principal=OWNER)
    assert store.get(bank.bank_id, principal=MEMBER, documents=seen_by(MEMBER)) == bank
    assert store.get(bank.bank_id, principal=PROVINCE, documents=seen_by(PROVINCE)).items == ITEMS
    with pytest.raises(BankNotFound):
        store.get(bank.bank_id, principal=OUTSIDER, documents=seen_by(OUTSIDER))
    assert store.list(principal=OUTSIDER, documents=seen_by(OUTSIDER)) == []

    reviewed = store.review(bank.bank_id, "mc1", ReviewStatus.ACCEPTED, principal=OWNER, expected_version=1)
    shorter = store.update_items(bank.bank_id, reviewed.items[:2], principal=OWNER, expected_version=2)
    assert shorter.version == 3 and shorter.items[0].status == ReviewStatus.ACCEPTED
    assert store.get(bank.bank_id, principal=OWNER, documents=seen_by(OWNER), version=1).items == ITEMS
    with pytest.raises(VersionConflict):
        store.update_items(bank.bank_id, ITEMS, principal=OWNER, expected_version=2)
    with pytest.raises(PermissionDenied):
        store.update_items(bank.bank_id, ITEMS, principal=MEMBER, expected_version=3)
    assert [v.version for v in store.versions(bank.bank_id, principal=MEMBER, documents=seen_by(MEMBER))] == [1, 2, 3]

    store.record_attempt(bank.bank_id, 3, {"mc1": True, "tf1": False}, principal=MEMBER)
    store.record_attempt(bank.bank_id, 3, {"mc1": False}, principal=MEMBER)
    store.record_attempt(bank.bank_id, 1, {"m1": False}, principal=PROVINCE)
    assert store.item_stats(bank.bank_id, principal=OWNER) == [ItemStat("mc1", 2, 1), ItemStat("tf1", 1, 1)]
    assert store.item_stats(bank.bank_id, principal=PROVINCE)[-1] == ItemStat("m1", 1, 1)
    columns = {column["name"] for column in inspect(db.engine).get_columns("quiz_item_results")}
    assert columns == {"bank_id", "item_id", "unit", "attempts", "wrong"}

    store.delete(bank.bank_id, principal=OWNER)
    with db.session() as session:
        assert session.scalars(select(QuizItemResult)).all() == []


def test_concurrent_edits_of_one_version_save_once_and_counts_add_up(db: Database) -> None:
    store = QuizStore(db)
    bank = store.create(QuizBank("", "Gia hạn", "", "", "", ITEMS, ("hd-sxd",)), principal=OWNER)

    def edit(n: int) -> str:
        try:
            store.update_items(bank.bank_id, ITEMS[: n % 4 + 1], principal=OWNER, expected_version=1)
        except VersionConflict:
            return "conflict"
        return "saved"

    def practise(_: int) -> None:
        store.record_attempt(bank.bank_id, 1, {"mc1": True, "tf1": False}, principal=MEMBER)

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(edit, range(8)))
        list(pool.map(practise, range(20)))
    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    assert [v.version for v in store.versions(bank.bank_id, principal=OWNER, documents=seen_by(OWNER))] == [1, 2]
    stats = {s.item_id: s for s in store.item_stats(bank.bank_id, principal=OWNER)}
    assert (stats["mc1"].attempts, stats["mc1"].wrong, stats["tf1"].attempts, stats["tf1"].wrong) == (20, 0, 20, 20)
