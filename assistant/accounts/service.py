"""The accounts service: opens the store, creates the first admin, logs in, and turns tokens into Principals."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from assistant.accounts.audit import Action, AuditLog
from assistant.accounts.credentials import new_password
from assistant.accounts.db import Database
from assistant.accounts.directory_map import DirectoryIdentity, DirectoryMap
from assistant.accounts.errors import AccountError, DirectoryAccessDenied, InvalidCredentials, InvalidToken
from assistant.accounts.ldap_login import LdapDirectory
from assistant.accounts.oidc import OidcLogin
from assistant.accounts.password_policy import PasswordPolicy, WeakPassword
from assistant.accounts.tokens import IssuedToken, TokenStore
from assistant.accounts.units import UnitTree
from assistant.accounts.users import UserInfo, UserStore
from assistant.errors import ConfigurationError
from assistant.settings import PLACEHOLDER_SECRETS, Settings
from assistant.types import Principal

logger = logging.getLogger(__name__)

INITIAL_PASSWORD_FILE = "initial-admin-password.txt"
ADMIN_DISPLAY_NAME = "Quản trị viên"


class AccountService:
    """Cheap to construct; ``open()`` loads the unit tree, creates tables, the first admin, and purges old audit."""

    def __init__(self, settings: Settings, *, database: Database | None = None) -> None:
        self.settings = settings
        self.db = database or Database(settings.database_url_value)
        self.tree = UnitTree([])
        self.policy = PasswordPolicy(min_length=settings.min_password_length, min_score=settings.password_min_score)
        self.users = UserStore(self.db, self.tree, policy=self.policy)
        self.tokens = TokenStore(self.db)
        self.audit = AuditLog(self.db)
        self.directory_map: DirectoryMap | None = None
        self.ldap = LdapDirectory(settings) if settings.ldap_url else None
        self.oidc = OidcLogin(settings) if settings.oidc_issuer else None

    def open(self, *, bootstrap: bool = True) -> None:
        """Ready the store; with ``bootstrap`` also the first admin and the retention purge (server start-up)."""
        self.tree = UnitTree.load(self.settings.units_file)
        self.users.units = self.tree
        if self.settings.directory_map_file is not None:
            self.directory_map = DirectoryMap.load(self.settings.directory_map_file, self.tree)
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

        The password comes from ``ASSISTANT_ADMIN_PASSWORD`` and must pass the password policy (length, strength
        estimate, common-password lists) and not be a placeholder; a weak one is refused (ConfigurationError, one
        line) outside ``environment=development``; in development a random password is generated and written to
        ``<data_dir>/initial-admin-password.txt`` (mode 0600) — the log names the file, never the password. The
        setting is read only here: later changes go through ``assistant users password``.
        """
        if self.users.any_admin():
            return False
        s = self.settings
        password = s.admin_password.get_secret_value()
        problem = "trống hoặc là mật khẩu mẫu" if password.strip().lower() in PLACEHOLDER_SECRETS else ""
        if not problem:
            try:
                self.users.check_password(password, username=s.admin_username, display_name=ADMIN_DISPLAY_NAME)
            except WeakPassword as exc:
                problem = f"không đạt chính sách mật khẩu: {exc}"
        if problem and s.environment != "development":
            raise ConfigurationError(
                f"Chưa có tài khoản quản trị và ASSISTANT_ADMIN_PASSWORD {problem} (môi trường '{s.environment}'). "
                "Đặt một mật khẩu mạnh cho ASSISTANT_ADMIN_PASSWORD, hoặc tạo quản trị viên bằng "
                "`assistant users add TÊN --role admin`."
            )
        if self.users.get(s.admin_username) is not None:
            raise ConfigurationError(
                f"Tài khoản '{s.admin_username}' đã có nhưng không phải quản trị viên đang hoạt động; đặt "
                "ASSISTANT_ADMIN_USERNAME khác hoặc tạo quản trị viên bằng `assistant users add`."
            )
        if problem:
            password = new_password()
            where = self._write_initial_password(password)
            logger.warning(
                "development: created admin '%s' with a random password written to %s; change it with "
                "`assistant users password %s --password-stdin`",
                s.admin_username,
                where,
                s.admin_username,
            )
        user = self.users.add(s.admin_username, roles=["admin"], display_name=ADMIN_DISPLAY_NAME, password=password)
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
        """A new token for valid credentials: a local account first, then LDAP when it is configured.
        InvalidCredentials otherwise; every outcome is audited."""
        user = self.users.authenticate(username, password)
        name = username.strip().lower()[:64]
        if user is None and self.ldap is not None and not self.users.has_local_password(name):
            identity = self.ldap.authenticate(username, password)
            if identity is not None:
                return self.login_directory(identity, client=client)
        if user is None:
            self.audit.record(name or "-", Action.LOGIN_FAILED, {"client": client})
            raise InvalidCredentials()
        issued = self.tokens.issue(user, ttl_hours=self.settings.token_ttl_hours)
        self.audit.record(user.username, Action.LOGIN, {"client": client, "expires": issued.expires_at})
        return issued

    def login_directory(self, identity: DirectoryIdentity, *, client: str = "") -> IssuedToken:
        """A token for a person the directory vouched for: refused when the directory disabled them, when no
        mapped group gives them a role (403), or when the name is a local account; otherwise their local record
        is created or updated with the mapped units and roles (no local password)."""
        detail = {"client": client, "source": identity.source}
        grant = self.directory_map.resolve(identity.groups) if self.directory_map is not None else None
        reason = "disabled in the directory" if identity.disabled else "" if grant is not None else "no mapped group"
        user = None
        if grant is not None and not identity.disabled:
            try:
                user = self.users.sync_directory_account(
                    identity.username, display_name=identity.display_name, roles=grant.roles, units=grant.units
                )
            except AccountError as exc:
                logger.warning("directory login of %s refused: %s", identity.username, exc)
                reason = "name taken by a local account or unusable"
            if user is not None and user.disabled:
                reason, user = "disabled locally", None
        if user is None:
            self.audit.record(identity.username[:64] or "-", Action.LOGIN_FAILED, {**detail, "reason": reason})
            if reason == "no mapped group":
                raise DirectoryAccessDenied()
            raise InvalidCredentials()
        issued = self.tokens.issue(user, ttl_hours=self.settings.token_ttl_hours)
        self.audit.record(user.username, Action.LOGIN, {**detail, "expires": issued.expires_at})
        return issued

    def authenticate_token(self, token: str) -> UserInfo:
        user = self.tokens.resolve(token)
        if user is None:
            raise InvalidToken()
        return user
