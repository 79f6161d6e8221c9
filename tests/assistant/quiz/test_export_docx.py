"""Word exports, read back with python-docx: the page and type of Nghị định 30/2020, the paper's items in order, the
key's answers and citations, and a lesson's points with their citations."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm

from assistant.quiz.export import answer_key_to_docx, bank_to_docx, lesson_to_docx
from assistant.quiz.export.common import matching_columns
from assistant.quiz.model import ItemKind, Lesson, QuizBank

STEM_NUMBER = re.compile(r"^Câu (\d+)\. ")


def _open(content: bytes) -> DocxDocument:
    return Document(io.BytesIO(content))


def _texts(document: DocxDocument) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def _all_text(document: DocxDocument) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(_texts(document) + cells)


def _assert_page_and_font(document: DocxDocument) -> None:
    section = document.sections[0]
    mm = {
        name: round(getattr(section, name).mm)
        for name in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")
    }
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size is not None and 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    # No theme font anywhere (a theme font overrides the explicit one in Word).
    styles_xml = document.styles.element.xml
    assert "asciiTheme" not in styles_xml and "eastAsiaTheme" not in styles_xml
    for run in (run for paragraph in document.paragraphs for run in paragraph.runs):
        assert run.font.name in (None, "Times New Roman")
        assert run.font.size is None or 13 <= run.font.size.pt <= 14


@pytest.fixture
def export_paper(export_quiz_bank: QuizBank) -> DocxDocument:
    return _open(bank_to_docx(export_quiz_bank, unit_name="Sở Thông tin và Truyền thông", minutes=30))


def test_the_paper_is_a4_with_decree_30_margins_in_times_new_roman(export_paper: DocxDocument) -> None:
    _assert_page_and_font(export_paper)
    left_margin = export_paper.sections[0].left_margin
    assert left_margin is not None and abs(left_margin - Mm(30)) < Mm(0.1)


def test_the_paper_has_its_header_block(export_paper: DocxDocument, export_quiz_bank: QuizBank) -> None:
    text = _all_text(export_paper)
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in text
    assert "Thời gian làm bài: 30 phút" in text
    assert export_quiz_bank.title.upper() in text
    assert any(line.startswith("Họ và tên:") and "Đơn vị:" in line for line in _texts(export_paper))


def test_the_paper_numbers_items_in_order_with_their_options(
    export_paper: DocxDocument, export_quiz_bank: QuizBank
) -> None:
    texts = _texts(export_paper)
    stems = [(index, line) for index, line in enumerate(texts) if STEM_NUMBER.match(line)]
    assert [int(STEM_NUMBER.match(line).group(1)) for _, line in stems] == [1, 2, 3, 4]  # type: ignore[union-attr]
    kept = [item for item in export_quiz_bank.items if item.item_id != "x1"]
    for (_, line), item in zip(stems, kept, strict=True):
        assert line.endswith(item.stem)
    choice_at = stems[0][0]
    assert texts[choice_at + 1 : choice_at + 5] == [
        f"{letter}. {option}" for letter, option in zip("ABCD", kept[0].options, strict=True)
    ]
    assert texts[stems[1][0] + 1] == "Đúng / Sai"
    assert texts[stems[2][0] + 1].startswith("Trả lời: …")
    assert "CÂU BỊ LOẠI" not in _all_text(export_paper)


def test_matching_is_a_table_with_the_right_column_shuffled_and_lettered(
    export_paper: DocxDocument, export_quiz_bank: QuizBank
) -> None:
    matching = next(item for item in export_quiz_bank.items if item.kind == ItemKind.MATCHING)
    table = export_paper.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Cột A", "Cột B"]
    lefts = [left for left, _ in rows[1:]]
    rights = [right for _, right in rows[1:]]
    assert lefts == [f"{n}. {pair.left}" for n, pair in enumerate(matching.pairs, start=1)]
    assert [right[:3] for right in rights] == ["A. ", "B. ", "C. "]
    shown = [right[3:] for right in rights]
    assert sorted(shown) == sorted(pair.right for pair in matching.pairs)
    assert all(shown[i] != pair.right for i, pair in enumerate(matching.pairs))  # no pair faces its own answer


def test_the_key_gives_each_right_answer_citation_and_explanation(export_quiz_bank: QuizBank) -> None:
    key = _open(answer_key_to_docx(export_quiz_bank))
    _assert_page_and_font(key)
    texts = _texts(key)
    answers = [line for line in texts if STEM_NUMBER.match(line)]
    matching = export_quiz_bank.items[-1]
    letters = matching_columns(matching).answer_letters
    assert answers == [
        "Câu 1. Đáp án: B. A4 (210 mm x 297 mm)",
        "Câu 2. Đáp án: Sai",
        "Câu 3. Đáp án: 30 ngày / ba mươi ngày",
        "Câu 4. Đáp án: "
        + "; ".join(f"{n} – {letters[n - 1]} ({pair.right})" for n, pair in enumerate(matching.pairs, start=1)),
    ]
    assert "Căn cứ: điểm a khoản 2 Điều 5, Nghị định số 30/2020/NĐ-CP, tr. 3" in texts
    assert texts.count("Căn cứ: khoản 2 mục II, Hướng dẫn số 12/HD-STTTT, tr. 1") == 3
    citation = next(p for p in key.paragraphs if p.text.startswith("Căn cứ:"))
    assert all(run.italic for run in citation.runs)
    assert any(line.startswith("Giải thích: Căn cứ điểm a khoản 2 Điều 5: “Văn bản hành chính") for line in texts)
    assert "CÂU BỊ LOẠI" not in _all_text(key) and "GIẢI THÍCH BỊ LOẠI" not in _all_text(key)


def test_the_key_marks_flagged_and_unreviewed_items(export_quiz_bank: QuizBank) -> None:
    texts = _texts(_open(answer_key_to_docx(export_quiz_bank)))
    first, second = texts.index("Câu 1. Đáp án: B. A4 (210 mm x 297 mm)"), texts.index("Câu 2. Đáp án: Sai")
    flagged = [line for line in texts if line.startswith("⚠ CẦN KIỂM TRA")]
    assert len(flagged) == 1 and "hết hiệu lực" in flagged[0]
    assert first < texts.index(flagged[0]) < second
    assert texts.count("(Câu hỏi chưa được duyệt.)") == 2  # the true/false and the matching items are pending


def test_accepted_only_leaves_pending_items_out(export_quiz_bank: QuizBank) -> None:
    texts = _texts(_open(bank_to_docx(export_quiz_bank, include_pending=False)))
    assert [line.split(". ", 1)[0] for line in texts if STEM_NUMBER.match(line)] == ["Câu 1", "Câu 2"]
    assert texts[-1] == "Trả lời: " + "…" * 40  # the fill-in item (accepted) is the last one
    assert not any(line.startswith("Đúng / Sai") or "Ghép mỗi việc" in line for line in texts)


def test_a_lesson_is_a_titled_page_of_numbered_points_each_with_its_citation(export_lesson: Lesson) -> None:
    document = _open(lesson_to_docx(export_lesson))
    _assert_page_and_font(document)
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == export_lesson.title.upper() and paragraphs[0].runs[0].bold
    body = paragraphs[2:]
    assert [p.text for p in body] == [
        line
        for n, point in enumerate(export_lesson.points, start=1)
        for line in (f"{n}. {point.text}", f"Căn cứ: {point.source.citation}")
    ]
    assert all(run.italic for p in body[1::2] for run in p.runs)
    assert not any(run.italic for p in body[0::2] for run in p.runs)
