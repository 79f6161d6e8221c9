"""The UI's API client against the real API app (in-process, offline): typed results, streamed answers, and
errors that say what to do — including when the API is down."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from auth_support import PASSWORD, accounts_of
from fastapi.testclient import TestClient

from ui.client import ApiClient, ApiError
from ui.models import Citations, Delta, Done, Job, Meta, Session
from ui.strings import error_text

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"
NEW_PLAN = """ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN
Số: 45/KH-UBND
KẾ HOẠCH
Tổ chức Ngày hội chuyển đổi số huyện Văn Quan
Điều 1. Thời gian và địa điểm
Ngày hội chuyển đổi số huyện Văn Quan được tổ chức vào ngày 10 tháng 10 hằng năm tại Nhà văn hóa trung tâm huyện.
"""


def add_user(api: TestClient, username: str, roles: tuple[str, ...], units: tuple[str, ...] = ()) -> None:
    accounts_of(api).users.add(username, roles=roles, units=units, password=PASSWORD)


def login(api: TestClient, username: str, roles: tuple[str, ...] = ("staff",), units: tuple[str, ...] = ()) -> Session:
    add_user(api, username, roles, units)
    return ApiClient(api).login(username, PASSWORD)


def test_auth_mode_tells_open_from_login_required(api_app: Callable[..., TestClient]) -> None:
    assert ApiClient(api_app()).auth_mode() == "open"
    assert ApiClient(api_app(allow_anonymous=False)).auth_mode() == "login"


def test_login_me_logout(api_app: Callable[..., TestClient]) -> None:
    api = api_app(allow_anonymous=False)
    client = ApiClient(api)
    session = login(api, "nv-sxd", units=("SXD",))
    assert session.token and session.user is not None
    assert (session.user.username, session.user.roles, session.user.units) == ("nv-sxd", ("staff",), ("SXD",))
    assert not session.is_admin and session.expires_at
    assert client.me(session.token).username == "nv-sxd"

    client.logout(session.token)
    with pytest.raises(ApiError) as caught:
        client.me(session.token)
    assert (caught.value.code, caught.value.status) == ("unauthorized", 401)


def test_wrong_password_gives_the_api_message(api_app: Callable[..., TestClient]) -> None:
    api = api_app(allow_anonymous=False)
    add_user(api, "nv", ("staff",))
    with pytest.raises(ApiError) as caught:
        ApiClient(api).login("nv", "sai-mat-khau-123")
    assert caught.value.code == "unauthorized"
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in caught.value.message


def test_ask_stream_yields_meta_deltas_citations_done(client: ApiClient, api: TestClient) -> None:
    events = list(client.ask_stream(URGENT))
    plain = api.post("/v1/ask", json={"question": URGENT}).json()

    assert isinstance(events[0], Meta) and isinstance(events[-1], Done) and isinstance(events[-2], Citations)
    assert events[0].index_version == plain["index_version"] and events[0].abstained is False
    assert "".join(e.text for e in events if isinstance(e, Delta)) == plain["answer"]
    citations = events[-2].items
    assert [c.chunk_id for c in citations] == [c["chunk_id"] for c in plain["citations"]]
    first = citations[0]
    assert (first.doc_id, first.number, first.status, first.current) == (
        "qd-30-2025",
        "30/2025/QĐ-UBND",
        "in_force",
        True,
    )
    assert first.path and first.snippet and "total_ms" in events[-1].timings


def test_ask_stream_sends_filters_and_history(client: ApiClient) -> None:
    alone = list(client.ask_stream("mấy giờ?"))
    follow_up = list(client.ask_stream("mấy giờ?", history=[URGENT]))
    assert isinstance(alone[0], Meta) and alone[0].abstained
    assert isinstance(follow_up[0], Meta) and not follow_up[0].abstained

    meta = next(iter(client.ask_stream(URGENT, doc_types=["Kế hoạch"])))
    assert isinstance(meta, Meta) and {p["doc_id"] for p in meta.passages} <= {"kh-77-stttt"}
    current = next(iter(client.ask_stream(URGENT, in_force_only=True)))
    assert isinstance(current, Meta) and all(p["current"] for p in current.passages)


def test_stream_errors_arrive_as_api_errors(api_app: Callable[..., TestClient]) -> None:
    closed = ApiClient(api_app(allow_anonymous=False))
    with pytest.raises(ApiError) as caught:
        list(closed.ask_stream(URGENT))
    assert (caught.value.code, caught.value.status) == ("unauthorized", 401)
    with pytest.raises(ApiError) as caught:
        list(ApiClient(api_app()).ask_stream(" "))
    assert caught.value.code == "invalid_request" and "câu hỏi" in caught.value.message


def test_unit_documents_need_the_unit_token(api: TestClient, client: ApiClient) -> None:
    question = "Đội ứng cứu sự cố mang mật danh gì?"
    session = login(api, "nv-stttt", units=("STTTT",))

    def cited(token: str | None) -> set[str]:
        events = list(client.ask_stream(question, token=token))
        return {c.doc_id for e in events if isinstance(e, Citations) for c in e.items}

    assert "kh-77-stttt" in cited(session.token)
    assert "kh-77-stttt" not in cited(None)
    assert {d.doc_id for d in client.documents()} == {"qd-12-2024", "qd-30-2025"}
    assert "kh-77-stttt" in {d.doc_id for d in client.documents(session.token)}


def test_documents_and_source_file(client: ApiClient) -> None:
    docs = {d.doc_id: d for d in client.documents()}
    old = docs["qd-12-2024"]
    assert (old.number, old.doc_type, old.status, old.current) == ("12/2024/QĐ-UBND", "Quyết định", "expired", False)
    assert old.status_label == "hết hiệu lực toàn bộ" and docs["qd-30-2025"].current

    source = client.source("qd-30-2025")
    assert "30/2025/QĐ-UBND" in source.content.decode("utf-8")
    assert source.headers["content-type"].startswith("text/plain")
    assert "sandbox" in source.headers["content-security-policy"]
    assert source.headers["content-disposition"].startswith("inline")
    with pytest.raises(ApiError) as caught:
        client.source("kh-77-stttt")  # a unit document, anonymous: reported as missing
    assert (caught.value.code, caught.value.status) == ("not_found", 404)


def test_feedback_is_stored_listed_and_exported(api: TestClient, client: ApiClient) -> None:
    staff = login(api, "nv-syt", units=("SYT",))
    admin = login(api, "quan-tri-2", roles=("admin",))
    assert staff.token and admin.token
    feedback_id = client.send_feedback(
        staff.token, question=URGENT, answer="Trong 2 giờ [1]", citations=["qd-30-2025:dieu-2"], rating="down",
        comment="Thiếu khoản 1", index_version="v1",
    )  # fmt: skip

    items = client.feedback(admin.token)
    item = next(i for i in items if i.id == feedback_id)
    assert (item.username, item.unit, item.rating, item.comment) == ("nv-syt", "SYT", "down", "Thiếu khoản 1")
    assert item.citations == ("qd-30-2025:dieu-2",)

    lines = client.export_feedback(admin.token, [feedback_id]).decode("utf-8").splitlines()
    exported = json.loads(lines[0])
    assert len(lines) == 1 and exported["question"] == URGENT
    assert "qd-30-2025" in json.dumps(exported)

    with pytest.raises(ApiError) as caught:
        client.feedback(staff.token)
    assert (caught.value.code, caught.value.status) == ("forbidden", 403)
    with pytest.raises(ApiError) as caught:
        client.send_feedback("", question=URGENT, answer="", citations=[], rating="up")
    assert caught.value.status == 401


def wait_for_job(client: ApiClient, token: str, job_id: str, timeout: float = 60.0) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = client.job(token, job_id)
        if job.finished or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def test_upload_poll_answer_and_remove(api: TestClient, client: ApiClient) -> None:
    admin = login(api, "quan-tri", roles=("admin",))
    assert admin.token
    metadata = {"doc_id": "kh-45-vanquan", "title": "Kế hoạch Ngày hội chuyển đổi số", "number": "45/KH-UBND",
                "doc_type": "Kế hoạch", "status": "còn hiệu lực", "visibility": "public"}  # fmt: skip
    job_id = client.upload(admin.token, "ke-hoach-45.md", NEW_PLAN.encode("utf-8"), metadata)
    job = wait_for_job(client, admin.token, job_id)
    assert (job.status, job.ingested, job.failed) == ("done", ("kh-45-vanquan",), ())

    events = list(client.ask_stream("Ngày hội chuyển đổi số huyện Văn Quan tổ chức vào ngày nào?"))
    assert "kh-45-vanquan" in {c.doc_id for e in events if isinstance(e, Citations) for c in e.items}

    assert client.remove(admin.token, "kh-45-vanquan") == ["kh-45-vanquan"]
    assert "kh-45-vanquan" not in {d.doc_id for d in client.documents()}


def test_upload_errors_say_what_is_wrong(api: TestClient, client: ApiClient) -> None:
    admin = login(api, "quan-tri", roles=("admin",))
    assert admin.token
    with pytest.raises(ApiError) as caught:
        client.upload(admin.token, "chuong-trinh.exe", b"MZ\x90\x00", {})
    assert caught.value.status == 415 and "không được hỗ trợ" in caught.value.message

    job_id = client.upload(admin.token, "hong.pdf", b"%PDF-1.4\nkhong phai pdf that\n", {})
    job = wait_for_job(client, admin.token, job_id)
    assert job.status == "failed" and job.failed and job.failed[0].file == "hong.pdf" and job.failed[0].reason

    staff = login(api, "nv", units=("SXD",))
    with pytest.raises(ApiError) as caught:
        client.upload(staff.token or "", "a.md", b"# a", {})
    assert caught.value.code == "forbidden"


def test_an_unreachable_api_is_one_clear_error(free_port: Callable[[], int]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    client = ApiClient.connect(url, timeout=2.0)
    for call in (client.auth_mode, lambda: list(client.ask_stream(URGENT)), client.documents, client.readiness):
        with pytest.raises(ApiError) as caught:
            call()
        assert caught.value.code == "unavailable"
    message = error_text("vi", "unavailable", api_url=url)
    assert url in message and "Không kết nối được máy chủ trợ lý" in message and "make run" in message
    assert "Cannot reach the assistant server" in error_text("en", "unavailable", api_url=url)
    client.close()


def test_readiness(client: ApiClient) -> None:
    ready = client.readiness()
    assert ready.ready and ready.documents == 3 and ready.index_version
