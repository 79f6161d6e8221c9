"""API tokens: only the hash at rest, expiry, revocation, disabled accounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text, update

from assistant.accounts.models import Token
from assistant.accounts.service import AccountService
from assistant.accounts.users import UserInfo


def staff(accounts: AccountService) -> UserInfo:
    return accounts.users.add("lan", roles=["staff"], units=["SXD"])


def test_only_the_sha256_of_a_token_is_stored(accounts: AccountService) -> None:
    issued = accounts.tokens.issue(staff(accounts), ttl_hours=1)
    with accounts.db.engine.connect() as conn:
        dump = "\n".join(
            str(row) for table in ("tokens", "users", "audit") for row in conn.execute(text(f"SELECT * FROM {table}"))
        )
    assert issued.token not in dump
    assert issued.token[5:20] not in dump


def test_resolve_returns_the_account_until_expiry(accounts: AccountService) -> None:
    user = staff(accounts)
    issued = accounts.tokens.issue(user, ttl_hours=2)
    assert accounts.tokens.resolve(issued.token) == user
    assert accounts.tokens.resolve(issued.token, now=issued.expires_at - dt.timedelta(seconds=1)) == user
    assert accounts.tokens.resolve(issued.token, now=issued.expires_at) is None
    assert accounts.tokens.resolve(issued.token, now=issued.expires_at + dt.timedelta(days=1)) is None


def test_an_expired_row_is_rejected(accounts: AccountService) -> None:
    issued = accounts.tokens.issue(staff(accounts), ttl_hours=1)
    with accounts.db.session() as session:
        session.execute(update(Token).values(expires=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    assert accounts.tokens.resolve(issued.token) is None


def test_revoke_one_and_all(accounts: AccountService) -> None:
    user = staff(accounts)
    first, second, third = (accounts.tokens.issue(user, ttl_hours=1) for _ in range(3))
    assert accounts.tokens.revoke(first.token) is True
    assert accounts.tokens.revoke(first.token) is False
    assert accounts.tokens.resolve(first.token) is None
    assert accounts.tokens.resolve(second.token) == user
    assert accounts.tokens.revoke_all(user) == 2
    assert accounts.tokens.resolve(second.token) is None and accounts.tokens.resolve(third.token) is None


def test_disabling_an_account_invalidates_its_tokens(accounts: AccountService) -> None:
    issued = accounts.tokens.issue(staff(accounts), ttl_hours=1)
    accounts.users.set_disabled("lan")
    assert accounts.tokens.resolve(issued.token) is None


def test_garbage_tokens_are_none(accounts: AccountService) -> None:
    staff(accounts)
    for token in ("", "tlcs_", "x" * 10_000, "' OR 1=1 --", "tlcs_\x00"):
        assert accounts.tokens.resolve(token) is None


def test_last_used_is_recorded(accounts: AccountService) -> None:
    issued = accounts.tokens.issue(staff(accounts), ttl_hours=1)
    accounts.tokens.resolve(issued.token)
    with accounts.db.session() as session:
        assert session.scalar(select(Token.last_used)) is not None


def test_purge_expired_keeps_live_tokens(accounts: AccountService) -> None:
    user = staff(accounts)
    live = accounts.tokens.issue(user, ttl_hours=1)
    old = accounts.tokens.issue(user, ttl_hours=1)
    with accounts.db.session() as session:
        stale = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
        session.execute(update(Token).where(Token.id == 2).values(expires=stale))
    assert accounts.tokens.purge_expired() == 1
    assert accounts.tokens.resolve(live.token) == user
    assert accounts.tokens.resolve(old.token) is None
