"""What the UI draws: answers with [n] buttons, the "no basis" and out-of-force warnings, the citation panel,
the text to copy; and the translation table."""

from __future__ import annotations

import re

import pytest

from ui.citations import copy_text, render_panel, render_transcript
from ui.models import Citation, Document, DocumentPart, DocumentText, Turn
from ui.reader import render_reader
from ui.starters import starters_for
from ui.strings import EN, VI, error_text, t


def citation(n: int = 1, *, status: str = "in_force", current: bool = True, **changes: object) -> Citation:
    values: dict[str, object] = {
        "n": n, "chunk_id": f"qd-30-2025:dieu-{n}", "doc_id": "qd-30-2025", "title": "Quy chế quản lý văn bản",
        "number": "30/2025/QĐ-UBND", "path": "khoản 2 Điều 2", "page": 3, "snippet": "Văn bản khẩn: 2 giờ.",
        "status": status, "current": current, "warning": "",
    }  # fmt: skip
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def answered(text: str, *citations: Citation, abstained: bool = False) -> Turn:
    return Turn("Văn bản khẩn xử lý trong bao lâu?", text, abstained, tuple(citations), "v1", pending=False)


def test_markers_become_buttons_only_for_known_citations() -> None:
    html = render_transcript([answered("Theo các văn bản tìm được:\n- Trong 2 giờ. [1] [7]", citation())], "vi")
    buttons = re.findall(r'<button type="button" class="tl-cite" data-turn="0" data-n="(\d+)"', html)
    assert buttons == ["1"]
    assert "[7]" in html  # a marker with no citation stays text
    assert "<li>" in html and "tl-rate" in html and 'data-rating="down"' in html and "tl-copy" in html


def test_everything_from_the_api_is_escaped() -> None:
    evil = citation(title='<img src=x onerror="alert(1)">', snippet="<script>alert(2)</script>")
    turn = answered("<b>đậm</b> [1]", evil)
    html = render_transcript([turn], "vi") + render_panel(evil, "vi", 'source/x?t=a"b')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and 'href="source/x?t=a&quot;b"' in html


def test_no_basis_looks_different_and_suggests_rephrasing() -> None:
    html = render_transcript([answered("Không tìm thấy căn cứ trong các văn bản…", abstained=True)], "vi")
    assert 'class="tl-a tl-abstain"' in html
    assert t("vi", "chat.no_basis") in html and t("vi", "chat.tips") in html
    assert "tl-cite" not in html
    normal = render_transcript([answered("Trong 2 giờ. [1]", citation())], "vi")
    assert "tl-abstain" not in normal and t("vi", "chat.tips") not in normal


def test_an_answer_citing_an_expired_document_is_warned() -> None:
    old = citation(status="expired", current=False, number="05/2019/QĐ-UBND", warning="Lưu ý: [1] đã hết hiệu lực.")
    html = render_transcript([answered("Lưu trữ 12 tháng. [1]\nLưu ý: [1] đã hết hiệu lực.", old)], "vi")
    assert 'class="tl-warning" role="alert"' in html
    assert "05/2019/QĐ-UBND — hết hiệu lực toàn bộ" in html
    assert 'class="tl-note"' in html and "tl-cite tl-cite-old" in html
    assert "tl-warning" not in render_transcript([answered("Trong 2 giờ. [1]", citation())], "vi")


def test_loading_and_error_states() -> None:
    loading = render_transcript([Turn("Câu hỏi?")], "vi")
    assert 'aria-busy="true"' in loading and t("vi", "chat.thinking") in loading
    failed = render_transcript([Turn("Câu hỏi?", pending=False, error="Không kết nối được máy chủ")], "vi")
    assert "tl-error" in failed and "Không kết nối được máy chủ" in failed and "Traceback" not in failed
    assert t("vi", "chat.welcome") in render_transcript([], "vi")


def test_panel_shows_metadata_validity_and_the_source_link() -> None:
    html = render_panel(citation(), "vi", "source/qd-30-2025?t=abc#page=3")
    for text in (
        "Quy chế quản lý văn bản",
        "30/2025/QĐ-UBND",
        "khoản 2 Điều 2",
        "còn hiệu lực",
        "Văn bản khẩn: 2 giờ.",
    ):
        assert text in html
    assert 'href="source/qd-30-2025?t=abc#page=3"' in html and 'target="_blank"' in html
    assert "Mở văn bản gốc tại trang 3" in html and "tl-warning" not in html

    old = render_panel(citation(status="expired", current=False, warning="Đã được thay thế bởi 31/2025."), "en", "x")
    assert "tl-status-old" in old and "expired" in old and "tl-warning" in old and "Đã được thay thế" in old
    assert t("vi", "cite.empty") in render_panel(None, "vi")


