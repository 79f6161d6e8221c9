"""Exports of quiz banks and lessons: a Word test paper and its answer key, Moodle XML, GIFT and CSV for an LMS or a
spreadsheet, and a lesson as a Word page.

Every bank export carries the accepted and the pending items (a trainer prints or imports a draft before reviewing
every item; the key marks pending items), never rejected ones; ``include_pending=False`` keeps accepted items only.
"""

from __future__ import annotations

from typing import NamedTuple

from assistant.errors import InvalidRequest
from assistant.quiz.export.csv_sheet import bank_to_csv
from assistant.quiz.export.docx_lesson import lesson_to_docx
from assistant.quiz.export.docx_paper import answer_key_to_docx, bank_to_docx
from assistant.quiz.export.gift import bank_to_gift
from assistant.quiz.export.moodle_xml import bank_to_moodle_xml
from assistant.quiz.model import QuizBank

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPORT_FORMATS = ("docx", "key", "moodle", "gift", "csv")

__all__ = [
    "DOCX_MEDIA_TYPE",
    "EXPORT_FORMATS",
    "ExportedFile",
    "UnknownExportFormat",
    "answer_key_to_docx",
    "bank_to_csv",
    "bank_to_docx",
    "bank_to_gift",
    "bank_to_moodle_xml",
    "export_bank",
    "lesson_to_docx",
]


class UnknownExportFormat(InvalidRequest, ValueError):
    """The asked export format is not one of ``EXPORT_FORMATS``."""

    def __init__(self, fmt: str) -> None:
        super().__init__(f"Định dạng xuất '{fmt}' không được hỗ trợ; chọn một trong: {', '.join(EXPORT_FORMATS)}.")
        self.fmt = fmt


class ExportedFile(NamedTuple):
    """An export ready to send: its bytes, media type and the end of its file name (after the bank's name)."""

    content: bytes
    media_type: str
    filename_suffix: str


def export_bank(bank: QuizBank, fmt: str, *, include_pending: bool = True) -> ExportedFile:
    """``bank`` in format ``fmt``: "docx" (test paper), "key" (answer key, Word), "moodle" (Moodle XML), "gift"
    (GIFT text) or "csv"; any other format raises ``UnknownExportFormat`` (a ``ValueError``) naming these."""
    if fmt == "docx":
        return ExportedFile(bank_to_docx(bank, include_pending=include_pending), DOCX_MEDIA_TYPE, ".docx")
    if fmt == "key":
        return ExportedFile(answer_key_to_docx(bank, include_pending=include_pending), DOCX_MEDIA_TYPE, "-dap-an.docx")
    if fmt == "moodle":
        content = bank_to_moodle_xml(bank, include_pending=include_pending)
        return ExportedFile(content, "application/xml", "-moodle.xml")
    if fmt == "gift":
        text = bank_to_gift(bank, include_pending=include_pending)
        return ExportedFile(text.encode("utf-8"), "text/plain; charset=utf-8", "-gift.txt")
    if fmt == "csv":
        text = bank_to_csv(bank, include_pending=include_pending)
        return ExportedFile(text.encode("utf-8"), "text/csv; charset=utf-8", ".csv")
    raise UnknownExportFormat(fmt)
