"""Undo over HTTP: a removal goes to the trash (who, when, why) and comes back with its access rules; index
versions are listed and rolled back (audited, served at once); a backup downloads and restores. Every one of these
routes is admin-only and tells a non-admin nothing — not even whether a hidden document is in the trash."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from auth_support import accounts_of, bearer
from fastapi.testclient import TestClient
from leak_support import assert_clean, probe_hidden_document

from assistant.accounts.backup import restore_backup
from assistant.settings import Settings

UNIT_DOC = "kh-77-stttt"
TELLTALES = ["kh-77-stttt", "77/KH-STTTT", "SAO-BANG", "máy chủ tầng 3", "Ứng cứu sự cố", "14 tháng 9"]
QUERIES = ["Ứng cứu sự cố an toàn thông tin năm 2025", "77/KH-STTTT", "Đội ứng cứu mang mật danh SAO-BANG-09"]
FORBIDDEN = {"code": "forbidden", "message": "Chức năng này chỉ dành cho quản trị viên (vai trò 'admin')."}


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=False, rate_limit_user_per_minute=0, rate_limit_ip_per_minute=0)


def actions(client: TestClient) -> list[tuple[str, str]]:
    return [(e["user"], e["action"]) for e in accounts_of(client).audit.events()]


def undo_requests(doc_id: str) -> list[tuple[str, str, dict[str, object] | None]]:
    return [
        ("GET", "/v1/trash", None),
        ("POST", f"/v1/trash/{doc_id}/restore", None),
        ("POST", "/v1/trash/purge", None),
        ("GET", "/v1/index/versions", None),
        ("POST", "/v1/index/rollback", {"version": "v20250101T000000000000-abcd"}),
        ("POST", "/v1/backup", None),
    ]


def test_remove_to_trash_and_restore_with_access_rules_intact(client: TestClient) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    member = bearer(client, "lan", roles=["staff"], units=["STTTT"])
    outsider = bearer(client, "yte", roles=["staff"], units=["SYT"])
    removed = client.delete(f"/v1/documents/{UNIT_DOC}", params={"reason": "xóa nhầm"}, headers=admin)
    assert removed.status_code == 200 and removed.json()["removed"] == [UNIT_DOC]
    assert client.get(f"/v1/documents/{UNIT_DOC}", headers=member).status_code == 404

    trash = client.get("/v1/trash", headers=admin).json()
    assert trash["retention_days"] == 30
    [entry] = trash["entries"]
    assert (entry["doc_id"], entry["removed_by"], entry["reason"], entry["visibility"], entry["unit"]) == (
        UNIT_DOC, "quan-tri", "xóa nhầm", "unit", "STTTT",
    )  # fmt: skip

    restored = client.post(f"/v1/trash/{UNIT_DOC}/restore", headers=admin)
    assert restored.status_code == 200, restored.text
    assert restored.json()["restored"] == UNIT_DOC and restored.json()["embedded"] == 0
    assert client.get(f"/v1/documents/{UNIT_DOC}", headers=member).status_code == 200
    assert client.get(f"/v1/documents/{UNIT_DOC}/source", headers=member).status_code == 200
    issuer = "Sở Thông tin và Truyền thông"
    probe_hidden_document(client, outsider, UNIT_DOC, QUERIES, TELLTALES, doc_type="Kế hoạch", issuer=issuer)
    assert client.get("/v1/trash", headers=admin).json()["entries"] == []
    again = client.post(f"/v1/trash/{UNIT_DOC}/restore", headers=admin)
    assert again.status_code == 404 and "thùng rác" in again.json()["error"]["message"]
    assert ("quan-tri", "admin.document.remove") in actions(client)
    assert ("quan-tri", "admin.document.restore") in actions(client)
    assert client.post("/v1/trash/purge", headers=admin).json() == {"purged": []}


def test_versions_and_rollback_are_served_at_once_and_audited(client: TestClient) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    first = client.get("/v1/index/versions", headers=admin).json()
    assert first["keep"] == 3 and [v["current"] for v in first["versions"]] == [True]
    original = first["versions"][0]
    assert original["documents"] == 3 and original["chunks"] > 0
    client.delete("/v1/documents/qd-30-2025", headers=admin)
    listed = client.get("/v1/index/versions", headers=admin).json()["versions"]
    assert [v["documents"] for v in listed] == [3, 2] and listed[-1]["current"]

    rolled = client.post("/v1/index/rollback", json={"version": original["version"]}, headers=admin)
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["rolled_back_from"] == original["version"]
    assert client.get("/v1/documents/qd-30-2025", headers=admin).status_code == 200  # served by this process now
    listed = client.get("/v1/index/versions", headers=admin).json()["versions"]
    assert listed[-1] == {**listed[-1], "current": True, "documents": 3, "rolled_back_from": original["version"]}
    assert ("quan-tri", "admin.index.rollback") in actions(client)

    unknown = client.post("/v1/index/rollback", json={"version": "v-khong-co"}, headers=admin)
    assert unknown.status_code == 422 and "assistant index versions" in unknown.json()["error"]["message"]


def test_backup_downloads_an_archive_that_restores(client: TestClient, settings: Settings, tmp_path: Path) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    response = client.post("/v1/backup", headers=admin)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gzip"
    assert 'filename="tro-ly-sao-luu-' in response.headers["content-disposition"]
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(response.content)
    with tarfile.open(archive) as tar:
        assert "backup/manifest.json" in tar.getnames()
    restored = settings.model_copy(update={"data_dir": tmp_path / "restored"})
    manifest = restore_backup(archive, restored)
    assert manifest["index"]["documents"] == 3 and manifest["restored_tables"]["users"] >= 2
    assert ("quan-tri", "admin.backup") in actions(client)


@pytest.mark.parametrize("role", ["staff", "trainer", "inspector", "evaluator"])
def test_undo_routes_reveal_nothing_to_non_admins(client: TestClient, role: str) -> None:
    """A unit-only document in the trash: for a non-admin every undo route answers the same 403 for it and for an
    id that was never there, and no body carries anything of it; nothing is restored, rolled back or written."""
    admin = bearer(client, "quan-tri", roles=["admin"])
    client.delete(f"/v1/documents/{UNIT_DOC}", params={"reason": "kiểm thử"}, headers=admin)
    before = client.get("/v1/index/versions", headers=admin).json()
    headers = bearer(client, f"nguoi-{role}", roles=[role], units=["SYT"])
    for doc_id in (UNIT_DOC, "khong-co-van-ban"):
        for method, path, body in undo_requests(doc_id):
            response = client.request(method, path, json=body, headers=headers)
            assert response.status_code == 403, (method, path, response.text)
            assert response.json()["error"] == FORBIDDEN
            assert_clean(response.text, TELLTALES, f"{method} {path}")
    assert client.get("/v1/index/versions", headers=admin).json() == before
    assert [e["doc_id"] for e in client.get("/v1/trash", headers=admin).json()["entries"]] == [UNIT_DOC]
    assert not any(action.startswith("admin.") for user, action in actions(client) if user == f"nguoi-{role}")
