"""The quiz bank store on a real PostgreSQL server started on loopback (the fixture of
tests/assistant/accounts/test_postgres.py, copied: test modules do not import each other)."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> Iterator[Callable[[], str]]:
    """Start a server; yields a factory of URLs, each to a new empty database."""
    bindir = server_binaries()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (Debian package 'postgresql'; `make test` installs it)")
    pytest.importorskip("psycopg", reason="the PostgreSQL driver: pip install 'tro-ly-cong-chuc-so[postgres]'")
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' OS user to run the server as")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    password = secrets.token_urlsafe(16)
    pwfile = root / "pw"
    pwfile.write_text(password, encoding="utf-8")
    if prefix:
        os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
    port, data = free_port(), root / "data"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "assistant", "--pwfile", str(pwfile), "-A", "scram-sha-256",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    options = f"-h 127.0.0.1 -p {port} -k {root} -F -c fsync=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60", "-o", options,
        "start")  # fmt: skip
    counter = iter(range(1_000_000))

    def new_database() -> str:
        import psycopg

        name = f"quiz_{next(counter)}"
        with psycopg.connect(
            host="127.0.0.1", port=port, user="assistant", password=password, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://assistant:{password}@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], check=False,
                       capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


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
