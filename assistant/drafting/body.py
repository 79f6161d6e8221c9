"""The parts between the header and the signature: tên loại and trích yếu, "Kính gửi", the căn cứ lines, and the
body each kind is made of (Nghị định 30/2020/NĐ-CP, Phụ lục I and the forms of Phụ lục III)."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from assistant.drafting import layout
from assistant.drafting.details import Article, Decision, DraftKind, Invitation, Letter, Plan, Report, Submission
from assistant.drafting.layout import Fields
from assistant.drafting.request import KINDS_WITH_RECIPIENTS, DraftRequest

TEXT_WIDTH_MM = 165.0
RECIPIENTS_INDENT_MM = 35.0
_LIST_INDENT_MM = 15.0  # "- …;" of several recipients, past "Kính gửi:"


def add_title(document: DocxDocument, request: DraftRequest, fields: Fields) -> None:
    """Tên loại in upper case and the trích yếu under it, both bold and centred, with a short rule (not for a
    công văn, whose trích yếu is the "V/v" line of the header)."""
    if request.kind is DraftKind.CONG_VAN:
        return
    layout.line(document, request.kind.heading, size=layout.TITLE_PT, bold=True, before=18)
    subject = fields.get("subject", request.subject, "[trích yếu nội dung]")
    layout.line(document, subject, size=layout.TITLE_PT, bold=True, wrap_mm=TEXT_WIDTH_MM)
    layout.rule(document, layout.short_rule_width(subject, layout.TITLE_PT, TEXT_WIDTH_MM), TEXT_WIDTH_MM)


def add_recipients(document: DocxDocument, request: DraftRequest, fields: Fields) -> None:
    """ "Kính gửi: …" on one line, or one "- …;" line per recipient (the last ending with ".")."""
    if request.kind not in KINDS_WITH_RECIPIENTS and not request.recipients:
        return
    before = 18 if request.kind is DraftKind.CONG_VAN else 12
    recipients = fields.lines("recipients", request.recipients, "[nơi nhận văn bản]")
    if len(recipients) == 1:
        text = f"Kính gửi: {recipients[0]}"
        layout.line(document, text, size=layout.BODY_PT, before=before, after=6)
        return
    layout.line(
        document,
        "Kính gửi:",
        size=layout.BODY_PT,
        before=before,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        left_mm=RECIPIENTS_INDENT_MM,
    )
    for i, recipient in enumerate(recipients):
        mark = "." if i == len(recipients) - 1 else ";"
        layout.line(
            document,
            f"- {layout.end_with(recipient, mark)}",
            size=layout.BODY_PT,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            left_mm=RECIPIENTS_INDENT_MM + _LIST_INDENT_MM,
            after=6 if mark == "." else 0,
        )


def add_bases(document: DocxDocument, lines: tuple[str, ...]) -> None:
    """The căn cứ lines in italic, each ending with ";" and the last with "."."""
    for i, text in enumerate(lines):
        layout.body(document, layout.end_with(text, "." if i == len(lines) - 1 else ";"), italic=True)


def add_body(document: DocxDocument, request: DraftRequest, fields: Fields) -> None:
    """The bases and the body of the request's kind; the last paragraph ends with "./."."""
    details = request.details
    paragraphs: list[tuple[str, bool]] = []  # (text, bold)
    if isinstance(details, Decision):
        _decision(document, request, details, fields)
        return
    add_bases(document, request.bases)
    if isinstance(details, Invitation):
        paragraphs = _invitation(request, details, fields)
    elif isinstance(details, Submission):
        paragraphs = _submission(request, details, fields)
    elif isinstance(details, Report | Plan):
        paragraphs = _sections(details, fields)
    elif isinstance(details, Letter):
        paragraphs = [(text, False) for text in fields.lines("details.paragraphs", details.paragraphs, "[nội dung]")]
    _write(document, paragraphs)


def _write(document: DocxDocument, paragraphs: list[tuple[str, bool]]) -> None:
    for i, (text, bold) in enumerate(paragraphs):
        layout.body(document, layout.end_with(text, "./.") if i == len(paragraphs) - 1 else text, bold=bold)


