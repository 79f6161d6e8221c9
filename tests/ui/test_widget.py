"""The portal chat box: a static page on one loopback port embeds ``<script src=".../widget.js">`` served by the API
on another; the box asks a question anonymously and shows the cited answer. A page from an origin the API does not
list gets no answer (CORS), only a message."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import ingest

from assistant.embedding.hashing import HashingEmbedder
from assistant.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "out" / "ui-screenshots"
QUESTION = "Văn bản khẩn phải được xử lý trong bao lâu?"
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin (thử)</title></head>
<body><h1>Cổng thông tin điện tử tỉnh (trang thử)</h1><p>Nội dung của cổng.</p>
<script src="{api}/widget.js" defer></script></body></html>"""


def test_a_portal_page_embeds_the_chat_box_with_one_script_tag(
    settings: Settings, embedder: HashingEmbedder, shelf: Path, tmp_path: Path, browser: Any,
    launch: Callable[..., Any], free_port: Callable[[], int], clean_env: Callable[..., dict[str, str]],
) -> None:  # fmt: skip
    from playwright.sync_api import expect

    assert not ingest(settings, embedder, shelf).failed
    api_port, page_port, other_port = free_port(), free_port(), free_port()
    api, portal = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{page_port}"
    site = tmp_path / "portal"
    site.mkdir()
    (site / "index.html").write_text(PAGE.format(api=api), encoding="utf-8")
    env = clean_env(
        ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_EMBEDDER="hashing", ASSISTANT_ABSTAIN_THRESHOLD="0.2",
        ASSISTANT_ALLOW_ANONYMOUS="true", ASSISTANT_CORS_ORIGINS=f'["{portal}"]', PYTHONPATH=str(REPO),
    )  # fmt: skip
    launch("api", [sys.executable, "-m", "uvicorn", "--factory", "assistant.api.app:create_app", "--host",
                   "127.0.0.1", "--port", str(api_port)], env, f"{api}/healthz")  # fmt: skip
    static = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(site)]
    launch("portal", [*static, str(page_port)], clean_env(), f"{portal}/index.html")
    launch("other", [*static, str(other_port)], clean_env(), f"http://127.0.0.1:{other_port}/index.html")

    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{portal}/index.html")
    box = page.locator("#tro-ly-widget")
    box.locator("button.btn").click()
    box.locator("input").fill(QUESTION)
    box.locator("button[type=submit]").click()
    answer = box.locator("p.a").first
    expect(answer).to_contain_text("[1]", timeout=30_000)
    source = box.locator("ol.src a").first
    expect(source).to_contain_text("30/2025/QĐ-UBND")
    assert source.get_attribute("href").startswith(f"{api}/v1/documents/qd-30-2025/source")  # type: ignore[union-attr]
    assert source.get_attribute("rel") == "noopener noreferrer"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "widget-390.png"))

    # the same page served from an origin the API does not list: the browser refuses the answer
    other = browser.new_page()
    other.goto(f"http://127.0.0.1:{other_port}/index.html")
    other_box = other.locator("#tro-ly-widget")
    other_box.locator("button.btn").click()
    other_box.locator("input").fill(QUESTION)
    other_box.locator("button[type=submit]").click()
    expect(other_box.locator("p.err")).to_contain_text("Không kết nối được trợ lý", timeout=30_000)
    expect(other_box.locator("ol.src")).to_have_count(0)
