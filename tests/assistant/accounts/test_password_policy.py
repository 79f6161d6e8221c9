"""The password policy (ASVS V2.1 level 2): 12–128 characters, a zxcvbn score of at least 3 with this deployment's
words and the account's own name as user inputs, and one Vietnamese line on refusal — in the store, the first admin,
the CLI and the API."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from auth_support import PASSWORD
from pydantic import SecretStr

from assistant.accounts.errors import AccountError
from assistant.accounts.password_policy import PasswordPolicy, WeakPassword
from assistant.accounts.service import AccountService
from assistant.cli import main
from assistant.errors import ConfigurationError
from assistant.settings import Settings

POLICY = PasswordPolicy()


@pytest.mark.parametrize(
    ("password", "user_inputs", "why"),
    [
        ("aaaaaaaaaa", (), "ít nhất 12 ký tự (mật khẩu này có 10)"),
        ("aaaaaaaaaaaa", (), "lặp lại ký tự"),
        ("abcdefghijklmn", (), "dãy ký tự liên tiếp"),
        ("qwertyuiop123", (), "mật khẩu phổ biến hoặc đã bị lộ"),
        ("password1234", (), "mật khẩu phổ biến hoặc đã bị lộ"),
        ("langson2025!", (), "địa danh"),
        ("matkhau123456", (), "địa danh, tên hệ thống"),
        ("nguyenthilan1990", ("lan.nt", "Nguyễn Thị Lan"), "tên đăng nhập"),
        ("x" * 129, (), "dài quá 128 ký tự"),
        ("é" * 12, (), "lặp lại ký tự"),
    ],
)
def test_weak_passwords_are_refused_with_one_line(password: str, user_inputs: tuple[str, ...], why: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        POLICY.check(password, user_inputs=user_inputs)
    message = str(refused.value)
    assert why in message and "\n" not in message
    assert "Hãy dùng" in message or "hãy dùng" in message


@pytest.mark.parametrize(
    "password", [PASSWORD, "test-admin-password", "ca-phe-nui-may-bay-47", "Mạnh-và-dài-2025", "x7#Kq!m2Zr9@Lw"]
)
def test_strong_passwords_of_any_composition_pass(password: str) -> None:
    assert POLICY.check(password) == password


def test_limits_are_checked_at_construction() -> None:
    with pytest.raises(ValueError, match="min_length"):
        PasswordPolicy(min_length=10)
    with pytest.raises(ValueError, match="min_score"):
        PasswordPolicy(min_score=2)
    with pytest.raises(ValueError):
        Settings(_env_file=None, min_password_length=10)  # type: ignore[call-arg]


def test_the_store_checks_new_and_changed_passwords(accounts: AccountService) -> None:
    with pytest.raises(AccountError, match="lặp lại"):
        accounts.users.add("lan", roles=["staff"], password="aaaaaaaaaaaa")
    assert POLICY.check("nguyenthilan1990")  # strong enough for someone else ...
    accounts.users.add("lan.nt", roles=["staff"], units=["SXD"], display_name="Nguyễn Thị Lan", password=PASSWORD)
    with pytest.raises(AccountError, match="ít nhất 12"):
        accounts.users.set_password("lan.nt", "aaaaaaaaaa")
    with pytest.raises(AccountError, match="tên đăng nhập, tên người"):  # ... but not for Nguyễn Thị Lan
        accounts.users.set_password("lan.nt", "nguyenthilan1990")
    assert accounts.users.authenticate("lan.nt", PASSWORD) is not None


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "aaaaaaaaaaaa", "admin1234567", "langson2025!"])
def test_a_weak_first_admin_password_stops_production_with_one_line(account_settings: Settings, password: str) -> None:
    settings = account_settings.model_copy(update={"environment": "production", "admin_password": SecretStr(password)})
    accounts = AccountService(settings)
    accounts.open(bootstrap=False)
    with pytest.raises(ConfigurationError, match="ASSISTANT_ADMIN_PASSWORD không đạt chính sách") as refused:
        accounts.ensure_first_admin()
    assert "\n" not in str(refused.value) and password not in str(refused.value)
    assert accounts.users.list() == []


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("command", [("users", "add", "lan", "--role", "staff"), ("users", "password", "lan")])
def test_the_cli_refuses_a_weak_password_with_exit_2_and_one_line(
    command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if command[1] == "password":
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["users", "add", "lan", "--role", "staff", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("aaaaaaaaaa\n"))
    capsys.readouterr()
    assert main([*command, "--password-stdin"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("Lỗi: Mật khẩu phải dài ít nhất 12 ký tự") and err.count("\n") == 1
    assert "Traceback" not in out + err
