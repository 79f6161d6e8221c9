"""The first admin comes from settings; weak passwords are refused outside development."""

from __future__ import annotations

import logging
import os
import stat

import pytest
from pydantic import SecretStr

from assistant.accounts.service import INITIAL_PASSWORD_FILE, AccountService
from assistant.errors import ConfigurationError
from assistant.settings import Settings


def service(settings: Settings, **changes: object) -> AccountService:
    accounts = AccountService(settings.model_copy(update=changes))
    accounts.open(bootstrap=False)
    return accounts


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize("password", ["", "changeme", "admin", "password", "  ", "short-9ch"])
def test_weak_admin_password_is_refused_outside_development(
    account_settings: Settings, environment: str, password: str
) -> None:
    accounts = service(account_settings, environment=environment, admin_password=SecretStr(password))
    with pytest.raises(ConfigurationError, match="ASSISTANT_ADMIN_PASSWORD"):
        accounts.ensure_first_admin()
    assert accounts.users.list() == []


def test_a_strong_password_creates_the_admin_once(account_settings: Settings) -> None:
    accounts = service(
        account_settings,
        environment="production",
        admin_username="quantri",
        admin_password=SecretStr("Mạnh-và-dài-2025"),
    )
    assert accounts.ensure_first_admin() is True
    admin = accounts.users.authenticate("quantri", "Mạnh-và-dài-2025")
    assert admin is not None and admin.roles == ("admin",)
    assert accounts.ensure_first_admin() is False
    assert len(accounts.users.list()) == 1
    events = list(accounts.audit.events())
    assert [e["action"] for e in events] == ["admin.user.add"]
    assert "Mạnh-và-dài-2025" not in str(events)


def test_an_existing_admin_makes_the_setting_unnecessary(account_settings: Settings) -> None:
    accounts = service(account_settings, environment="production", admin_password=SecretStr(""))
    accounts.users.add("nguoi-qt", roles=["admin"], password="mat-khau-rat-dai")
    assert accounts.ensure_first_admin() is False


def test_a_non_admin_account_with_the_admin_name_is_not_promoted(account_settings: Settings) -> None:
    accounts = service(account_settings, environment="production", admin_password=SecretStr("Mạnh-và-dài-2025"))
    accounts.users.add("admin", roles=["staff"], password="mat-khau-rat-dai")
    with pytest.raises(ConfigurationError, match="không phải quản trị viên"):
        accounts.ensure_first_admin()
    assert accounts.users.require("admin").roles == ("staff",)


def test_development_generates_a_password_into_a_private_file_never_the_log(
    account_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    accounts = service(account_settings, environment="development", admin_password=SecretStr(""))
    with caplog.at_level(logging.DEBUG):
        assert accounts.ensure_first_admin() is True
    secret_file = account_settings.data_dir / INITIAL_PASSWORD_FILE
    password = secret_file.read_text(encoding="utf-8").strip()
    assert len(password) >= 20
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert accounts.users.authenticate("admin", password) is not None
    assert password not in caplog.text
    assert INITIAL_PASSWORD_FILE in caplog.text
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_startup_opens_the_store_creates_the_admin_and_purges_old_audit(account_settings: Settings) -> None:
    accounts = AccountService(account_settings)  # the conftest settings carry a strong admin password
    accounts.open()
    assert accounts.users.any_admin()
    accounts.open()  # idempotent
    assert len(accounts.users.list()) == 1
