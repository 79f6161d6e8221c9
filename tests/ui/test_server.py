"""The UI server: the Gradio app is built without calling the API, and source links reach the file through the
UI with the session's token, one document per ticket, for a limited time."""

from __future__ import annotations

import re
from html import escape, unescape

import gradio as gr
import pytest
from auth_support import PASSWORD, accounts_of
from fastapi.testclient import TestClient

from ui.app import build_app, create_server
from ui.client import ApiClient
from ui.settings import UiSettings
from ui.sources import SourceLinks


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_tickets_open_one_document_until_they_expire() -> None:
    clock = Clock()
    links = SourceLinks(60, clock=clock)
    url = links.url("token-a", "qd-30-2025", page=3)
    assert url.startswith("source/qd-30-2025?t=") and url.endswith("#page=3")
    ticket = url.split("t=", 1)[1].split("#", 1)[0]
    assert len(ticket) >= 32
    grant = links.resolve(ticket, "qd-30-2025")
    assert grant is not None and grant.token == "token-a"
    assert links.resolve(ticket, "kh-77-stttt") is None  # not another document
    assert links.resolve("doan-bua", "qd-30-2025") is None
    clock.now += 61
    assert links.resolve(ticket, "qd-30-2025") is None
    assert links.url(None, "a b/c").startswith("source/a%20b%2Fc?t=")
    with pytest.raises(ValueError, match="ttl_seconds must be > 0"):
        SourceLinks(0)


def test_settings_come_from_assistant_ui_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_UI_API_URL", "http://10.0.0.5:9000/")
    monkeypatch.setenv("ASSISTANT_UI_PORT", "7999")
    monkeypatch.setenv("ASSISTANT_UI_LANGUAGE", "en")
    settings = UiSettings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.api_url, settings.port, settings.language, settings.host) == (
        "http://10.0.0.5:9000", 7999, "en", "127.0.0.1",
    )  # fmt: skip
    with pytest.raises(ValueError, match="api_url must start with http"):
        UiSettings(_env_file=None, api_url="10.0.0.5:9000")  # type: ignore[call-arg]


def test_build_app_makes_blocks_without_calling_the_api() -> None:
    blocks = build_app(UiSettings(_env_file=None, api_url="http://127.0.0.1:9"))  # type: ignore[call-arg]
    assert isinstance(blocks, gr.Blocks)
    ids = {getattr(block, "elem_id", None) for block in blocks.blocks.values()}
    assert {"tl-transcript", "tl-panel", "tl-question", "tl-login-button", "tl-upload", "tl-fb-export"} <= ids


@pytest.fixture
def ui_server(api_app) -> tuple[TestClient, TestClient]:  # type: ignore[no-untyped-def]
    api = api_app(allow_anonymous=False)
    server = create_server(UiSettings(_env_file=None), client=ApiClient(api))  # type: ignore[call-arg]
    return api, TestClient(server)


def source_link(ui: TestClient, token: str | None, doc_id: str) -> str:
    links: SourceLinks = ui.app.state.source_links  # type: ignore[attr-defined]
    return "/" + links.url(token, doc_id).split("#", 1)[0]


def test_source_proxy_uses_the_session_token(ui_server: tuple[TestClient, TestClient]) -> None:
    api, ui = ui_server
    accounts = accounts_of(api)
    accounts.users.add("nv-stttt", roles=["staff"], units=["STTTT"], password=PASSWORD)
    token = ApiClient(api).login("nv-stttt", PASSWORD).token

    response = ui.get(source_link(ui, token, "kh-77-stttt"))
    assert response.status_code == 200
    assert "SAO-BANG-09" in response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store" and response.headers["referrer-policy"] == "no-referrer"
    assert "authorization" not in {k.lower() for k in response.headers}

    anonymous = ui.get(source_link(ui, None, "kh-77-stttt"))  # the API requires a login here
    assert anonymous.status_code == 401 and "đăng nhập" in anonymous.text.lower()
    forged = ui.get("/source/kh-77-stttt?t=doan-bua")
    assert forged.status_code == 403 and "hết hạn" in forged.text
    other = ui.get(source_link(ui, token, "qd-30-2025").replace("qd-30-2025", "kh-77-stttt"))
    assert other.status_code == 403


def test_the_ui_page_and_health_are_served(ui_server: tuple[TestClient, TestClient]) -> None:
    _, ui = ui_server
    assert ui.get("/healthz").json() == {"status": "ok"}
    page = ui.get("/")
    assert page.status_code == 200 and "Trợ lý công chức số" in page.text


def test_the_reading_view_highlights_the_cited_clause(ui_server: tuple[TestClient, TestClient]) -> None:
    api, ui = ui_server
    accounts_of(api).users.add("nv-stttt", roles=["staff"], units=["STTTT"], password=PASSWORD)
    token = ApiClient(api).login("nv-stttt", PASSWORD).token
    document = ApiClient(api).document_text("kh-77-stttt", token)
    cited = document.parts[-1]
    quote = cited.text.splitlines()[-1].strip()
    links: SourceLinks = ui.app.state.source_links  # type: ignore[attr-defined]
    url = links.reader_url(token, "kh-77-stttt", cited.chunk_id, quote=f"… {quote} …", label="khoản 9 Điều 2")
    assert url.endswith("#dieu-duoc-trich")

    page = ui.get("/" + url.split("#", 1)[0])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script runs
    assert "<script" not in page.text.lower()
    html = page.text
    section = html[html.index('id="dieu-duoc-trich"') :]
    assert f"<mark>{escape(quote.rstrip('.'))}</mark>" in section.split("</section>", 1)[0]
    assert html.count('class="cited"') == 1 and html.count("<mark>") == 1
    assert "Đoạn được trích dẫn: khoản 9 Điều 2" in section
    assert all(escape(p.text.splitlines()[0].strip()) in html for p in document.parts)  # the whole text, in order
    original = re.search(r'class="original" href="([^"]+)"', html)
    assert original is not None and original.group(1).startswith("../kh-77-stttt?t=")
    assert ui.get("/source/kh-77-stttt/" + unescape(original.group(1))).status_code == 200

    assert ui.get("/source/kh-77-stttt/read?t=doan-bua&c=x").status_code == 403
    anonymous = links.reader_url(None, "kh-77-stttt", cited.chunk_id)
    assert ui.get("/" + anonymous.split("#", 1)[0]).status_code == 401  # the API requires a login here
    gone = ui.get("/" + links.reader_url(token, "kh-77-stttt", "kh-77-stttt:khong-co").split("#", 1)[0])
    assert gone.status_code == 200 and "không còn trong phiên bản" in gone.text and 'class="cited"' not in gone.text
