"""The admin undo client and tab handlers against a stand-in of the admin routes (httpx.MockTransport): removal with
a reason, the trash, restore, purge, index versions, rollback, backup; and ingest warnings in the job status."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from assistant.api.account_schemas import JobOut
from assistant.api.job_store import JobInfo
from ui.admin import DocumentsTab, _apply_job, _FileRow, progress_html
from ui.admin_undo import RecoveryTab, trash_table, versions_table
from ui.client import ApiClient, ApiError
from ui.models import Job, Session, User

ADMIN = Session(token="tok", user=User("quan-tri", roles=("admin",)))
ENTRY = {
    "entry_id": "e1", "doc_id": "ke-hoach-45", "title": "Kế hoạch Ngày hội chuyển đổi số", "number": "45/KH-UBND",
    "unit": "VQ", "visibility": "public", "removed_by": "quan-tri", "removed_at": "2026-03-01T08:15:30+00:00",
    "reason": "Ban hành nhầm", "from_version": "v-0003", "chunks": 4, "expires_at": "2026-03-31T08:15:30+00:00",
}  # fmt: skip
VERSIONS = {
    "keep": 5,
    "versions": [
        {"version": "v-0001", "created": "2026-02-01T07:00:00", "documents": 11, "chunks": 90, "current": False,
         "rolled_back_from": ""},
        {"version": "v-0002", "created": "2026-03-01T08:15:31", "documents": 10, "chunks": 86, "current": True,
         "rolled_back_from": ""},
    ],
}  # fmt: skip


class FakeApi:
    """Records the requests; answers each with ``routes[(method, path)]`` (a body, or a callable of the request)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Any] = {
            ("GET", "/v1/trash"): {"retention_days": 30, "entries": [ENTRY]},
            ("GET", "/v1/index/versions"): VERSIONS,
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get((request.method, request.url.path))
        if answer is None:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "Không có."}})
        return answer(request) if callable(answer) else httpx.Response(200, json=answer)

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if (r.method, r.url.path) == (method, path)]


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def client(api: FakeApi) -> ApiClient:
    return ApiClient(httpx.Client(transport=httpx.MockTransport(api), base_url="http://api.test"))


# -- client ------------------------------------------------------------------------------------------------
def test_remove_sends_the_reason(api: FakeApi, client: ApiClient) -> None:
    api.routes[("DELETE", "/v1/documents/ke-hoach-45")] = {"removed": ["ke-hoach-45"], "version": "v-0002"}
    assert client.remove("tok", "ke-hoach-45", reason="Ban hành nhầm") == ["ke-hoach-45"]
    sent = api.requests[-1]
    assert parse_qs(sent.url.query.decode()) == {"reason": ["Ban hành nhầm"]}
    assert sent.headers["authorization"] == "Bearer tok"


def test_trash_and_versions_are_typed(client: ApiClient) -> None:
    trash = client.trash("tok")
    assert trash.retention_days == 30
    (entry,) = trash.entries
    assert (entry.doc_id, entry.number, entry.removed_by, entry.reason, entry.chunks) == (
        "ke-hoach-45", "45/KH-UBND", "quan-tri", "Ban hành nhầm", 4,
    )  # fmt: skip
    keep, versions = client.index_versions("tok")
    assert keep == 5 and [(v.version, v.current) for v in versions] == [("v-0001", False), ("v-0002", True)]


def test_restore_purge_rollback(api: FakeApi, client: ApiClient) -> None:
    api.routes[("POST", "/v1/trash/ke-hoach-45/restore")] = {
        "restored": "ke-hoach-45", "version": "v-0003", "chunks": 4, "embedded": 0,
    }  # fmt: skip
    api.routes[("POST", "/v1/trash/purge")] = {"purged": ["cu-1", "cu-2"]}
    api.routes[("POST", "/v1/index/rollback")] = {"version": "v-0004", "rolled_back_from": "v-0003"}

    done = client.restore("tok", "ke-hoach-45")
    assert (done.doc_id, done.version, done.chunks, done.embedded) == ("ke-hoach-45", "v-0003", 4, 0)
    assert client.purge_trash("tok") == ["cu-1", "cu-2"]
    assert client.rollback("tok", "v-0001") == "v-0004"
    assert json.loads(api.requests[-1].content) == {"version": "v-0001"}


