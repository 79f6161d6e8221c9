"""User accounts: add, list, disable, change password, authenticate."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.accounts.credentials import hash_password, needs_rehash, verify_password
from assistant.accounts.db import Database
from assistant.accounts.errors import AccountError
from assistant.accounts.models import ROLES, User
from assistant.accounts.password_policy import PasswordPolicy
from assistant.accounts.units import UnitTree

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
RESERVED_USERNAMES = frozenset({"anonymous", "system", "cli"})  # names the audit log uses for non-accounts
# The password hash of an account whose login belongs to a directory (LDAP, OpenID Connect): never verifies.
DIRECTORY_MARK = "!directory"


@dataclass(frozen=True)
class UserInfo:
    """An account as the rest of the code sees it (never carries the password hash)."""

    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    units: tuple[str, ...]
    disabled: bool
    created: dt.datetime

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            roles=tuple(user.roles),
            units=tuple(user.units),
            disabled=user.disabled,
            created=user.created,
        )


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    roles = tuple(dict.fromkeys(r.strip() for r in roles if r.strip()))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        what = f"vai trò không hợp lệ: {', '.join(unknown)}" if unknown else "cần ít nhất một vai trò"
        raise AccountError(f"{what.capitalize()}. Các vai trò: {', '.join(ROLES)}.")
    return roles


class UserStore:
    def __init__(self, db: Database, units: UnitTree, *, policy: PasswordPolicy | None = None) -> None:
        self.db = db
        self.units = units
        self.policy = policy or PasswordPolicy()

    def check_password(
        self, password: str, *, username: str = "", display_name: str = "", units: Iterable[str] = ()
    ) -> str:
        """``password`` when the policy accepts it for this account; WeakPassword (one line) otherwise."""
        return self.policy.check(password, user_inputs=[username, display_name, *units])

    def add(
        self,
        username: str,
        *,
        roles: Iterable[str],
        units: Iterable[str] = (),
        display_name: str = "",
        password: str | None = None,
    ) -> UserInfo:
        """Create an account; ``password=None`` makes a token-only account (no password login)."""
        username = username.strip().lower()
        if not _USERNAME.fullmatch(username) or username in RESERVED_USERNAMES:
            raise AccountError(
                f"Tên đăng nhập '{username}' không hợp lệ: 2–64 ký tự chữ thường không dấu, số, '.', '_', '-' "
                f"(không dùng các tên dành riêng: {', '.join(sorted(RESERVED_USERNAMES))})."
            )
        checked_roles, checked_units = check_roles(roles), self.units.check(units)
        hashed = None
        if password is not None:
            hashed = hash_password(
                self.check_password(password, username=username, display_name=display_name, units=checked_units)
            )
        user = User(
            username=username,
            display_name=display_name.strip()[:200],
            password_hash=hashed,
            roles=list(checked_roles),
            units=list(checked_units),
            disabled=False,
        )
        try:
            with self.db.session() as session:
                session.add(user)
                session.flush()
                return UserInfo.of(user)
        except IntegrityError:
            raise AccountError(f"Tên đăng nhập '{username}' đã tồn tại.") from None

    def get(self, username: str) -> UserInfo | None:
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            return UserInfo.of(user) if user else None

    def require(self, username: str) -> UserInfo:
        user = self.get(username)
        if user is None:
            raise AccountError(f"Không có tài khoản '{username}'. Xem danh sách bằng `assistant users list`.")
        return user

    def list(self) -> list[UserInfo]:
        with self.db.session() as session:
            return [UserInfo.of(u) for u in session.scalars(select(User).order_by(User.username))]

    def any_admin(self) -> bool:
        """True when an enabled account holds the admin role."""
        return any("admin" in u.roles and not u.disabled for u in self.list())

    def set_disabled(self, username: str, disabled: bool = True) -> UserInfo:
        with self.db.session() as session:
            user = self._row(session, username)
            user.disabled = disabled
            return UserInfo.of(user)

    def set_password(self, username: str, password: str) -> UserInfo:
        current = self.require(username)
        if self.is_directory_account(current.username):
            raise AccountError(
                f"Tài khoản '{current.username}' đăng nhập qua thư mục (LDAP/OpenID Connect): đổi mật khẩu ở thư mục."
            )
        hashed = hash_password(
            self.check_password(
                password, username=current.username, display_name=current.display_name, units=current.units
            )
        )
        with self.db.session() as session:
            user = self._row(session, username)
            user.password_hash = hashed
            return UserInfo.of(user)

    def has_local_password(self, username: str) -> bool:
        """True when ``username`` is a local account with a password (a directory never logs it in)."""
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            return user is not None and user.password_hash is not None and user.password_hash != DIRECTORY_MARK

    def is_directory_account(self, username: str) -> bool:
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            return user is not None and user.password_hash == DIRECTORY_MARK

    def sync_directory_account(
        self, username: str, *, display_name: str, roles: Iterable[str], units: Iterable[str]
    ) -> UserInfo:
        """Create or update the local record of a directory account (no local password) with the roles and units
        its directory groups map to. AccountError when the name belongs to a local account (never taken over)."""
        username = username.strip().lower()
        if not _USERNAME.fullmatch(username) or username in RESERVED_USERNAMES:
            raise AccountError(f"Tên đăng nhập '{username}' từ thư mục không dùng được làm tên tài khoản.")
        checked_roles, checked_units = list(check_roles(roles)), list(self.units.check(units))
        try:
            with self.db.session() as session:
                user = session.scalar(select(User).where(User.username == username))
                if user is None:
                    user = User(username=username, password_hash=DIRECTORY_MARK, disabled=False)
                    session.add(user)
                elif user.password_hash != DIRECTORY_MARK:
                    raise AccountError(f"Tên '{username}' là một tài khoản cục bộ, không phải tài khoản thư mục.")
                user.display_name = display_name.strip()[:200]
                user.roles = checked_roles
                user.units = checked_units
                session.flush()
                return UserInfo.of(user)
        except IntegrityError:  # created at the same moment by another login: the next login updates it
            return self.require(username)

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The enabled account whose password matches, else None (same work whether or not the user exists)."""
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            stored = user.password_hash if user is not None and user.password_hash != DIRECTORY_MARK else None
            if not verify_password(stored, password[:1024]) or user is None or user.disabled:
                return None
            if stored is not None and needs_rehash(stored):
                user.password_hash = hash_password(password)
            return UserInfo.of(user)

    @staticmethod
    def _row(session: Session, username: str) -> User:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise AccountError(f"Không có tài khoản '{username}'. Xem danh sách bằng `assistant users list`.")
        return user
