"""Drafts of every kind read back with python-docx against Nghị định 30/2020/NĐ-CP, Phụ lục I: page and margins,
Times New Roman, the borderless header table and the type of each of its parts, tên loại and trích yếu, the order
of the parts, the body's paragraphs, the signature block and Nơi nhận."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from assistant.drafting import DraftKind, DraftRequest, render_draft
from assistant.drafting.metrics import text_width_mm

Reader = Callable[[bytes], Any]  # conftest.read_draft: bytes -> DraftView
Requests = dict[DraftKind, DraftRequest]
DATE_LINE = re.compile(r"^Lạng Sơn, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$")


def _runs(paragraph: Paragraph) -> list:
    return [run for run in paragraph.runs if run.text.strip()]


def _sizes(paragraph: Paragraph) -> set[float]:
    return {run.font.size.pt for run in _runs(paragraph) if run.font.size is not None}


def _style(paragraph: Paragraph) -> tuple[bool, bool, bool]:
    """(all bold, all italic, any underlined) over the paragraph's visible runs."""
    runs = _runs(paragraph)
    assert runs, f"empty paragraph where text was expected: {paragraph.text!r}"
    return all(r.bold for r in runs), all(r.italic for r in runs), any(r.underline for r in runs)


def _rule_width_mm(paragraph: Paragraph, available_mm: float) -> float:
    fmt = paragraph.paragraph_format
    return available_mm - (fmt.left_indent or 0) / 36000 - (fmt.right_indent or 0) / 36000


def _text(paragraphs: list[Paragraph]) -> list[Paragraph]:
    return [p for p in paragraphs if p.text.strip()]


def test_page_margins_and_fonts(complete_request: DraftRequest, read_draft: Reader) -> None:
    document = read_draft(render_draft(complete_request).content).document
    section = document.sections[0]
    mm = {name: round(getattr(section, name).mm, 1) for name in ("page_width", "page_height")}
    assert mm == {"page_width": 210.0, "page_height": 297.0}
    assert section.orientation == 0  # portrait
    margins = [round(getattr(section, f"{edge}_margin").mm) for edge in ("top", "bottom", "left", "right")]
    assert margins == [20, 20, 30, 15]
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
    xml = document.element.xml
    assert "Theme" not in document.styles.element.xml.split("w:rFonts", 1)[-1][:200]
    assert "\ue000" not in xml and "\ue001" not in xml  # placeholder marks never leak into the document
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")


def test_page_numbers_from_page_two_centred_in_the_top_margin(read_draft: Reader, requests_by_kind: Requests) -> None:
    section = read_draft(render_draft(requests_by_kind[DraftKind.BAO_CAO]).content).document.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in "".join(t.text or "" for t in header._p.iter(qn("w:instrText")))