def test_copy_text_carries_answer_and_sources() -> None:
    text = copy_text(answered("Trong 2 giờ. [1]", citation()), "vi")
    assert text.startswith("Trong 2 giờ. [1]")
    assert "Nguồn:\n[1] khoản 2 Điều 2 · 30/2025/QĐ-UBND — Quy chế quản lý văn bản, trang 3 (còn hiệu lực)" in text
    assert copy_text(Turn("q"), "vi") == ""


def test_translations_are_complete() -> None:
    assert set(VI) == set(EN)
    assert all(VI[k] and EN[k] for k in VI)
    assert t("en", "chat.ask") == "Ask" and t("xx", "chat.ask") == "Hỏi"


@pytest.mark.parametrize("code", ["unavailable", "timeout", "unauthorized", "forbidden", "rate_limited"])
def test_known_errors_have_their_own_words(code: str) -> None:
    assert error_text("vi", code, "raw", api_url="http://api") != error_text("en", code, "raw", api_url="http://api")
    assert "raw" not in error_text("vi", code, "raw")


def test_other_errors_show_the_api_message() -> None:
    assert error_text("vi", "payload_too_large", "Tệp quá lớn.") == "Không thực hiện được yêu cầu: Tệp quá lớn."


def test_starters_follow_the_unit() -> None:
    assert starters_for(["SXD"], "vi")[0].startswith("Sở Xây dựng cấp giấy phép")
    assert starters_for([], "vi") != starters_for(["SYT"], "vi")
    assert all(len(starters_for(units, "vi")) == 4 for units in ([], ["SXD"], ["XA-CHILANG"], ["KHONG-CO"]))
    assert starters_for(["SXD"], "en") == starters_for([], "en") != starters_for([], "vi")


def test_the_documents_table_names_who_may_see_a_restricted_document() -> None:
    from ui.admin import documents_table
    from ui.models import Document

    body = {
        "doc_id": "ttt-kh", "title": "Kế hoạch thanh tra", "number": "148/KH-TTr", "doc_type": "Kế hoạch",
        "status": "expired", "status_label": "hết hiệu lực toàn bộ", "current": False, "unit": "TTT",
        "visibility": "restricted", "allowed_units": ["TTT"], "allowed_roles": ["inspector"],
    }  # fmt: skip
    public = {**body, "doc_id": "qd", "visibility": "public", "allowed_units": [], "allowed_roles": [], "current": True}
    rows = documents_table([Document.from_api(body), Document.from_api(public)], "vi")["data"]
    assert rows[0][5] == f"{t('vi', 'vis.restricted')}: TTT, inspector" and rows[0][6].endswith("⚠")
    assert rows[1][5] == t("vi", "vis.public")


def pdf_document(*parts: DocumentPart, title: str = "Quy chế quản lý văn bản") -> DocumentText:
    doc = Document("qd-30-2025", title, "30/2025/QĐ-UBND", "Quyết định", "UBND tỉnh", "expired", "", False, "", "")
    return DocumentText(doc, "pdf", parts)


def test_the_reading_view_shows_pages_escapes_everything_and_warns_when_not_in_force() -> None:
    parts = (
        DocumentPart("qd-30-2025:dieu-1", "Điều 1", ("Chương I",), 1, "Điều 1. Phạm vi\n<script>alert(1)</script>"),
        DocumentPart("qd-30-2025:dieu-2", "Điều 2", ("Chương I",), 2, "Điều 2. Thời hạn\nVăn bản khẩn: trong 2 giờ."),
        DocumentPart("qd-30-2025:dieu-3", "Điều 3", ("Chương II",), 2, "Điều 3. Hiệu lực"),
    )
    html = render_reader(pdf_document(*parts, title="<img src=x>"), "qd-30-2025:dieu-2", "../x?t=a#page=2", "vi",
                         "Văn bản khẩn: trong 2 giờ")  # fmt: skip
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert [m for m in re.findall(r'class="page">([^<]+)<', html)] == ["Trang 1", "Trang 2"]  # each page once
    assert "Mở văn bản gốc tại trang 2" in html and 'href="../x?t=a#page=2"' in html
    assert re.search(r'id="dieu-duoc-trich" class="cited"[^>]*>.*<mark>Văn bản khẩn: trong 2 giờ</mark>', html)
    assert 'class="old">' in html  # the document is no longer in force: its status stands out
    english = render_reader(pdf_document(*parts), "qd-30-2025:dieu-2", "../x?t=a#page=2", "en")
    assert "Cited passage: Điều 2" in english and "<mark>" not in english  # no excerpt given: the part stands out
    clause = render_reader(pdf_document(*parts), "qd-30-2025:dieu-2", "../x", "vi", where="khoản 1 Điều 2")
    assert "▶ Đoạn được trích dẫn: khoản 1 Điều 2" in clause  # the citation's own place, not the whole Điều
