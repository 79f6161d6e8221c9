"""The foot of an official document (Phụ lục I, mục II 7–8): a borderless table with "Nơi nhận:" and its list on the
left and the signature block on the right (authority label, the signer's title, space to sign, the name)."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from assistant.drafting import layout
from assistant.drafting.layout import Fields
from assistant.drafting.request import DraftRequest, SignAuthority

DISTRIBUTION_MM, SIGNATURE_MM = 80.0, 85.0
SIGNING_SPACE_LINES = 4  # empty lines where the signature (or the digital-signature image) and seal go


def signature_lines(request: DraftRequest, fields: Fields) -> list[str]:
    """The bold upper-case lines above the signing space: "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC" (one "Q. GIÁM ĐỐC" for
    an acting head); TM. speaks for the issuing body unless another collective is named."""
    signature = request.signature
    title = fields.get("signature.title", signature.title.upper(), "[CHỨC VỤ NGƯỜI KÝ]")
    authority = signature.authority
    if authority is SignAuthority.NONE:
        return [title]
    if authority is SignAuthority.Q:
        return [f"Q. {title}"]
    on_behalf = signature.on_behalf_of or (request.issuing_body if authority is SignAuthority.TM else "")
    placeholder = "[TÊN TẬP THỂ]" if authority is SignAuthority.TM else "[CHỨC VỤ NGƯỜI ĐỨNG ĐẦU]"
    return [f"{authority.value} {fields.get('signature.on_behalf_of', on_behalf.upper(), placeholder)}", title]


def distribution_lines(request: DraftRequest, fields: Fields) -> list[str]:
    """ "- …;" per recipient, then "- Lưu: VT, <drafting unit>[, <copies>b]."."""
    unit = fields.get("drafting_unit", request.drafting_unit, "[viết tắt đơn vị soạn thảo]")
    copies = f", {request.archive_copies}b" if request.archive_copies else ""
    recipients = fields.lines("distribution", request.distribution, "[nơi nhận]")
    return [f"- {layout.end_with(who, ';')}" for who in recipients] + [f"- Lưu: VT, {unit}{copies}."]


def add_closing(document: DocxDocument, request: DraftRequest, fields: Fields) -> None:
    """Add the Nơi nhận and signature table after the body."""
    table = layout.borderless_table(document, rows=1, widths_mm=(DISTRIBUTION_MM, SIGNATURE_MM))
    distribution, signature = table.cell(0, 0), table.cell(0, 1)
    wrap = SIGNATURE_MM - 2 * layout.CELL_PADDING_MM
    # The signature block is read first: it is the right column, level with "Nơi nhận:".
    for i, text in enumerate(signature_lines(request, fields)):
        layout.line(signature, text, size=layout.SIGNATURE_PT, bold=True, before=12 if i == 0 else 0, wrap_mm=wrap)
    for _ in range(SIGNING_SPACE_LINES):
        layout.line(signature, "", size=layout.SIGNATURE_PT)
    name = fields.get("signature.name", request.signature.name, "[Họ và tên người ký]")
    layout.line(signature, name, size=layout.SIGNATURE_PT, bold=True)

    left = WD_ALIGN_PARAGRAPH.LEFT
    label_pt = layout.DISTRIBUTION_LABEL_PT
    layout.line(distribution, "Nơi nhận:", size=label_pt, bold=True, italic=True, align=left, before=12)
    for text in distribution_lines(request, fields):
        layout.line(distribution, text, size=layout.DISTRIBUTION_PT, align=left)
