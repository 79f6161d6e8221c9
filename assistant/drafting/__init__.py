"""Official drafts (giấy mời, tờ trình, báo cáo, công văn, kế hoạch, quyết định) as Word documents in the layout of
Nghị định 30/2020/NĐ-CP, Phụ lục I, with the ký hiệu of Phụ lục III. Nothing is invented: what the request leaves
empty stays a visible placeholder, and the draft lists those fields."""

from __future__ import annotations

from assistant.drafting.details import (
    Article,
    Decision,
    DraftKind,
    InvalidDraftRequest,
    Invitation,
    Letter,
    Plan,
    Report,
    Submission,
)
from assistant.drafting.render import render_draft
from assistant.drafting.request import Draft, DraftRequest, Signature, SignAuthority

__all__ = [
    "Article",
    "Decision",
    "Draft",
    "DraftKind",
    "DraftRequest",
    "InvalidDraftRequest",
    "Invitation",
    "Letter",
    "Plan",
    "Report",
    "SignAuthority",
    "Signature",
    "Submission",
    "render_draft",
]
