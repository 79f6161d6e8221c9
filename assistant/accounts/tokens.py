"""API tokens: issued once in clear, kept only as SHA-256, with expiry and revocation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from assistant.accounts.credentials import new_token, token_digest
from assistant.accounts.db import Database
from assistant.accounts.models import Token, User, utcnow
from assistant.accounts.users import UserInfo

# A token's last_used is written at most this often, so reading a token is not a write on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_TOKEN_CHARS = 256


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret: shown to the caller once, never stored
    expires_at: dt.datetime
    user: UserInfo


class TokenStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def issue(self, user: UserInfo, *, ttl_hours: float) -> IssuedToken:
        if ttl_hours <= 0:
            raise ValueError(f"ttl_hours must be > 0, got {ttl_hours}")
        secret = new_token()
        now = utcnow()
        expires = now + dt.timedelta(hours=ttl_hours)
        with self.db.session() as session:
            session.add(Token(token_hash=token_digest(secret), user_id=user.id, created=now, expires=expires))
        return IssuedToken(token=secret, expires_at=expires, user=user)

    def resolve(self, token: str, *, now: dt.datetime | None = None) -> UserInfo | None:
        """The account of a valid token; None when it is unknown, expired, revoked or its account disabled."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        now = now or utcnow()
        with self.db.session() as session:
            row = session.execute(
                select(Token, User).join(User, Token.user_id == User.id).where(Token.token_hash == token_digest(token))
            ).first()
            if row is None:
                return None
            record, user = row
            if record.revoked or record.expires <= now or user.disabled:
                return None
            if record.last_used is None or now - record.last_used >= LAST_USED_RESOLUTION:
                record.last_used = now
            return UserInfo.of(user)

    def revoke(self, token: str) -> bool:
        """Revoke one token; True when it existed and was live."""
        with self.db.session() as session:
            live = (Token.token_hash == token_digest(token), Token.revoked.is_(False))
            result = session.execute(update(Token).where(*live).values(revoked=True))
            return bool(getattr(result, "rowcount", 0))

    def revoke_all(self, user: UserInfo) -> int:
        """Revoke every live token of ``user``; returns how many."""
        with self.db.session() as session:
            result = session.execute(
                update(Token).where(Token.user_id == user.id, Token.revoked.is_(False)).values(revoked=True)
            )
            return int(getattr(result, "rowcount", 0))

    def purge_expired(self, *, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
        """Delete token rows expired for longer than ``older_than`` (they can never be valid again)."""
        with self.db.session() as session:
            result = session.execute(delete(Token).where(Token.expires < utcnow() - older_than))
            return int(getattr(result, "rowcount", 0))
