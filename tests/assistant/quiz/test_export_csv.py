"""The CSV sheet read back with csv.DictReader (after its byte-order mark), and the one dispatch of bank exports."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from lxml import etree

from assistant.errors import InvalidRequest
from assistant.quiz.export import EXPORT_FORMATS, UnknownExportFormat, bank_to_csv, export_bank
from assistant.quiz.model import QuizBank, QuizItem


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_sheet_starts_with_a_bom_and_round_trips(export_quiz_bank: QuizBank) -> None:
    content = export_bank(export_quiz_bank, "csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = _rows(content.decode("utf-8-sig"))
    kept = [item for item in export_quiz_bank.items if item.item_id != "x1"]
    assert [row["STT"] for row in rows] == ["1", "2", "3", "4"]
    assert [row["Mã câu"] for row in rows] == [item.item_id for item in kept]
    for row, item in zip(rows, kept, strict=True):
        assert row["Loại"] == item.kind.value and row["Câu hỏi"] == item.stem
        assert row["Căn cứ"] == item.citation and row["Giải thích"] == item.explanation
        assert row["Mức độ"] == item.difficulty.value and row["Trạng thái"] == item.status.value
    choice, true_false, blank, matching = rows
    assert [choice[f"Phương án {letter}"] for letter in "ABCD"] == list(kept[0].options)
    assert choice["Đáp án đúng"] == "B. A4 (210 mm x 297 mm)" and choice["Cảnh báo"] == "source_not_current"
    assert true_false["Đáp án đúng"] == "Sai" and true_false["Phương án A"] == ""
    assert blank["Đáp án chấp nhận"].split(" | ")[:2] == ["30 ngày", "ba mươi ngày"]
    assert matching["Cặp ghép"].split(" | ") == [f"{p.left} → {p.right}" for p in kept[3].pairs]
    assert "CÂU BỊ LOẠI" not in content.decode("utf-8-sig")


def test_a_cell_that_excel_would_run_as_a_formula_is_quoted(export_quiz_bank: QuizBank) -> None:
    item = export_quiz_bank.items[0]
    risky = QuizItem(**{**item.__dict__, "stem": '=HYPERLINK("http://x")', "options": ("-1+1", "+2", "@3", "4")})
    bank = QuizBank(**{**export_quiz_bank.__dict__, "items": (risky,)})
    (row,) = _rows(bank_to_csv(bank).removeprefix("\ufeff"))
    assert row["Câu hỏi"] == '\'=HYPERLINK("http://x")'
    assert [row[f"Phương án {letter}"] for letter in "ABCD"] == ["'-1+1", "'+2", "'@3", "4"]


def test_every_format_exports_with_its_media_type_and_suffix(export_quiz_bank: QuizBank) -> None:
    files = {fmt: export_bank(export_quiz_bank, fmt) for fmt in EXPORT_FORMATS}
    for fmt in ("docx", "key"):
        assert zipfile.is_zipfile(io.BytesIO(files[fmt].content))
        assert files[fmt].media_type.endswith("wordprocessingml.document")
    assert files["docx"].filename_suffix == ".docx" and files["key"].filename_suffix.endswith(".docx")
    assert etree.fromstring(files["moodle"].content).tag == "quiz"
    assert files["moodle"].filename_suffix.endswith(".xml")
    assert files["gift"].content.decode("utf-8").count("::Câu ") == 4
    assert files["gift"].media_type.startswith("text/plain")
    assert files["csv"].media_type.startswith("text/csv") and files["csv"].filename_suffix == ".csv"
    content, media_type, suffix = files["gift"]  # a plain tuple too
    assert isinstance(content, bytes) and media_type and suffix


def test_an_unknown_format_names_the_accepted_ones(export_quiz_bank: QuizBank) -> None:
    with pytest.raises(ValueError, match="docx, key, moodle, gift, csv") as raised:
        export_bank(export_quiz_bank, "pdf")
    assert isinstance(raised.value, UnknownExportFormat) and isinstance(raised.value, InvalidRequest)