def test_header_table_has_no_borders_and_two_fixed_columns(complete_request: DraftRequest, read_draft: Reader) -> None:
    header = read_draft(render_draft(complete_request).content).header
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"} and len(borders) == 6
    assert header._tbl.find(f".//{qn('w:tcBorders')}") is None
    assert header.style is None or header.style.name in ("Normal Table", "Table Normal")
    widths = [round(int(col.get(qn("w:w"))) / 56.7) for col in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == 165  # the text width of the page


def test_header_left_column(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    bodies = draft.cells["bodies"]
    texts = _text(bodies)
    issuer = texts[-1]
    if complete_request.superior_body:
        superior = texts[0]
        assert superior.text == complete_request.superior_body.upper()
        assert _style(superior) == (False, False, False) and _sizes(superior) <= {12, 13}
    assert issuer.text.replace("\n", " ") == complete_request.issuing_body.upper()
    assert _style(issuer) == (True, False, False) and _sizes(issuer) <= {12, 13}
    rule = bodies[-1]
    assert draft.has_rule(rule), "a short line under the issuing body"
    longest = max(text_width_mm(part, 12, bold=True) for part in issuer.text.split("\n"))
    assert longest / 3 - 1 <= _rule_width_mm(rule, 68) <= longest / 2 + 1

    number, *rest = _text(draft.cells["number"])
    assert number.text == f"Số: {render_draft(complete_request).number}"
    assert _style(number) == (False, False, False) and _sizes(number) == {13}
    if complete_request.kind is DraftKind.CONG_VAN:
        (subject,) = rest
        assert subject.text.replace("\n", " ") == f"V/v {complete_request.subject}"
        assert _style(subject) == (False, False, False) and _sizes(subject) <= {12, 13}
    else:
        assert rest == []


def test_header_right_column(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    national = draft.cells["national"]
    name, motto = _text(national)
    assert name.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert _style(name) == (True, False, False) and _sizes(name) <= {12, 13}
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert _style(motto) == (True, False, False) and _sizes(motto) <= {13, 14}
    assert draft.has_rule(national[-1]), "a line under the tiêu ngữ"
    motto_mm = text_width_mm(motto.text, max(_sizes(motto)), bold=True)
    assert abs(_rule_width_mm(national[-1], 93) - motto_mm) < 1.5, "the line is as long as the tiêu ngữ"
    (date,) = _text(draft.cells["date"])
    assert DATE_LINE.match(date.text), date.text
    assert _style(date) == (False, True, False) and _sizes(date) <= {13, 14}
    for paragraph in [*national, *draft.cells["date"]]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_title_and_subject(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    headings = {kind.label.upper() for kind in DraftKind}
    if complete_request.kind is DraftKind.CONG_VAN:
        assert not any(text in headings for text in draft.texts), "a công văn has no tên loại"
        return
    title, subject, rule = draft.middle[:3]
    assert title.text == complete_request.kind.label.upper()
    assert subject.text.replace("\n", " ") == complete_request.subject
    for paragraph in (title, subject):
        assert _style(paragraph) == (True, False, False) and _sizes(paragraph) <= {13, 14}
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert draft.has_rule(rule), "a short line under the trích yếu"
    longest = max(text_width_mm(part, 14, bold=True) for part in subject.text.split("\n"))
    assert longest / 3 - 1 <= _rule_width_mm(rule, 165) <= longest / 2 + 1


def _part(paragraph: Paragraph, kind: DraftKind) -> str:
    text = paragraph.text
    if not text.strip():
        return ""
    if text == kind.label.upper():
        return "title"
    if text.startswith("Kính gửi") or (text.startswith("- ") and paragraph.alignment == WD_ALIGN_PARAGRAPH.LEFT):
        return "recipients"
    if text.startswith(("Căn cứ", "Theo đề nghị")):
        return "bases"
    if paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER:
        return "authority" if text.isupper() and text != "QUYẾT ĐỊNH:" else "subject"
    return "body"


EXPECTED_ORDER = {
    DraftKind.GIAY_MOI: ["title", "subject", "body"],
    DraftKind.TO_TRINH: ["title", "subject", "recipients", "bases", "body"],
    DraftKind.BAO_CAO: ["title", "subject", "body"],
    DraftKind.CONG_VAN: ["recipients", "body"],
    DraftKind.KE_HOACH: ["title", "subject", "bases", "body"],
    DraftKind.QUYET_DINH: ["title", "subject", "authority", "bases", "subject", "body"],  # "QUYẾT ĐỊNH:" centred
}


def test_parts_come_in_order(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    order: list[str] = []
    for paragraph in draft.middle:
        part = _part(paragraph, complete_request.kind)
        if part and (not order or order[-1] != part):
            order.append(part)
    assert order == EXPECTED_ORDER[complete_request.kind]
    # After the body: the signature block (right column), level with Nơi nhận (left column).
    assert _text(draft.signature)[0].text.startswith(complete_request.signature.authority.value)
    assert draft.distribution[0].text == "Nơi nhận:"


def test_body_paragraphs(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    body = [p for p in draft.middle if _part(p, complete_request.kind) in ("body", "bases")]
    assert body
    for paragraph in body:
        fmt = paragraph.paragraph_format
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert fmt.first_line_indent is not None and 10 <= fmt.first_line_indent.mm <= 12.7 + 1e-6
        assert (fmt.space_before or 0) + (fmt.space_after or 0) >= 6 * 12700
        assert fmt.line_spacing is not None and 1.0 <= fmt.line_spacing <= 1.5
        assert _sizes(paragraph) <= {13, 14}
    assert body[-1].text.endswith("./."), "the body ends with ./."


def test_bases_are_italic_with_their_punctuation(read_draft: Reader, requests_by_kind: Requests) -> None:
    draft = read_draft(render_draft(requests_by_kind[DraftKind.TO_TRINH]).content)
    bases = [p for p in draft.middle if p.text.startswith("Căn cứ")]
    assert [p.text[-1] for p in bases] == [";", ";", "."]  # given ending ";", "." and nothing
    assert all(_style(p)[1] for p in bases)
    decision = read_draft(render_draft(requests_by_kind[DraftKind.QUYET_DINH]).content)
    lines = [p for p in decision.middle if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert [p.text[-1] for p in lines] == [";", ";", ";", "."]  # "Theo đề nghị …" closes the bases
    assert lines[-1].text.startswith("Theo đề nghị") and all(_style(p)[1] for p in lines)


def test_decision_articles_have_bold_headings(read_draft: Reader, requests_by_kind: Requests) -> None:
    draft = read_draft(render_draft(requests_by_kind[DraftKind.QUYET_DINH]).content)
    assert "QUYẾT ĐỊNH:" in draft.texts
    articles = [p for p in draft.middle if re.match(r"Điều \d+\.", p.text)]
    assert [p.text.split(".")[0] for p in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    for paragraph in articles:
        assert paragraph.runs[0].bold and paragraph.runs[0].text.startswith("Điều")
    assert articles[1].text == "Điều 2. Hiệu lực thi hành" and _style(articles[1])[0]
    assert not _style(articles[0])[0], "the text after “Điều 1.” is regular"
    authority = next(p for p in draft.middle if p.text == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    assert _style(authority)[0]


def test_signature_block(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    lines = _text(draft.signature)
    signature = complete_request.signature
    label, title, name = lines
    assert label.text == f"{signature.authority.value} {signature.on_behalf_of.upper()}"
    assert title.text == signature.title.upper()
    assert name.text == signature.name
    for paragraph in lines:
        assert _style(paragraph) == (True, False, False) and _sizes(paragraph) <= {13, 14}
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    space = draft.signature.index(name) - draft.signature.index(title) - 1
    assert space >= 3, "room for the signature and seal between the title and the name"
    # The block stays on one page, on the page of the body's last paragraph.
    closing_row = draft.signature[0]._p.getparent().getparent()
    assert closing_row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    assert draft.middle[-1].paragraph_format.keep_with_next


def test_distribution_list(complete_request: DraftRequest, read_draft: Reader) -> None:
    draft = read_draft(render_draft(complete_request).content)
    label, *items = _text(draft.distribution)
    assert label.text == "Nơi nhận:" and _style(label) == (True, True, False) and _sizes(label) == {12}
    assert label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert all(p.text.startswith("- ") and _sizes(p) == {11} for p in items)
    assert all(p.text.endswith(";") for p in items[:-1])
    copies = f", {complete_request.archive_copies}b" if complete_request.archive_copies else ""
    assert items[-1].text == f"- Lưu: VT, {complete_request.drafting_unit}{copies}."
    assert [p.text[2:-1] for p in items[:-1]] == list(complete_request.distribution)


def test_long_names_break_into_balanced_lines(read_draft: Reader) -> None:
    request = DraftRequest(DraftKind.BAO_CAO, issuing_body="Ủy ban nhân dân tỉnh Lạng Sơn")
    issuer = _text(read_draft(render_draft(request).content).cells["bodies"])[0]
    assert issuer.text == "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN"