def test_backup_is_a_download_with_the_suggested_name(api: FakeApi, client: ApiClient) -> None:
    headers = {"content-type": "application/gzip", "content-disposition": 'attachment; filename="sao-luu-1.tar.gz"'}
    api.routes[("POST", "/v1/backup")] = lambda r: httpx.Response(200, content=b"\x1f\x8bdata", headers=headers)
    archive = client.backup("tok")
    assert (archive.filename, archive.media_type, archive.content) == (
        "sao-luu-1.tar.gz", "application/gzip", b"\x1f\x8bdata",
    )  # fmt: skip


def test_an_api_error_keeps_its_message(api: FakeApi, client: ApiClient) -> None:
    api.routes[("POST", "/v1/trash/x/restore")] = lambda r: httpx.Response(
        422, json={"error": {"code": "trash_conflict", "message": "Văn bản đã có lại trong kho."}}
    )
    with pytest.raises(ApiError) as caught:
        client.restore("tok", "x")
    assert (caught.value.code, caught.value.status) == ("trash_conflict", 422)


# -- job warnings ----------------------------------------------------------------------------------------------
def test_job_out_carries_the_ingest_warnings_and_files() -> None:
    now = dt.datetime(2026, 3, 1, 8, 0)
    warning = "quan hệ 'thay thế' trỏ tới văn bản không có trong kho: qd-99"
    result = {
        "ingested": ["ke-hoach-45"], "replaced": [], "failed": [], "version": "v-0002", "warnings": [warning],
        "files": [{"path": "kh.md", "doc_id": "ke-hoach-45", "status": "ingested", "reason": "",
                   "warnings": [warning], "chunks": 3}],
    }  # fmt: skip
    out = JobOut.from_core(JobInfo("j1", "quan-tri", "kh.md", "done", now, now, result))
    assert out.warnings == [warning]
    assert [(f.path, f.status, f.chunks, f.warnings) for f in out.files] == [("kh.md", "ingested", 3, [warning])]
    assert JobOut.from_core(JobInfo("j2", "quan-tri", "a.md", "queued", now, None)).warnings == []

    job = Job.from_api(out.model_dump(mode="json"))
    row = _FileRow("kh.md", "running")
    _apply_job(row, job, "vi")
    html = progress_html([row], "vi")
    assert "tl-job-done" in html and "lưu ý: quan hệ" in html and "qd-99" in html


# -- handlers ----------------------------------------------------------------------------------------------------
def test_tables_show_the_trash_and_mark_the_current_version(client: ApiClient) -> None:
    trash = trash_table(client.trash("tok").entries, "vi")
    assert trash["headers"][:3] == ["Mã", "Tên văn bản", "Số hiệu"]
    assert trash["data"] == [["ke-hoach-45", "Kế hoạch Ngày hội chuyển đổi số", "45/KH-UBND", "quan-tri",
                              "2026-03-01 08:15", "Ban hành nhầm", "2026-03-31 08:15"]]  # fmt: skip
    _, versions = client.index_versions("tok")
    rows = versions_table(versions, "vi")["data"]
    assert [r[0] for r in rows] == ["v-0002", "v-0001"]  # newest first
    assert rows[0][4] == "● đang dùng" and rows[1][4] == ""
    assert trash_table([], "en")["data"] == [[""] * 7]


