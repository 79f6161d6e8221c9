"""The accounts service: opens the store, creates the first admin, logs in, and turns tokens into Principals."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from assistant.accounts.audit import Action, AuditLog
from assistant.accounts.credentials import new_password
from assistant.accounts.db import Database
from assistant.accounts.errors import InvalidCredentials, InvalidToken
from assistant.accounts.tokens import IssuedToken, TokenStore
from assistant.accounts.units import UnitTree
from assistant.accounts.users import UserInfo, UserStore
from assistant.errors import ConfigurationError
from assistant.settings import PLACEHOLDER_SECRETS, Settings
from assistant.types import Principal

logger = logging.getLogger(__name__)

INITIAL_PASSWORD_FILE = "initial-admin-password.txt"


class AccountService:
    """Cheap to construct; ``open()`` loads the unit tree, creates tables, the first admin, and purges old audit."""

    def __init__(self, settings: Settings, *, database: Database | None = None) -> None:
        self.settings = settings
        self.db = database or Database(settings.database_url_value)
        self.tree = UnitTree([])
        self.users = UserStore(self.db, self.tree, min_password_length=settings.min_password_length)
        self.tokens = TokenStore(self.db)
        self.audit = AuditLog(self.db)

    def open(self, *, bootstrap: bool = True) -> None:
        """Ready the store; with ``bootstrap`` also the first admin and the retention purge (server start-up)."""
        self.tree = UnitTree.load(self.settings.units_file)
        self.users.units = self.tree
        self.db.create()
        if bootstrap:
            self.ensure_first_admin()
            purged = self.audit.purge(self.settings.audit_retention_days)
            self.tokens.purge_expired()
            if purged:
                logger.info("purged %d audit events older than %d days", purged, self.settings.audit_retention_days)

    def close(self) -> None:
        self.db.dispose()

    # -- first admin -------------------------------------------------------------------------------
    def ensure_first_admin(self) -> bool:
        """Create the admin from settings when no enabled admin exists; True when one was created.

        The password comes from ``ASSISTANT_ADMIN_PASSWORD``. An empty, placeholder or too short one is refused
        (ConfigurationError) outside ``environment=development``; in development a random password is generated
        and written to ``<data_dir>/initial-admin-password.txt`` (mode 0600) — the log names the file, never the
        password. The setting is read only here: later changes go through ``assistant users password``.
        """
        if self.users.any_admin():
            return False
        s = self.settings
        password = s.admin_password.get_secret_value()
        weak = password.strip().lower() in PLACEHOLDER_SECRETS or len(password) < s.min_password_length
        if weak and s.environment != "development":
            raise ConfigurationError(
                f"Chưa có tài khoản quản trị và ASSISTANT_ADMIN_PASSWORD đang trống, là mật khẩu mẫu, hoặc ngắn hơn "
                f"{s.min_password_length} ký tự (môi trường '{s.environment}'). Đặt một mật khẩu mạnh cho "
                "ASSISTANT_ADMIN_PASSWORD, hoặc tạo quản trị viên bằng `assistant users add TÊN --role admin`."
            )
        if self.users.get(s.admin_username) is not None:
            raise ConfigurationError(
                f"Tài khoản '{s.admin_username}' đã có nhưng không phải quản trị viên đang hoạt động; đặt "
                "ASSISTANT_ADMIN_USERNAME khác hoặc tạo quản trị viên bằng `assistant users add`."
            )
        if weak:
            password = new_password()
            where = self._write_initial_password(password)
            logger.warning(
                "development: created admin '%s' with a random password written to %s; change it with "
                "`assistant users password %s --password-stdin`",
                s.admin_username,
                where,
                s.admin_username,
            )
        user = self.users.add(s.admin_username, roles=["admin"], display_name="Quản trị viên", password=password)
        self.audit.record("system", Action.USER_ADD, {"username": user.username, "roles": list(user.roles)})
        return True

    def _write_initial_password(self, password: str) -> Path:
        path = self.settings.data_dir / INITIAL_PASSWORD_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        return path

    # -- authentication ----------------------------------------------------------------------------
    def principal_of(self, user: UserInfo) -> Principal:
        """The Principal of an account, its unit scope expanded down the unit tree."""
        return Principal(
            user_id=user.username,
            units=frozenset(user.units),
            roles=frozenset(user.roles),
            unit_scope=self.tree.expand(user.units),
        )

    def login(self, username: str, password: str, *, client: str = "") -> IssuedToken:
        """A new token for valid credentials; InvalidCredentials otherwise. Both outcomes are audited."""
        user = self.users.authenticate(username, password)
        name = username.strip().lower()[:64]
        if user is None:
            self.audit.record(name or "-", Action.LOGIN_FAILED, {"client": client})
            raise InvalidCredentials()
        issued = self.tokens.issue(user, ttl_hours=self.settings.token_ttl_hours)
        self.audit.record(user.username, Action.LOGIN, {"client": client, "expires": issued.expires_at})
        return issued

    def authenticate_token(self, token: str) -> UserInfo:
        user = self.tokens.resolve(token)
        if user is None:
            raise InvalidToken()
        return user
