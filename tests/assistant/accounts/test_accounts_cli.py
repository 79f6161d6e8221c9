"""``assistant users …`` and ``assistant audit …`` configured only through ASSISTANT_* variables."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.accounts.service import AccountService
from assistant.cli import main
from assistant.settings import Settings

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    for name in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)

    def run_cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run_cli


def store(tmp_path: Path) -> AccountService:
    accounts = AccountService(Settings(_env_file=None, data_dir=tmp_path / "data"))  # type: ignore[call-arg]
    accounts.open(bootstrap=False)
    return accounts


def test_users_lifecycle(run: Run, tmp_path: Path) -> None:
    code, out, _ = run("users", "add", "lan.nt", "--role", "staff", "--unit", "STTTT", "--password-stdin",
                       stdin="mat-khau-cua-lan\n")  # fmt: skip
    assert code == 0 and "Đã tạo tài khoản lan.nt" in out and "Mật khẩu tạm thời" not in out
    code, out, _ = run("users", "add", "hoa", "--role", "inspector", "--role", "trainer")
    generated = out.split("(chỉ hiện một lần): ")[1].strip()
    assert code == 0 and len(generated) >= 20

    code, out, _ = run("users", "list", "--json")
    users = {u["username"]: u for u in json.loads(out)}
    assert users["lan.nt"]["units"] == ["STTTT"] and users["hoa"]["roles"] == ["inspector", "trainer"]

    code, token, err = run("users", "token", "lan.nt", "--ttl-hours", "2")
    token = token.strip()
    assert code == 0 and token.startswith("tlcs_") and "chỉ hiện một lần" in err
    accounts = store(tmp_path)
    assert accounts.authenticate_token(token).username == "lan.nt"
    assert accounts.users.authenticate("hoa", generated) is not None

    code, out, _ = run("users", "revoke-tokens", "lan.nt")
    assert code == 0 and "thu hồi 1 mã" in out
    assert accounts.tokens.resolve(token) is None

    assert run("users", "disable", "hoa")[0] == 0
    assert accounts.users.authenticate("hoa", generated) is None
    assert run("users", "enable", "hoa")[0] == 0
    assert run("users", "password", "hoa", "--password-stdin", stdin="mat-khau-moi-cua-hoa\n")[0] == 0
    assert accounts.users.authenticate("hoa", "mat-khau-moi-cua-hoa") is not None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("users", "add", "x1", "--role", "staff", "--unit", "KHONG-CO"), "KHONG-CO"),
        (("users", "token", "khong-co"), "Không có tài khoản"),
        (("users", "disable", "khong-co"), "Không có tài khoản"),
    ],
)
def test_user_errors_are_messages_with_exit_code_2(run: Run, argv: tuple[str, ...], message: str) -> None:
    code, _, err = run(*argv)
    assert code == 2 and message in err


def test_audit_export_and_purge(run: Run, tmp_path: Path) -> None:
    run("users", "add", "lan", "--role", "staff", "--password-stdin", stdin="mat-khau-cua-lan\n")
    code, out, _ = run("audit", "export", "--since", "2020-01-01", "--out", str(tmp_path / "audit.jsonl"))
    assert code == 0 and "1 sự kiện" in out
    [event] = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert event["action"] == "admin.user.add" and event["user"].startswith("cli")
    assert "mat-khau-cua-lan" not in json.dumps(event)
    code, out, _ = run("audit", "purge", "--days", "30")
    assert code == 0 and "Đã xóa 0 sự kiện" in out
    with pytest.raises(SystemExit):
        run("audit", "export", "--since", "hôm qua", "--out", "x.jsonl")
