"""The inspection tab's client calls and handlers against the real API on the sample shelf (in-process): bases on a
date, the workspace with its two Word files, the comparison of the two quy chế with words marked, a draft with its
placeholders, and a unit-only text that an outsider's tab never shows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import gradio as gr
import pytest
from auth_support import bearer
from docx import Document
from fastapi.testclient import TestClient
from shelf_support import shelf_service

from assistant.api.app import create_app
from ui.client import ApiClient
from ui.inspection import DRAFT_KINDS, InspectionTab, bases_markdown, details_of, parse_day
from ui.models import DraftForm, LegalBases, LegalBasis, Session
from ui.strings import t


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    service = shelf_service(
        tmp_path_factory.mktemp("ui-inspection"),
        allow_anonymous=False,
        rate_limit_user_per_minute=0,
        rate_limit_ip_per_minute=0,
    )
    with TestClient(create_app(service.settings, service=service)) as client:
        yield client


def session_of(api: TestClient, username: str, unit: str, role: str = "staff") -> Session:
    token = bearer(api, username, roles=[role], units=[unit])["Authorization"].removeprefix("Bearer ")
    return Session(token=token)


@pytest.fixture
def tab(api: TestClient) -> InspectionTab:
    return InspectionTab(ApiClient(api))


def test_dates_and_particulars_are_read_as_staff_type_them() -> None:
    assert parse_day("01/06/2025") == parse_day("2025-06-01") == "2025-06-01"
    assert parse_day("  ") is None
    with pytest.raises(ValueError):
        parse_day("31/02/2025")
    assert details_of("time=8 giờ\nvenue=Hội trường\ninvitees=Sở A\ninvitees=Sở B\nkhông có dấu bằng") == {
        "time": "8 giờ", "venue": "Hội trường", "invitees": ["Sở A", "Sở B"],
    }  # fmt: skip


def test_the_client_hands_the_tab_typed_results(api: TestClient, tab: InspectionTab) -> None:
    token = session_of(api, "nv-sxd", "SXD").token
    bases = tab.client.legal_bases(token, "quản lý văn bản điện tử", as_of="2026-03-01")
    assert bases.as_of == "2026-03-01" and "35/2025/QĐ-UBND" in [b.number for b in bases.bases]
    assert bases.block.startswith("Căn cứ") and "Nghị định số 30/2020/NĐ-CP" in " ".join(bases.unverified)
    found = tab.client.workspace(token, "quản lý văn bản điện tử", "UBND xã Chi Lăng", as_of="2026-03-01")
    item = next(i for i in found.checklist if i.citation == "khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND")
    assert item.limits == "05 ngày làm việc" and item.doc_id
    limit = next(d for d in found.deadlines if d.step == "Thời hạn thanh tra")
    assert limit.found and limit.values == ("45 ngày", "70 ngày") and found.plan_filename.endswith(".docx")
    comparison = tab.client.changes(token, "qc-qlvb-2021")
    assert (comparison.old_number, comparison.new_number) == ("18/2021/QĐ-UBND", "35/2025/QĐ-UBND")
    article7 = next(c for c in comparison.changes if c.label == "Điều 7")
    marked = [(w.op, w.text) for w in article7.words if w.op != "equal"]
    assert ("delete", "07") in marked and ("insert", "05") in marked
    assert comparison.counts["changed"] == sum(c.kind == "changed" for c in comparison.changes)
    draft = tab.client.draft(token, DraftForm(kind="giay_moi", subject="Họp triển khai"))
    assert draft.file.filename == "giay_moi.docx" and "details.time" in draft.placeholders
    assert draft.number.endswith("/GM-[viết tắt cơ quan]")


def test_bases_on_screen_strike_the_superseded_and_list_what_to_verify() -> None:
    old = LegalBasis("qc-2021", "18/2021/QĐ-UBND", "Quy chế cũ", "Quyết định UBND", "Hết hiệu lực", "", superseded=True)
    new = LegalBasis("qc-2025", "35/2025/QĐ-UBND", "Quy chế mới", "Quyết định UBND", "Còn hiệu lực", "", ("Điều 7",))
    shown = bases_markdown(
        LegalBases("văn bản", "2026-03-01", (old, new), "Căn cứ Quyết định số 35/2025/QĐ-UBND.", ("Luật X",)), "en"
    )
    assert "- ~~**18/2021/QĐ-UBND** — Quy chế cũ (Quyết định UBND)~~ *Hết hiệu lực*" in shown
    assert "- **35/2025/QĐ-UBND** — Quy chế mới (Quyết định UBND) · Điều 7" in shown
    assert shown.index("```text\nCăn cứ") < shown.index("verify before use") < shown.index("- Luật X")
    assert bases_markdown(LegalBases("x", "2026-03-01", (), "", ()), "vi") == t("vi", "insp.no_bases")
    assert [t("vi", f"insp.draft_kind.{kind}") for kind in DRAFT_KINDS][:2] == ["Giấy mời", "Tờ trình"]


def test_bases_follow_the_date_and_end_with_the_block(api: TestClient, tab: InspectionTab) -> None:
    staff = session_of(api, "nv-sxd", "SXD")
    now = tab.bases("quản lý văn bản điện tử", "01/03/2026", staff, "vi")
    assert "35/2025/QĐ-UBND" in now and "```text\nCăn cứ" in now and "18/2021/QĐ-UBND" not in now.split("```")[1]
    before = tab.bases("quản lý văn bản điện tử", "01/06/2024", staff, "vi")
    assert "18/2021/QĐ-UBND" in before.split("```")[1]
    assert tab.bases("quản lý văn bản", "31/02/2025", staff, "vi").startswith("⚠ Ngày '31/02/2025'")
    assert tab.bases(" ", "", staff, "en").startswith("⚠ Enter a topic")


def test_the_workspace_shows_the_checklist_and_saves_both_word_files(api: TestClient, tab: InspectionTab) -> None:
    staff = session_of(api, "nv-sxd", "SXD")
    shown, checklist, plan = tab.workspace("quản lý văn bản điện tử", "UBND xã Chi Lăng", "01/03/2026", staff, "vi")
    assert "| 05 ngày làm việc | khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND |" in shown
    assert "Thời hạn thanh tra" in shown and checklist and plan
    assert Path(checklist).name.startswith("bang-kiem") and Path(plan).suffix == ".docx"
    rows = [[c.text for c in r.cells] for table in Document(checklist).tables for r in table.rows]
    assert rows[0][1] == "Nội dung kiểm tra"
    assert "KẾ HOẠCH" in "\n".join(p.text for p in Document(plan).paragraphs)
    refused = tab.workspace("quản lý văn bản điện tử", " ", "", staff, "vi")
    assert refused[0].startswith("⚠") and refused[1:] == (None, None)


def test_the_comparison_marks_the_changed_words(api: TestClient, tab: InspectionTab) -> None:
    staff = session_of(api, "nv-sxd", "SXD")
    picker, _ = tab.documents_update(staff)
    assert "qc-qlvb-2021" in {value for _, value in picker["choices"]}
    shown, saved = tab.compare("qc-qlvb-2021", None, staff, "vi")
    assert "18/2021/QĐ-UBND → 35/2025/QĐ-UBND" in shown
    assert "<del>" in shown and "<ins>" in shown
    assert saved and Document(io.BytesIO(Path(saved).read_bytes())).tables
    assert "Hãy chọn" in tab.compare(None, None, staff, "vi")[0]


def test_a_draft_is_saved_with_its_placeholders_named(api: TestClient, tab: InspectionTab) -> None:
    staff = session_of(api, "nv-sxd", "SXD")
    message, saved = tab.make_draft(
        "cong_van", "Ủy ban nhân dân tỉnh Lạng Sơn", "UBND", "Triển khai Bình dân học vụ số",
        "quản lý văn bản điện tử", "Các sở, ban, ngành", "", "", staff, "vi",
    )  # fmt: skip
    assert message.startswith("✓ Đã soạn") and "UBND" in message and "Còn để trống, cần điền:" in message
    document = Document(saved)
    cells = [c.text for table in document.tables for r in table.rows for c in r.cells]
    text = "\n".join([*(p.text for p in document.paragraphs), *cells])
    assert "V/v Triển khai Bình dân học vụ số" in text and "Các sở, ban, ngành" in text
    refused, nothing = tab.make_draft(
        "giay_moi", "Ủy ban nhân dân tỉnh Lạng Sơn", "UBND", "Họp", "", "Các sở", "time=8 giờ", "", staff, "vi"
    )
    assert refused.startswith("⚠") and "recipients" in refused and nothing is None


def test_an_outsider_never_sees_a_unit_only_text_in_the_tab(api: TestClient, tab: InspectionTab) -> None:
    inspector = session_of(api, "ttv", "TTT", role="inspector")
    inside, _, _ = tab.workspace("kết luận thanh tra", "UBND xã Chi Lăng", "", inspector, "vi")
    assert "07/HD-TTr" in inside
    staff = session_of(api, "nv-sxd", "SXD")
    outside, checklist, plan = tab.workspace("kết luận thanh tra", "UBND xã Chi Lăng", "", staff, "vi")
    assert "07/HD-TTr" not in outside + tab.bases("kết luận thanh tra", "", staff, "vi")
    for saved in (checklist, plan):
        document = Document(saved)
        cells = [c.text for table in document.tables for r in table.rows for c in r.cells]
        assert "07/HD-TTr" not in "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_the_tab_is_for_signed_in_users_and_forgets_the_previous_one(api: TestClient, tab: InspectionTab) -> None:
    from ui.labels import Labels

    with gr.Blocks():
        tab.build(Labels("vi"), "vi")
    targets = tab.reset_targets()
    signed_out, signed_in = tab.reset(None, "vi"), tab.reset(session_of(api, "nv-sxd", "SXD"), "vi")
    assert len(signed_out) == len(signed_in) == len(targets) and targets[0] is tab.tab
    assert signed_out[0]["visible"] is False and signed_in[0]["visible"] is True
    assert tab.reset(Session(), "vi")[0]["visible"] is False  # an anonymous visitor
    cleared = dict(zip(targets[1:], signed_in[1:], strict=True))
    assert cleared[tab.bases_out] == cleared[tab.topic] == "" and cleared[tab.checklist_file] is None
    assert cleared[tab.doc] == {"__type__": "update", "choices": [], "value": None}
