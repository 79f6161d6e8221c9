"""A lesson ("5 điều cần nhớ về …") as one titled A4 page in Word: numbered points, each followed by its citation."""

from __future__ import annotations

from assistant.quiz.export.docx_style import add_text, new_document, to_bytes
from assistant.quiz.model import Lesson

POINT_INDENT_MM = 8


def lesson_to_docx(lesson: Lesson, *, unit_name: str = "") -> bytes:
    """The lesson's title (and the unit above it when given), its topic, then the points numbered "1.", "2.", … in
    the lesson's order, each followed on its own line by "Căn cứ: <citation>" in italics."""
    document = new_document()
    if unit_name:
        add_text(document, unit_name.upper(), bold=True, center=True)
    add_text(document, lesson.title.upper(), bold=True, center=True, size=14)
    if lesson.topic:
        add_text(document, f"Chủ đề: {lesson.topic}", italic=True, center=True)
    for number, point in enumerate(lesson.points, start=1):
        paragraph = add_text(document, f"{number}. ", bold=True, justify=True)
        add_text(paragraph, point.text)
        paragraph.paragraph_format.left_indent = None
        citation = point.source.citation
        if citation:
            add_text(document, f"Căn cứ: {citation}", italic=True, indent_mm=POINT_INDENT_MM)
    return to_bytes(document)
