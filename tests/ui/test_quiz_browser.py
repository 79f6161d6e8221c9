"""Trainer mode end to end in a real browser, on the shipped shelf: a trainer builds a bank on "chữ ký số", reviews it
(accept, reject, edit, a stale edit reloaded), exports it; a staff member practises it and sees the cited answers; the
trainer reads the anonymous results. API and UI run on loopback as in test_browser.py, whose fixtures this reuses."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from auth_support import PASSWORD
from lxml import etree
from pydantic import SecretStr

from assistant.accounts.service import AccountService
from assistant.settings import Settings
from eval.datasets import Dataset
from ingest.report import IngestReport
from tests.ui import typing_helper
from tests.ui.test_browser import LEAD_SHOTS, STAFF, TIMEOUT_MS, Stack, stack

__all__ = ["stack"]  # the fixture of test_browser.py used here (``browser`` comes from tests/ui/conftest.py)
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.real_model]

TRAINER = "gv-bdhvs"
TITLE = "Chữ ký số chuyên dùng công vụ — kiểm tra cuối khóa"
NAMES = {TRAINER: "Trần Thị Bình", STAFF: "Nguyễn Văn An"}  # display names, as the header shows them
EDITED_STEM = "Theo hướng dẫn của Sở, câu hỏi đã sửa: "


@pytest.fixture
def trainer(stack: Stack, corpus_index: tuple[Dataset, Settings, IngestReport], tmp_path: Path) -> str:
    """A trainer of Sở Xây dựng (the staff member's unit, so the staff member may see the trainer's banks)."""
    database = f"sqlite:///{tmp_path / 'accounts.sqlite'}"  # the database test_browser's stack gives the API
    accounts = AccountService(corpus_index[1].model_copy(update={"database_url": SecretStr(database)}))
    accounts.open(bootstrap=False)
    accounts.users.add(TRAINER, roles=["trainer"], units=["SXD"], password=PASSWORD, display_name=NAMES[TRAINER])
    accounts.close()
    return TRAINER


def test_trainer_builds_reviews_exports_and_staff_practises(stack: Stack, browser: Any, trainer: str) -> None:
    from playwright.sync_api import expect

    started = time.monotonic()
    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def shot(name: str) -> Path:
        path = stack.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(username: str) -> None:
        page.locator("#tl-username :is(input, textarea)").fill(username)
        page.locator("#tl-password input").fill(PASSWORD)
        page.locator("#tl-password input").press("Enter")
        expect(page.locator("#tl-who")).to_contain_text(NAMES[username])

    def choose(dropdown: str, option: str) -> None:
        page.locator(f"{dropdown} input").click()
        page.get_by_role("option", name=re.compile(option)).first.click()

    def download(box: str, suffix: str) -> bytes:
        link = page.locator(f"{box} a[href*='{suffix}']")
        expect(link).to_be_visible()
        response = page.request.get(link.get_attribute("href") or "")
        assert response.status == 200
        return response.body()

    message = page.locator("#tl-quiz-message")

    # -- the trainer builds a bank of 20 items on "chữ ký số" -------------------------------------------
    page.goto(stack.ui_url, wait_until="load")
    sign_in(trainer)
    expect(page.get_by_role("tab", name="Văn bản")).to_have_count(0)  # a trainer, not an admin
    page.get_by_role("tab", name="Soạn câu hỏi").click()
    expect(message).to_contain_text("Chưa có bộ câu hỏi nào")
    page.locator("#tl-quiz-title :is(input, textarea)").fill(TITLE)
    page.locator("#tl-quiz-topic :is(input, textarea)").fill("chữ ký số")
    page.locator("#tl-quiz-generate").click()
    expect(message).to_contain_text("Đã soạn 20 câu", timeout=90_000)
    bank = page.locator("#tl-quiz-bank")
    expect(bank).to_contain_text("phiên bản 1 · 20 câu: 0 đã duyệt, 0 đã loại, 20 chờ duyệt")
    expect(bank.locator(".tl-quiz-item")).to_have_count(20)
    expect(bank.locator(".tl-quiz-right").first).to_be_visible()
    expect(bank).to_contain_text("12/HD-STTTT")

    # -- review: accept item 1, reject item 2, edit item 3 (each a new version) -------------------------
    choose("#tl-quiz-item", r"^Câu 1 ·")
    page.locator("#tl-quiz-accept").click()
    expect(message).to_contain_text("Đã lưu Câu 1: đã duyệt — bộ câu hỏi nay là phiên bản 2")
    choose("#tl-quiz-item", r"^Câu 2 ·")
    page.locator("#tl-quiz-reject").click()
    expect(message).to_contain_text("Đã lưu Câu 2: đã loại — bộ câu hỏi nay là phiên bản 3")
    choose("#tl-quiz-item", r"^Câu 3 ·")
    page.locator("#tl-quiz-edit").get_by_text("Sửa câu đã chọn").click()
    third = bank.locator(".tl-quiz-item").nth(2).locator("p").nth(1).inner_text()
    stem = page.locator("#tl-quiz-stem textarea")
    expect(stem).to_have_value(third)  # the chosen item's fields have arrived
    typing_helper.enter(page, "#tl-quiz-stem textarea", EDITED_STEM + third, timeout_ms=TIMEOUT_MS)
    page.locator("#tl-quiz-save").click()
    expect(message).to_contain_text("Đã lưu Câu 3: đã duyệt — bộ câu hỏi nay là phiên bản 4")
    expect(bank).to_contain_text("phiên bản 4 · 20 câu: 2 đã duyệt, 1 đã loại, 17 chờ duyệt")
    expect(bank.locator(".tl-quiz-item").nth(2)).to_contain_text(EDITED_STEM)
    review_shot = shot("quiz-01-trainer-review")

    # -- someone else saves in between: the stale edit is refused, the bank reloaded ----------------------
    api = httpx.Client(base_url=stack.api_url, timeout=30)
    token = api.post("/v1/auth/login", json={"username": trainer, "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    [summary] = api.get("/v1/quiz/banks", headers=headers).json()["banks"]
    bank_id = summary["bank_id"]
    fourth = api.get(f"/v1/quiz/banks/{bank_id}", headers=headers).json()["items"][3]["item_id"]
    body = {"status": "accepted", "expected_version": 4}
    assert api.put(f"/v1/quiz/banks/{bank_id}/items/{fourth}", json=body, headers=headers).status_code == 200
    choose("#tl-quiz-item", r"^Câu 5 ·")
    page.locator("#tl-quiz-accept").click()
    expect(message).to_contain_text("Bộ câu hỏi vừa được người khác sửa — đã tải lại (phiên bản 5)")
    expect(bank).to_contain_text("phiên bản 5 · 20 câu: 3 đã duyệt")

    # -- exports: the Word test paper and Moodle XML -----------------------------------------------------
    page.locator("#tl-quiz-export-docx").click()
    paper = docx.Document(io.BytesIO(download("#tl-quiz-file", ".docx")))
    assert any(p.text.strip() for p in paper.paragraphs)
    page.locator("#tl-quiz-export-moodle").click()
    moodle = etree.fromstring(download("#tl-quiz-file", ".xml"))
    assert moodle.tag == "quiz" and len(moodle.findall("question")) >= 19
    expect(message).to_contain_text("Đã xuất tệp")

    # -- a staff member practises the bank: shuffled, one item at a time, then the cited answers ---------
    page.locator("#tl-logout").click()
    sign_in(STAFF)
    expect(page.get_by_role("tab", name="Soạn câu hỏi")).to_have_count(0)
    page.get_by_role("tab", name="Luyện tập").click()
    choose("#tl-practice-bank", "Chữ ký số chuyên dùng công vụ")
    page.locator("#tl-practice-start").click()
    progress = page.locator("#tl-practice-progress")
    expect(progress).to_contain_text("Câu 1/19")  # the rejected item is left out
    for n in range(1, 20):
        expect(progress).to_contain_text(f"Câu {n}/19")
        radios = page.locator("#tl-practice-choice input[type=radio]")
        if page.locator("#tl-practice-choice").is_visible():
            radios.first.check()
        elif page.locator("#tl-practice-text").is_visible():
            page.locator("#tl-practice-text :is(input, textarea)").fill("30 ngày")
        if n < 19:
            page.locator("#tl-practice-next").click()
    page.locator("#tl-practice-submit").click()
    result = page.locator("#tl-practice-result")
    expect(result.locator(".tl-score")).to_have_text(re.compile(r"^Đúng \d+/19$"))
    expect(result.locator(".tl-graded")).to_have_count(19)
    expect(result.locator(".tl-quiz-expl").first).to_contain_text("Giải thích: ")
    expect(result.locator(".tl-quiz-cite").first).to_have_text(re.compile(r"^Nguồn: .*(Điều|khoản|mục|điểm) .*số"))
    expect(result).to_contain_text("12/HD-STTTT")
    practice_shot = shot("quiz-02-practice-result")

    # -- the trainer sees the anonymous results, and builds a short lesson -------------------------------
    page.locator("#tl-logout").click()
    sign_in(trainer)
    page.get_by_role("tab", name="Soạn câu hỏi").click()
    choose("#tl-quiz-picker", "Chữ ký số chuyên dùng công vụ")
    expect(message).to_contain_text("Đã mở")
    page.locator("#tl-quiz-stats-box").get_by_text("Kết quả học viên").click()
    page.locator("#tl-quiz-stats-load").click()
    expect(page.locator("#tl-quiz-stats-note")).to_contain_text("tối đa 1 lượt làm một câu")
    expect(page.locator("#tl-quiz-stats")).to_contain_text("%")
    page.locator("#tl-quiz-lesson-box").get_by_text("Bài học ngắn").click()
    page.locator("#tl-quiz-lesson-topic :is(input, textarea)").fill("chữ ký số")
    page.locator("#tl-quiz-lesson-build").click()
    expect(page.locator("#tl-quiz-lesson")).to_contain_text("12/HD-STTTT")
    lesson = docx.Document(io.BytesIO(download("#tl-quiz-lesson-file", ".docx")))
    assert any("chữ ký số" in p.text.lower() for p in lesson.paragraphs)
    shot("quiz-03-stats-and-lesson")

    assert errors == [], errors
    assert "Traceback" not in page.content()
    LEAD_SHOTS.mkdir(parents=True, exist_ok=True)
    for path in (review_shot, practice_shot):
        assert path.stat().st_size > 10_000
        shutil.copy2(path, LEAD_SHOTS / path.name)
    assert time.monotonic() - started < 180
