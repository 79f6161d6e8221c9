"""Accounts: validation on creation, authentication, disabling, password changes."""

from __future__ import annotations

import pytest

from assistant.accounts.errors import AccountError
from assistant.accounts.service import AccountService
from assistant.accounts.users import RESERVED_USERNAMES

PASSWORD = "mat-khau-du-dai-1"


def test_add_and_authenticate(accounts: AccountService) -> None:
    user = accounts.users.add(
        "Lan.NT", roles=["staff", "trainer"], units=["SXD"], display_name=" Nguyễn Thị Lan ", password=PASSWORD
    )
    assert user.username == "lan.nt"
    assert user.display_name == "Nguyễn Thị Lan"
    assert user.roles == ("staff", "trainer") and user.units == ("SXD",)
    assert accounts.users.authenticate("LAN.NT", PASSWORD) == user
    assert accounts.users.authenticate("lan.nt", PASSWORD + "x") is None
    assert accounts.users.authenticate("khong-co", PASSWORD) is None
    assert [u.username for u in accounts.users.list()] == ["lan.nt"]


@pytest.mark.parametrize(
    ("username", "roles", "units", "password", "message"),
    [
        ("a", ["staff"], [], PASSWORD, "không hợp lệ"),
        ("có-dấu", ["staff"], [], PASSWORD, "không hợp lệ"),
        ("../../etc", ["staff"], [], PASSWORD, "không hợp lệ"),
        ("ok-name", ["root"], [], PASSWORD, "Vai trò không hợp lệ"),
        ("ok-name", [], [], PASSWORD, "ít nhất một vai trò"),
        ("ok-name", ["staff"], ["KHONG-CO"], PASSWORD, "KHONG-CO"),
        ("ok-name", ["staff"], [], "ngan", "ít nhất 12"),
        ("ok-name", ["staff"], [], "aaaaaaaaaaaa", "lặp lại"),
        *[(name, ["staff"], [], PASSWORD, "dành riêng") for name in sorted(RESERVED_USERNAMES)],
    ],
)
def test_invalid_accounts_are_refused(
    accounts: AccountService, username: str, roles: list[str], units: list[str], password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        accounts.users.add(username, roles=roles, units=units, password=password)
    assert accounts.users.list() == []


def test_duplicate_username_is_refused(accounts: AccountService) -> None:
    accounts.users.add("hoa", roles=["staff"], password=PASSWORD)
    with pytest.raises(AccountError, match="đã tồn tại"):
        accounts.users.add("HOA", roles=["admin"], password=PASSWORD)


def test_disabled_accounts_cannot_log_in(accounts: AccountService) -> None:
    accounts.users.add("hoa", roles=["staff"], password=PASSWORD)
    assert accounts.users.set_disabled("hoa").disabled is True
    assert accounts.users.authenticate("hoa", PASSWORD) is None
    assert accounts.users.set_disabled("hoa", False).disabled is False
    assert accounts.users.authenticate("hoa", PASSWORD) is not None


def test_token_only_accounts_have_no_password_login(accounts: AccountService) -> None:
    accounts.users.add("dich-vu", roles=["evaluator"])
    assert accounts.users.authenticate("dich-vu", "") is None
    assert accounts.users.authenticate("dich-vu", PASSWORD) is None


def test_password_change(accounts: AccountService) -> None:
    accounts.users.add("hoa", roles=["staff"], password=PASSWORD)
    accounts.users.set_password("hoa", "mat-khau-moi-12345")
    assert accounts.users.authenticate("hoa", PASSWORD) is None
    assert accounts.users.authenticate("hoa", "mat-khau-moi-12345") is not None
    with pytest.raises(AccountError, match="Không có tài khoản"):
        accounts.users.set_password("khong-co", "mat-khau-moi-12345")


def test_admin_presence(accounts: AccountService) -> None:
    assert not accounts.users.any_admin()
    accounts.users.add("qt", roles=["admin"], password=PASSWORD)
    assert accounts.users.any_admin()
    accounts.users.set_disabled("qt")
    assert not accounts.users.any_admin()
