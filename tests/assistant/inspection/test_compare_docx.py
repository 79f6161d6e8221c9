"""The comparison DOCX read back with python-docx: page, font, title, the three-column table, struck-through red
deletions and underlined bold blue insertions, added and removed articles labelled."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.shared import Length, Mm, Pt

from assistant.inspection.compare import Comparison, compare_units, document_units
from assistant.inspection.compare_docx import DELETED, INSERTED, comparison_to_docx
from assistant.types import Chunk, RelationKind

SRC = Path(__file__).resolve().parents[3] / "corpus" / "src"


def _chunks(doc_id: str, path: Path) -> list[Chunk]:
    """The articles of a corpus source text, one chunk each (what the chunker makes of these short articles)."""
    text = path.read_text(encoding="utf-8")
    body = text[text.index("\nĐiều 1.") + 1 : text.index("\nTM. ")]
    chunks: list[Chunk] = []
    for block in re.split(r"\n(?=Điều \d+\.)", body):
        lines = [line for line in block.split("\n") if not line.startswith("Chương ") and not line.isupper()]
        heading = lines[0]
        number = heading.split(".")[0].split()[1]
        chunks.append(Chunk(f"{doc_id}:dieu-{number}", doc_id, len(chunks), "\n".join(lines), (heading,), heading,
                            number))  # fmt: skip
    return chunks


@pytest.fixture
def comparison() -> Comparison:
    old = document_units(_chunks("qc-qlvb-2021", SRC / "qc-qlvb-2021.txt"))
    new = document_units(_chunks("qc-qlvb-2025", SRC / "qc-qlvb-2025.txt"))
    return Comparison(
        "qc-qlvb-2021", "qc-qlvb-2025", "18/2021/QĐ-UBND", "35/2025/QĐ-UBND",
        "Quy chế quản lý văn bản (năm 2021)", "Quy chế quản lý văn bản (năm 2025)",
        RelationKind.REPLACES, "articles", compare_units(old, new),
    )  # fmt: skip


def _mm(length: Length | None) -> int:
    assert length is not None
    return round(length.mm)


def _read(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def test_page_font_and_title(comparison: Comparison) -> None:
    document = _read(comparison_to_docx(comparison))
    section = document.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert (_mm(section.left_margin), _mm(section.right_margin)) == (30, 15)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)
    title = document.paragraphs[0]
    assert title.text == (
        "So sánh Quy chế quản lý văn bản (năm 2021) (18/2021/QĐ-UBND) và Quy chế quản lý văn bản (năm 2025) "
        "(35/2025/QĐ-UBND)"
    )
    assert all(run.bold for run in title.runs)
    assert "35/2025/QĐ-UBND thay thế văn bản 18/2021/QĐ-UBND" in document.paragraphs[1].text
    runs = [run for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs
            for run in p.runs]  # fmt: skip
    assert runs and all(run.font.name == "Times New Roman" and run.font.size == Pt(13) for run in runs)


def test_table_marks_deleted_and_inserted_words(comparison: Comparison) -> None:
    (table,) = _read(comparison_to_docx(comparison)).tables
    assert [cell.text for cell in table.rows[0].cells] == ["Điều cũ", "Điều mới", "Thay đổi"]
    assert abs(table.rows[1].cells[0].width - Mm(63)) < Mm(1)
    row = next(r for r in table.rows if r.cells[0].text.startswith("Điều 7"))
    old_cell, new_cell, what = row.cells
    struck = [run for p in old_cell.paragraphs for run in p.runs if run.font.strike]
    inserted = [run for p in new_cell.paragraphs for run in p.runs if run.font.underline]
    assert "07" in [run.text for run in struck] and "05" in [run.text for run in inserted]
    assert all(run.font.color.rgb == DELETED for run in struck)
    assert all(run.bold and run.font.color.rgb == INSERTED for run in inserted)
    assert not any(run.font.strike for p in new_cell.paragraphs for run in p.runs)
    assert "không quá 07 ngày làm việc" in old_cell.text and "không quá 05 ngày làm việc" in new_cell.text
    assert what.paragraphs[0].text == "Sửa đổi" and "Sửa đổi khoản 3" in what.text and "Bổ sung khoản 4" in what.text
    # Only differences are listed: Điều 3 is unchanged.
    assert not any(r.cells[0].text.startswith("Điều 3\n") for r in table.rows)


def test_added_and_removed_articles_are_labelled(comparison: Comparison) -> None:
    (table,) = _read(comparison_to_docx(comparison)).tables
    removed = next(r for r in table.rows if r.cells[2].text.startswith("Điều bị bãi bỏ"))
    assert removed.cells[0].text.startswith("Điều 15. Tổ chức thực hiện") and removed.cells[1].text == "—"
    assert all(run.font.strike for p in removed.cells[0].paragraphs for run in p.runs)
    added = [r for r in table.rows if r.cells[2].text.startswith("Điều mới")]
    assert [r.cells[1].text.split(".")[0] for r in added] == ["Điều 15", "Điều 16"]
    assert all(r.cells[0].text == "—" for r in added)
    assert all(run.font.underline for p in added[0].cells[1].paragraphs for run in p.runs)


def test_unchanged_articles_on_request_and_amendment_notes(comparison: Comparison) -> None:
    (table,) = _read(comparison_to_docx(comparison, include_unchanged=True)).tables
    unchanged = next(r for r in table.rows if r.cells[0].text.startswith("Điều 3"))
    assert unchanged.cells[2].text == "Không thay đổi nội dung"
    amendment = Comparison(
        "a", "b", "22/2023/QĐ-UBND", "41/2025/QĐ-UBND", "Quy định", "Quyết định sửa đổi", RelationKind.AMENDS,
        "amendment", (), ("Sửa đổi một số nội dung cho phù hợp.",),
    )  # fmt: skip
    document = _read(comparison_to_docx(amendment))
    texts = [p.text for p in document.paragraphs]
    assert "Không có khác biệt." in texts[1] and "- Sửa đổi một số nội dung cho phù hợp." in texts
