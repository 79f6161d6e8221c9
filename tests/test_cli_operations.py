"""``assistant trash``, ``assistant index``, ``assistant backup`` and ``assistant restore``: a removal undone from
the shell, a rollback, a backup restored onto a fresh folder and refused on a used one; each audited as the CLI user."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.accounts.service import AccountService
from assistant.cli import main
from assistant.settings import Settings

Run = Callable[..., tuple[int, str, str]]
URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    data = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("ASSISTANT_ABSTAIN_THRESHOLD", "0.2")
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture
def run(data_dir: Path, capsys: pytest.CaptureFixture[str], shelf: Path) -> Run:
    def run_cli(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    assert run_cli("ingest", str(shelf), "--no-progress")[0] == 0
    return run_cli


def audit_actions(data_dir: Path) -> list[str]:
    accounts = AccountService(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    accounts.open(bootstrap=False)
    try:
        return [e["action"] for e in accounts.audit.events()]
    finally:
        accounts.close()


def test_remove_list_restore(run: Run, data_dir: Path) -> None:
    assert run("remove", "kh-77-stttt", "--reason", "xóa nhầm")[0] == 0
    code, out, _ = run("trash", "list")
    assert code == 0 and out.startswith("kh-77-stttt") and "lý do: xóa nhầm" in out and "bởi cli:" in out
    [entry] = json.loads(run("trash", "list", "--json")[1])
    assert entry["visibility"] == "unit" and entry["unit"] == "STTTT"
    code, out, _ = run("trash", "restore", "kh-77-stttt")
    assert code == 0 and out.startswith("Đã khôi phục kh-77-stttt") and "nhúng lại 0" in out
    _, member, _ = run("ask", "Đội ứng cứu mang mật danh gì?", "--unit", "STTTT")
    assert "SAO-BANG-09" in member
    _, outsider, _ = run("ask", "Đội ứng cứu mang mật danh gì?", "--unit", "SYT")
    assert "SAO-BANG-09" not in outsider  # the unit-only rule came back with it
    code, _, err = run("trash", "restore", "kh-77-stttt")
    assert code == 2 and "không có văn bản 'kh-77-stttt' trong thùng rác" in err.lower()
    assert run("trash", "purge")[1].startswith("Đã xóa hẳn 0 văn bản")
    assert audit_actions(data_dir) == ["admin.document.remove", "admin.document.restore", "admin.trash.purge"]


def test_versions_and_rollback(run: Run, data_dir: Path) -> None:
    run("remove", "qd-30-2025")
    versions = json.loads(run("index", "versions", "--json")[1])
    assert [(v["documents"], v["current"]) for v in versions] == [(3, False), (2, True)]
    code, out, _ = run("index", "rollback", versions[0]["version"])
    assert code == 0 and "Đã xuất bản lại" in out
    _, listing, _ = run("index", "versions")
    assert listing.splitlines()[-1].startswith("* ") and f"(quay lại {versions[0]['version']})" in listing
    _, docs, _ = run("documents", "--role", "admin")
    assert "qd-30-2025" in docs
    code, _, err = run("index", "rollback", "v-khong-co")
    assert code == 2 and "assistant index versions" in err
    assert run("index", "gc")[0] == 0
    assert "admin.index.rollback" in audit_actions(data_dir)


def test_backup_then_restore_onto_an_empty_folder_only(
    run: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run("backup", str(tmp_path / "sao-luu.tar.gz"))
    assert code == 0 and out.startswith(f"Đã sao lưu vào {tmp_path / 'sao-luu.tar.gz'}") and "3 văn bản" in out
    code, out, _ = run("restore", str(tmp_path / "sao-luu.tar.gz"), "--data-dir", str(tmp_path / "moi"))
    assert code == 0 and "Đã khôi phục bản sao lưu" in out and "(3 văn bản)" in out
    code, _, err = run("restore", str(tmp_path / "sao-luu.tar.gz"), "--data-dir", str(data_dir))
    assert code == 2 and "không trống" in err
    _, before, _ = run("ask", URGENT)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "moi"))
    _, after, _ = run("ask", URGENT)
    assert after == before
    assert audit_actions(tmp_path / "moi") == ["admin.restore"]  # the backup's own event came after it
    assert audit_actions(data_dir) == ["admin.backup"]
