"""A bank as a CSV sheet (UTF-8 with a byte-order mark, so Excel opens Vietnamese text): one row per item."""

from __future__ import annotations

import csv
import io

from assistant.quiz.export.common import accepted_answers, exportable_items, letter, right_answer_text
from assistant.quiz.model import ItemKind, QuizBank, QuizItem

BOM = "\ufeff"
LIST_SEPARATOR = " | "
MIN_OPTION_COLUMNS = 4
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _option_column(index: int) -> str:
    return f"Phương án {letter(index)}"


def _cell(text: str) -> str:
    """A cell Excel will not run as a formula: a text opening with = + - @ (or a tab) gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _row(number: int, item: QuizItem, option_columns: list[str]) -> dict[str, str]:
    row = {
        "STT": str(number),
        "Mã câu": item.item_id,
        "Loại": item.kind.value,
        "Câu hỏi": item.stem,
        "Đáp án đúng": right_answer_text(item),
        "Đáp án chấp nhận": LIST_SEPARATOR.join(accepted_answers(item)) if item.kind == ItemKind.FILL_BLANK else "",
        "Cặp ghép": LIST_SEPARATOR.join(f"{pair.left} → {pair.right}" for pair in item.pairs),
        "Căn cứ": item.citation,
        "Giải thích": item.explanation,
        "Mức độ": item.difficulty.value,
        "Cảnh báo": LIST_SEPARATOR.join(item.flags),
        "Trạng thái": item.status.value,
    }
    options = item.options if item.kind == ItemKind.MULTIPLE_CHOICE else ()
    row.update({column: options[index] if index < len(options) else "" for index, column in enumerate(option_columns)})
    return {key: _cell(value) for key, value in row.items()}


def bank_to_csv(bank: QuizBank, *, include_pending: bool = True) -> str:
    """The sheet, starting with a byte-order mark: number, item id, kind, stem, options A–D (more columns when an
    item has more options), right answer, accepted answers, pairs, citation, explanation, difficulty, flags and
    review status; kinds, difficulties, flags and statuses are the model's codes, lists are joined with " | "."""
    items = exportable_items(bank, include_pending=include_pending)
    widest = max((len(item.options) for item in items if item.kind == ItemKind.MULTIPLE_CHOICE), default=0)
    option_columns = [_option_column(index) for index in range(max(MIN_OPTION_COLUMNS, widest))]
    fields = ["STT", "Mã câu", "Loại", "Câu hỏi", *option_columns, "Đáp án đúng", "Đáp án chấp nhận", "Cặp ghép"]
    fields += ["Căn cứ", "Giải thích", "Mức độ", "Cảnh báo", "Trạng thái"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for number, item in enumerate(items, start=1):
        writer.writerow(_row(number, item, option_columns))
    return BOM + buffer.getvalue()