def _invitation(request: DraftRequest, details: Invitation, fields: Fields) -> list[tuple[str, bool]]:
    issuer = fields.get("issuing_body", request.issuing_body, "[tên cơ quan ban hành]")
    invitees = fields.lines("details.invitees", details.invitees, "[thành phần được mời]")
    lines = [(f"{issuer} trân trọng kính mời:", False)]
    lines += [
        (f"- {layout.end_with(who, '.' if i == len(invitees) - 1 else ';')}", False) for i, who in enumerate(invitees)
    ]
    labelled = (
        ("Thời gian", "details.time", details.time, "[thời gian]"),
        ("Địa điểm", "details.venue", details.venue, "[địa điểm]"),
        ("Nội dung", "details.content", details.content, "[nội dung cuộc họp]"),
        ("Chuẩn bị", "details.preparation", details.preparation, "[tài liệu, nội dung cần chuẩn bị]"),
        ("Liên hệ", "details.contact", details.contact, "[người liên hệ, số điện thoại]"),
    )
    lines += [
        (f"{label}: {layout.end_with(fields.get(name, value, hole), '.')}", False)
        for label, name, value, hole in labelled
    ]
    return lines


def _submission(request: DraftRequest, details: Submission, fields: Fields) -> list[tuple[str, bool]]:
    lines = [("1. Sự cần thiết", True)]
    lines += [(text, False) for text in fields.lines("details.need", details.need, "[sự cần thiết]")]
    lines.append(("2. Nội dung đề nghị", True))
    lines += [(text, False) for text in fields.lines("details.proposal", details.proposal, "[nội dung đề nghị]")]
    attachments = fields.lines("details.attachments", details.attachments, "[hồ sơ, tài liệu gửi kèm]")
    lines.append(("3. Hồ sơ gửi kèm", True))
    lines += [
        (f"- {layout.end_with(text, ';' if i < len(attachments) - 1 else '.')}", False)
        for i, text in enumerate(attachments)
    ]
    recipient = fields.get("recipients", ", ".join(request.recipients), "[cấp có thẩm quyền]")
    lines.append((f"Kính trình {recipient} xem xét, quyết định", False))
    return lines


_SECTIONS: dict[type, tuple[tuple[str, str, str], ...]] = {
    Report: (
        ("I. KẾT QUẢ ĐẠT ĐƯỢC", "results", "[kết quả đạt được]"),
        ("II. HẠN CHẾ, NGUYÊN NHÂN", "limits", "[hạn chế và nguyên nhân]"),
        ("III. NHIỆM VỤ THỜI GIAN TỚI", "next_tasks", "[nhiệm vụ thời gian tới]"),
        ("IV. ĐỀ XUẤT, KIẾN NGHỊ", "recommendations", "[đề xuất, kiến nghị]"),
    ),
    Plan: (
        ("I. MỤC ĐÍCH, YÊU CẦU", "purpose", "[mục đích, yêu cầu]"),
        ("II. NỘI DUNG, NHIỆM VỤ", "tasks", "[nội dung, nhiệm vụ]"),
        ("III. TỔ CHỨC THỰC HIỆN", "organisation", "[tổ chức thực hiện]"),
    ),
}


def _sections(details: Report | Plan, fields: Fields) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = []
    for heading, name, hole in _SECTIONS[type(details)]:
        lines.append((heading, True))
        lines += [(text, False) for text in fields.lines(f"details.{name}", getattr(details, name), hole)]
    return lines


def _decision(document: DocxDocument, request: DraftRequest, details: Decision, fields: Fields) -> None:
    """The authority, the bases and "Theo đề nghị …", "QUYẾT ĐỊNH:", then Điều 1, 2, … with bold headings."""
    authority = fields.get("details.authority", details.authority.upper(), "[THẨM QUYỀN BAN HÀNH]")
    layout.line(document, authority, size=layout.TITLE_PT, bold=True, before=12, wrap_mm=TEXT_WIDTH_MM)
    proposal = details.proposal or "Theo đề nghị của " + fields.get("details.proposal", "", "[cơ quan, đơn vị trình]")
    add_bases(document, (*request.bases, proposal))
    layout.line(document, "QUYẾT ĐỊNH:", size=layout.TITLE_PT, bold=True, before=12, after=6)
    articles = details.articles or (Article(text=fields.get("details.articles", "", "[nội dung các điều]")),)
    for number, article in enumerate(articles, start=1):
        last = number == len(articles)
        heading = f"Điều {number}." + (f" {article.title}" if article.title else "")
        if article.title or not article.text:
            layout.body(document, layout.end_with(heading, "./.") if last and not article.text else heading, bold=True)
            if article.text:
                layout.body(document, layout.end_with(article.text, "./.") if last else article.text)
            continue
        paragraph = layout.body(document, heading + " ", bold=True)
        layout.write(paragraph, layout.end_with(article.text, "./.") if last else article.text, size=layout.BODY_PT)
