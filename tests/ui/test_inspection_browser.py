"""Inspection and drafting in a real browser, on the shipped shelf: a staff member finds the legal bases of a topic
on a date, builds the checklist and plan for a commune and downloads them, compares the two quy chế (words struck
and inserted) and drafts a công văn. API and UI run on loopback as in test_browser.py, whose fixtures this reuses."""

from __future__ import annotations

import io
import shutil
from typing import Any

import docx
import pytest
from auth_support import PASSWORD

from tests.ui import typing_helper
from tests.ui.test_browser import LEAD_SHOTS, STAFF, TIMEOUT_MS, Stack, stack

__all__ = ["stack"]  # the fixture of test_browser.py used here (``browser`` comes from tests/ui/conftest.py)
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.real_model]


def test_staff_find_bases_build_a_checklist_compare_and_draft(stack: Stack, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def download(box: str) -> bytes:
        link = page.locator(f"{box} a[href*='.docx']")
        expect(link).to_be_visible()
        response = page.request.get(link.get_attribute("href") or "")
        assert response.status == 200
        return response.body()

    def enter(selector: str, text: str) -> None:
        typing_helper.enter(page, selector, text, timeout_ms=TIMEOUT_MS)

    page.goto(stack.ui_url)
    page.locator("#tl-username :is(input, textarea)").fill(STAFF)
    page.locator("#tl-password input").fill(PASSWORD)
    page.locator("#tl-password input").press("Enter")
    expect(page.locator("#tl-who")).to_be_visible()
    page.get_by_role("tab", name="Thanh tra", exact=True).click()

    # -- bases on a date: the quy chế in force then, and the block to paste --------------------------------------
    enter("#tl-insp-topic :is(input, textarea)", "quản lý văn bản điện tử")
    enter("#tl-insp-as-of :is(input, textarea)", "01/06/2024")
    page.locator("#tl-insp-bases").click()
    bases = page.locator("#tl-insp-bases-out")
    expect(bases).to_contain_text("18/2021/QĐ-UBND")
    expect(bases).to_contain_text("Căn cứ")
    enter("#tl-insp-as-of :is(input, textarea)", "01/03/2026")
    page.locator("#tl-insp-bases").click()
    expect(bases.locator("pre")).to_contain_text("35/2025/QĐ-UBND")

    # -- the workspace: checklist on screen, both Word files --------------------------------------------------
    page.locator("#tl-insp-ws-box button").first.click()
    enter("#tl-insp-object :is(input, textarea)", "UBND xã Chi Lăng")
    page.locator("#tl-insp-ws").click()
    expect(page.locator("#tl-insp-ws-out")).to_contain_text("khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND")
    expect(page.locator("#tl-insp-ws-out")).to_contain_text("Thời hạn thanh tra")
    checklist = docx.Document(io.BytesIO(download("#tl-insp-checklist-file")))
    assert checklist.tables and checklist.tables[0].rows[0].cells[1].text == "Nội dung kiểm tra"
    plan = docx.Document(io.BytesIO(download("#tl-insp-plan-file")))
    assert any("KẾ HOẠCH" in p.text for p in plan.paragraphs)
    workspace_shot = stack.shots / "inspection-01-workspace.png"
    page.screenshot(path=str(workspace_shot), full_page=True)

    # -- what changed between the two quy chế -----------------------------------------------------------------
    page.locator("#tl-insp-changes-box button").first.click()
    page.locator("#tl-insp-doc input").click()
    page.get_by_role("option", name="18/2021/QĐ-UBND").first.click()
    page.locator("#tl-insp-changes").click()
    changes = page.locator("#tl-insp-changes-out")
    expect(changes).to_contain_text("18/2021/QĐ-UBND → 35/2025/QĐ-UBND")
    expect(changes.locator("del").first).to_be_visible()
    expect(changes.locator("ins").first).to_be_visible()
    assert docx.Document(io.BytesIO(download("#tl-insp-changes-file"))).tables
    changes_shot = stack.shots / "inspection-02-changes.png"
    page.screenshot(path=str(changes_shot), full_page=True)

    # -- a công văn with its căn cứ and the fields left to fill -----------------------------------------------
    page.locator("#tl-insp-draft-box button").first.click()
    page.locator("#tl-draft-kind input").click()
    page.get_by_role("option", name="Công văn").click()
    enter("#tl-draft-body :is(input, textarea)", "Ủy ban nhân dân tỉnh Lạng Sơn")
    enter("#tl-draft-abbr :is(input, textarea)", "UBND")
    enter("#tl-draft-subject :is(input, textarea)", "Triển khai Bình dân học vụ số")
    enter("#tl-draft-recipients textarea", "Các sở, ban, ngành")
    page.locator("#tl-draft-make").click()
    expect(page.locator("#tl-draft-message")).to_contain_text("Còn để trống")
    draft = docx.Document(io.BytesIO(download("#tl-draft-file")))
    cells = [c.text for table in draft.tables for row in table.rows for c in row.cells]
    assert any("V/v Triển khai Bình dân học vụ số" in text for text in [*(p.text for p in draft.paragraphs), *cells])

    assert errors == [], errors
    LEAD_SHOTS.mkdir(parents=True, exist_ok=True)
    for path in (workspace_shot, changes_shot):
        shutil.copy2(path, LEAD_SHOTS / path.name)
    context.close()
