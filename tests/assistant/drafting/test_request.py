"""The request side of drafting: số/ký hiệu per kind, the date line and its leading zeros, placeholders for every
field left empty (visible, highlighted and listed), and bad input refused with an error naming the field."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from assistant.drafting import (
    Article,
    Decision,
    DraftKind,
    DraftRequest,
    InvalidDraftRequest,
    Invitation,
    Letter,
    Report,
    Signature,
    SignAuthority,
    render_draft,
)
from assistant.drafting.header import date_line
from assistant.drafting.layout import Fields
from assistant.drafting.metrics import balanced_lines, text_width_mm
from assistant.errors import InvalidRequest

Reader = Callable[[bytes], Any]  # conftest.read_draft: bytes -> DraftView


def _all_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _highlighted(content: bytes) -> set[str]:
    document = Document(io.BytesIO(content))
    paragraphs = list(document.paragraphs)
    paragraphs += [p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return {run.text for p in paragraphs for run in p.runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (DraftKind.GIAY_MOI, "12/GM-UBND"),
        (DraftKind.TO_TRINH, "12/TTr-UBND"),
        (DraftKind.BAO_CAO, "12/BC-UBND"),
        (DraftKind.KE_HOACH, "12/KH-UBND"),
        (DraftKind.QUYET_DINH, "12/QĐ-UBND"),
        (DraftKind.CONG_VAN, "12/UBND-VP"),  # the body's abbreviation, then the drafting unit's
    ],
)
def test_number_per_kind(kind: DraftKind, expected: str) -> None:
    request = DraftRequest(kind, issuing_abbreviation="UBND", drafting_unit="VP", number="12")
    draft = render_draft(request)
    assert draft.number == expected
    assert f"Số: {expected}" in _all_text(draft.content)


def test_an_unnumbered_draft_shows_a_placeholder_number() -> None:
    draft = render_draft(DraftRequest(DraftKind.GIAY_MOI, issuing_abbreviation="STTTT"))
    assert draft.number == "…/GM-STTTT"
    assert "number" in draft.placeholders and "…" in _highlighted(draft.content)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 5), "Lạng Sơn, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 1, 15), "Lạng Sơn, ngày 15 tháng 01 năm 2026"),
        (dt.date(2026, 2, 9), "Lạng Sơn, ngày 09 tháng 02 năm 2026"),
        (dt.date(2025, 10, 1), "Lạng Sơn, ngày 01 tháng 10 năm 2025"),
        (dt.date(2025, 12, 31), "Lạng Sơn, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line_has_leading_zeros_for_days_below_10_and_months_below_3(date: dt.date, expected: str) -> None:
    fields = Fields()
    assert date_line("Lạng Sơn", date, fields) == expected
    assert fields.placeholders == ()
    draft = render_draft(DraftRequest(DraftKind.BAO_CAO, place="Lạng Sơn", date=date))
    assert expected in _all_text(draft.content)


def test_an_empty_request_is_all_placeholders_listed_and_visible() -> None:
    draft = render_draft(DraftRequest("giấy mời"))
    assert draft.kind is DraftKind.GIAY_MOI and not draft.complete
    expected = {
        "number", "issuing_abbreviation", "issuing_body", "place", "date", "subject", "details.invitees",
        "details.time", "details.venue", "details.content", "details.preparation", "details.contact",
        "signature.title", "signature.name", "drafting_unit", "distribution",
    }  # fmt: skip
    assert set(draft.placeholders) == expected and len(draft.placeholders) == len(expected)
    text = _all_text(draft.content)
    visible = ("[thời gian]", "[địa điểm]", "ngày … tháng … năm …", "[TÊN CƠ QUAN BAN HÀNH]", "[Họ và tên người ký]")
    for placeholder in (*visible, "- Lưu: VT, [viết tắt đơn vị soạn thảo]."):
        assert placeholder in text
    assert {"[thời gian]", "[địa điểm]", "ngày … tháng … năm …"} <= _highlighted(draft.content)


def test_only_missing_particulars_are_placeholders(requests_by_kind: dict[DraftKind, DraftRequest]) -> None:
    complete = requests_by_kind[DraftKind.GIAY_MOI]
    assert render_draft(complete).placeholders == ()
    draft = render_draft(complete.with_details(time="", contact=""))
    assert draft.placeholders == ("details.time", "details.contact")
    text = _all_text(draft.content)
    assert "Thời gian: [thời gian]." in text and "Liên hệ: [người liên hệ, số điện thoại]./." in text
    assert "Hội trường tầng 3 của Sở" in text


@pytest.mark.parametrize("kind", list(DraftKind), ids=[kind.value for kind in DraftKind])
def test_every_kind_renders_from_nothing_but_its_kind(kind: DraftKind) -> None:
    draft = render_draft(DraftRequest(kind))
    assert draft.placeholders and draft.content.startswith(b"PK")
    if kind in (DraftKind.TO_TRINH, DraftKind.CONG_VAN):
        assert "recipients" in draft.placeholders and "Kính gửi: [nơi nhận văn bản]" in _all_text(draft.content)


def test_decision_without_articles_or_proposal() -> None:
    draft = render_draft(DraftRequest(DraftKind.QUYET_DINH, details=Decision(authority="Chủ tịch UBND tỉnh")))
    text = _all_text(draft.content)
    assert "Theo đề nghị của [cơ quan, đơn vị trình]." in text
    assert "Điều 1. [nội dung các điều]./." in text
    assert {"details.proposal", "details.articles"} <= set(draft.placeholders)
    assert "details.authority" not in draft.placeholders


@pytest.mark.parametrize(
    ("signature", "lines"),
    [
        (Signature("TM", title="Chủ tịch", name="A"), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "A"]),  # TM. the body itself
        (
            Signature("KT.", on_behalf_of="Chủ tịch", title="Phó Chủ tịch", name="B"),
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "B"],
        ),
        (Signature(SignAuthority.Q, title="Giám đốc", name="C"), ["Q. GIÁM ĐỐC", "C"]),
        (Signature(title="Giám đốc", name="D"), ["GIÁM ĐỐC", "D"]),
        (Signature("TL", title="Chánh Văn phòng", name="E"), ["TL. [CHỨC VỤ NGƯỜI ĐỨNG ĐẦU]", "CHÁNH VĂN PHÒNG", "E"]),
    ],
)
def test_signature_labels(signature: Signature, lines: list[str], read_draft: Reader) -> None:
    request = DraftRequest(DraftKind.BAO_CAO, issuing_body="Ủy ban nhân dân", signature=signature)
    view = read_draft(render_draft(request).content)
    assert [p.text for p in view.signature if p.text] == lines


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: DraftRequest("thông báo"), "kind"),
        (lambda: DraftRequest(DraftKind.BAO_CAO, signature=Signature("PT.")), "signature.authority"),
        (lambda: DraftRequest(DraftKind.BAO_CAO, number="12/BC-UBND"), "number"),
        (lambda: DraftRequest(DraftKind.BAO_CAO, issuing_abbreviation="UBND tỉnh"), "issuing_abbreviation"),
        (lambda: DraftRequest(DraftKind.CONG_VAN, drafting_unit="UBND-VP"), "drafting_unit"),
        (lambda: DraftRequest(DraftKind.BAO_CAO, details=Letter()), "details"),
        (lambda: DraftRequest(DraftKind.GIAY_MOI, recipients=("Sở Tài chính",)), "recipients"),
        (lambda: DraftRequest(DraftKind.BAO_CAO, archive_copies=0), "archive_copies"),
        (lambda: DraftRequest(DraftKind.BAO_CAO, date="05/3/2026"), "date"),  # type: ignore[arg-type]
        (lambda: DraftRequest(DraftKind.BAO_CAO, subject=12), "subject"),  # type: ignore[arg-type]
        (lambda: DraftRequest(DraftKind.BAO_CAO, bases=("Căn cứ …", 3)), "bases[1]"),  # type: ignore[arg-type]
        (lambda: Invitation(time=8), "details.time"),  # type: ignore[arg-type]
        (lambda: Report(results="x", limits=5), "details.limits"),  # type: ignore[arg-type]
        (lambda: Decision(articles=(Article("a"), 5)), "details.articles[1]"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_names_the_field(make: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidDraftRequest) as caught:
        make()
    assert caught.value.field == field
    assert f"'{field}'" in str(caught.value)
    assert isinstance(caught.value, InvalidRequest)


def test_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(InvalidDraftRequest, match="giay_moi \\(giấy mời\\)"):
        DraftRequest("thông báo")


def test_kinds_and_labels_are_accepted_in_several_spellings() -> None:
    assert DraftRequest("quyet_dinh").kind is DraftKind.QUYET_DINH
    assert DraftRequest("Tờ trình").kind is DraftKind.TO_TRINH
    assert DraftRequest("cong van").kind is DraftKind.CONG_VAN
    assert Signature("kt").authority is SignAuthority.KT
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân")
    assert DraftRequest(DraftKind.BAO_CAO, issuing_body=f"  {decomposed}\n").issuing_body == "Ủy ban nhân dân"


# --- line breaking -----------------------------------------------------------------------------------------------


def test_balanced_lines_keep_words_and_quotes_together() -> None:
    assert balanced_lines("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", 12, 68, bold=True) == ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"]
    assert balanced_lines("SỞ NỘI VỤ", 12, 68, bold=True) == ["SỞ NỘI VỤ"]
    lines = balanced_lines("V/v triển khai phong trào “Bình dân học vụ số” năm 2026", 12, 68)
    assert lines == ["V/v triển khai phong trào", "“Bình dân học vụ số” năm 2026"]
    assert all(text_width_mm(line, 12) <= 68 for line in lines)


def test_text_width_matches_times_new_roman() -> None:
    # The Quốc hiệu at 12 pt bold is 88.3 mm in Times New Roman (and its metric twin Liberation Serif).
    assert text_width_mm("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True) == pytest.approx(88.3, abs=0.1)
