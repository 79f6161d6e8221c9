"""Exports of quiz banks and lessons: a Word test paper and its answer key, Moodle XML and GIFT for an LMS, and a
lesson as a Word page.

Every bank export carries the accepted and the pending items (a trainer prints or imports a draft before reviewing
every item; the key marks pending items), never rejected ones; ``include_pending=False`` keeps accepted items only.
"""

from __future__ import annotations

from assistant.quiz.export.docx_lesson import lesson_to_docx
from assistant.quiz.export.docx_paper import answer_key_to_docx, bank_to_docx
from assistant.quiz.export.gift import bank_to_gift
from assistant.quiz.export.moodle_xml import bank_to_moodle_xml

__all__ = ["answer_key_to_docx", "bank_to_docx", "bank_to_gift", "bank_to_moodle_xml", "lesson_to_docx"]
