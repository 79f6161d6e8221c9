"""Render a draft request as a Word document in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait,
margins 20/20/30/15 mm, Times New Roman, page numbers centred in the top margin from page 2; header table, tên loại
and trích yếu, Kính gửi, căn cứ, body, signature block and Nơi nhận."""

from __future__ import annotations

import logging

from assistant.drafting import layout
from assistant.drafting.body import add_body, add_recipients, add_title
from assistant.drafting.closing import add_closing
from assistant.drafting.header import add_header
from assistant.drafting.layout import Fields
from assistant.drafting.request import Draft, DraftRequest
from assistant.quiz.export.docx_style import new_document, to_bytes

__all__ = ["render_draft"]

logger = logging.getLogger(__name__)


def render_draft(request: DraftRequest) -> Draft:
    """The DOCX of ``request``; every field it lacks is a highlighted placeholder, listed in ``Draft.placeholders``."""
    if not isinstance(request, DraftRequest):
        raise TypeError(f"render_draft needs a DraftRequest, got {type(request).__name__}")
    document = new_document()
    fields = Fields()
    number = add_header(document, request, fields)
    add_title(document, request, fields)
    add_recipients(document, request, fields)
    add_body(document, request, fields)
    document.paragraphs[-1].paragraph_format.keep_with_next = True  # the signature never starts a page alone
    add_closing(document, request, fields)
    draft = Draft(
        kind=request.kind, content=to_bytes(document), number=layout.plain(number), placeholders=fields.placeholders
    )
    logger.debug("rendered a %s draft, %d placeholders", request.kind.value, len(draft.placeholders))
    return draft