def test_load_fills_the_lists_and_offers_only_older_versions(client: ApiClient) -> None:
    tab = RecoveryTab(client)
    table, note, entries, versions, versions_note, choice, message = tab.load(ADMIN, "vi")
    assert table["data"][0][0] == "ke-hoach-45"
    assert "30 ngày" in note and "1 mục" in note
    assert entries["choices"] == [("ke-hoach-45 — 45/KH-UBND", "ke-hoach-45")]
    assert "đang dùng: v-0002" in versions_note
    assert choice["choices"] == [("v-0001 (2026-02-01 07:00)", "v-0001")]
    assert message == ""


def test_restore_says_the_new_version_and_that_nothing_was_embedded(api: FakeApi, client: ApiClient) -> None:
    api.routes[("POST", "/v1/trash/ke-hoach-45/restore")] = {
        "restored": "ke-hoach-45", "version": "v-0003", "chunks": 4, "embedded": 0,
    }  # fmt: skip
    tab = RecoveryTab(client)
    assert "Hãy chọn một văn bản" in tab.restore_entry(None, ADMIN, "vi")[-1]
    message = tab.restore_entry("ke-hoach-45", ADMIN, "vi")[-1]
    assert "v-0003" in message and "Không phải nhúng lại" in message
    assert len(api.calls("GET", "/v1/trash")) == 1  # the lists were reloaded


def test_purge_and_rollback_need_the_confirmation(api: FakeApi, client: ApiClient) -> None:
    api.routes[("POST", "/v1/trash/purge")] = {"purged": []}
    api.routes[("POST", "/v1/index/rollback")] = {"version": "v-0003", "rolled_back_from": "v-0002"}
    tab = RecoveryTab(client)
    assert "xác nhận" in tab.purge_trash(False, ADMIN, "vi")[6]
    assert not api.calls("POST", "/v1/trash/purge")
    purged = tab.purge_trash(True, ADMIN, "vi")
    assert "Không có mục nào quá hạn" in purged[6] and purged[7] is False

    assert "Hãy chọn một phiên bản" in tab.roll_back(None, True, ADMIN, "vi")[6]
    assert "xác nhận" in tab.roll_back("v-0001", False, ADMIN, "vi")[6]
    assert not api.calls("POST", "/v1/index/rollback")
    rolled = tab.roll_back("v-0001", True, ADMIN, "vi")
    assert "Đã quay về v-0001" in rolled[6] and "v-0003" in rolled[6]


def test_backup_lands_in_a_file(api: FakeApi, client: ApiClient) -> None:
    headers = {"content-type": "application/gzip", "content-disposition": 'attachment; filename="sao-luu.tar.gz"'}
    api.routes[("POST", "/v1/backup")] = lambda r: httpx.Response(200, content=b"x" * 2048, headers=headers)
    path, message = RecoveryTab(client).download_backup(ADMIN, "vi")
    assert Path(path).name == "sao-luu.tar.gz" and Path(path).read_bytes() == b"x" * 2048
    assert "2 KB" in message


def test_remove_needs_a_reason_and_tells_the_retention(api: FakeApi, client: ApiClient) -> None:
    api.routes[("DELETE", "/v1/documents/ke-hoach-45")] = {"removed": ["ke-hoach-45"], "version": "v-0002"}
    api.routes[("GET", "/v1/documents")] = {"documents": []}
    tab = DocumentsTab(client, poll_seconds=0.1, timeout_seconds=1.0)
    refused = tab.delete("ke-hoach-45", "  ", True, ADMIN, "vi")
    assert "lý do" in refused[4] and not api.calls("DELETE", "/v1/documents/ke-hoach-45")
    done = tab.delete("ke-hoach-45", "Ban hành nhầm", True, ADMIN, "vi")
    assert "thùng rác: ke-hoach-45" in done[4] and "30 ngày" in done[4]
    assert done[5:] == (False, "")
    (sent,) = api.calls("DELETE", "/v1/documents/ke-hoach-45")
    assert parse_qs(sent.url.query.decode()) == {"reason": ["Ban hành nhầm"]}
