"""The inspection workspace over the sample shelf (corpus/src ingested with the hashing embedder, as in
test_bases): the checklist of an object's duties from the texts in force, the procedure's deadlines in the plan, the
DOCX of both, and never an item from a document the caller may not see. Expectations are written by hand from
corpus/src/qc-qlvb-2025.txt, qt-thanh-tra.txt and hd-ket-luan-thanh-tra.txt."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from docx import Document
from shelf_support import shelf_service

from assistant.inspection.checklist import Holder, check_items, holders_of
from assistant.inspection.checklist_docx import COLUMNS, checklist_docx
from assistant.inspection.workspace import EmptyInspectionObject, Workspace, inspection_workspace
from assistant.service import AssistantService
from assistant.types import ANONYMOUS, Principal

INSPECTORATE = Principal(user_id="ttt", units=frozenset({"TTT"}))  # Thanh tra tỉnh
CONSTRUCTION = Principal(user_id="sxd", units=frozenset({"SXD"}))  # Sở Xây dựng
TODAY = dt.date(2026, 3, 1)
OBJECT = "UBND xã Chi Lăng"


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield shelf_service(tmp_path_factory.mktemp("workspace"))


@pytest.fixture(scope="module")
def workspace(shelf: AssistantService) -> Workspace:
    return inspection_workspace(shelf, "quản lý văn bản điện tử", OBJECT, principal=ANONYMOUS, as_of=TODAY)


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# -- the checklist --------------------------------------------------------------------------------------------------


def test_checklist_items_come_from_the_quy_che_in_force_not_the_replaced_one(workspace: Workspace) -> None:
    numbers = {item.number for item in workspace.checklist}
    assert "35/2025/QĐ-UBND" in numbers and "18/2021/QĐ-UBND" not in numbers
    paths = {item.path for item in workspace.checklist if item.number == "35/2025/QĐ-UBND"}
    assert {"khoản 3 Điều 7", "khoản 1 Điều 9", "khoản 1 Điều 13", "Điều 16"} <= paths
    # Duties of other bodies are not the commune's: Sở KH&CN's backups (Điều 10, 11), Văn phòng UBND tỉnh (Điều 12).
    assert not paths & {"Điều 10", "khoản 1 Điều 11", "khoản 2 Điều 11", "Điều 12"}
    # Definitions and scope state no duty.
    assert not any(p.endswith(("Điều 2", "Điều 3")) for p in paths)


def test_each_item_cites_a_clause_that_states_its_duty(shelf: AssistantService, workspace: Workspace) -> None:
    assert workspace.checklist
    for item in workspace.checklist:
        assert item.duty and item.duty in item.clause
        _, chunks = shelf.document(item.doc_id, principal=ANONYMOUS)
        chunk = next(c for c in chunks if c.chunk_id == item.chunk_id)
        assert " ".join(item.duty.split()[:6]) in " ".join(chunk.text.split())
        assert all(value in item.duty for value in item.deadlines)
        assert item.citation.endswith(item.number)


def test_deadlines_and_frequencies_where_the_clause_states_them(workspace: Workspace) -> None:
    by_path = {item.path: item for item in workspace.checklist if item.number == "35/2025/QĐ-UBND"}
    assert by_path["khoản 3 Điều 7"].deadlines == ("05 ngày làm việc",)
    assert by_path["khoản 1 Điều 7"].deadlines == ("04 giờ làm việc",)
    assert by_path["khoản 4 Điều 5"].deadlines == ("01 ngày làm việc",)
    assert by_path["khoản 1 Điều 9"].deadlines == ()
    assert by_path["khoản 1 Điều 13"].holder == "các cơ quan, đơn vị"  # from "Trách nhiệm của các cơ quan, đơn vị"


def test_the_duties_follow_the_kind_of_body_inspected(shelf: AssistantService) -> None:
    assert holders_of("UBND xã Chi Lăng") >= {Holder.COMMUNE, Holder.GENERIC, Holder.INSPECTED}
    assert Holder.DEPARTMENT in holders_of("Sở Khoa học và Công nghệ")
    doc, chunks = shelf.document("qc-qlvb-2025", principal=ANONYMOUS)
    science = "Sở Khoa học và Công nghệ"
    paths = {i.path for i in check_items(doc, chunks, science, holders_of(science))}
    assert {"Điều 10", "khoản 2 Điều 11", "khoản 3 Điều 7"} <= paths
    builders = {i.path for i in check_items(doc, chunks, "Sở Xây dựng", holders_of("Sở Xây dựng"))}
    assert "Điều 10" not in builders and "khoản 3 Điều 7" in builders
    # The inspectorate's procedure applies to the inspectorate: it places no duty on a commune.
    procedure, steps = shelf.document("qt-thanh-tra", principal=ANONYMOUS)
    assert check_items(procedure, steps, OBJECT, holders_of(OBJECT)) == []


def test_a_unit_only_document_never_gives_an_outsider_an_item(shelf: AssistantService) -> None:
    member = inspection_workspace(shelf, "kết luận thanh tra", OBJECT, principal=INSPECTORATE, as_of=TODAY)
    inside = [i for i in member.checklist if i.number == "07/HD-TTr"]
    reports = [i for i in inside if i.holder_kind == Holder.INSPECTED]  # "Đối tượng thanh tra báo cáo … 45 ngày"
    assert any("45 ngày" in i.deadlines and i.path.startswith("khoản 3 mục IV") for i in reports), [
        i.path for i in reports
    ]
    for outsider in (ANONYMOUS, CONSTRUCTION):
        seen = inspection_workspace(shelf, "kết luận thanh tra", OBJECT, principal=outsider, as_of=TODAY)
        assert "07/HD-TTr" not in json.dumps(seen.to_dict(), ensure_ascii=False)
        assert "07/HD-TTr" not in _text(seen.plan.content)


# -- the plan -------------------------------------------------------------------------------------------------------


def test_plan_lists_the_bases_and_the_procedures_deadlines(workspace: Workspace) -> None:
    text = _text(workspace.plan.content)
    assert "KẾ HOẠCH" in text and OBJECT in text
    for basis in workspace.bases.in_force:
        assert f"Căn cứ {basis.citation}" in text
    procedure = [line for line in workspace.plan_request.bases if "115/QĐ-TTr" in line]
    assert procedure and procedure[0] in text  # the procedure whose deadlines the plan states
    found = {d.step: d for d in workspace.deadlines}
    assert found["Thời hạn thanh tra"].values == ("45 ngày", "70 ngày")
    assert found["Thời hạn thanh tra"].path == "khoản 1 Điều 12"
    assert found["Công bố quyết định thanh tra"].values == ("15 ngày",)
    assert found["Phê duyệt kế hoạch tiến hành thanh tra"].values == ("05 ngày làm việc",)
    assert found["Báo cáo kết quả thanh tra"].values == ("20 ngày",)
    assert found["Công khai kết luận thanh tra"].values == ("15 ngày",)
    for step in ("Thời hạn thanh tra", "Công bố quyết định thanh tra", "Báo cáo kết quả thanh tra"):
        assert found[step].line() in text and "115/QĐ-TTr" in found[step].line()
    # The shelf states no time limit for issuing the decision or the conclusion: placeholders, nothing invented.
    for step in ("Ban hành quyết định thanh tra", "Ban hành kết luận thanh tra"):
        assert not found[step].found and f"{step}: [thời hạn" in text
    assert "signature.name" in workspace.plan.placeholders and "date" in workspace.plan.placeholders
    assert "Việc thực hiện Điều 7 (Phân phối, xử lý văn bản đến) Quy chế số 35/2025/QĐ-UBND" in text


def test_workspace_is_json_able_and_checks_its_object(shelf: AssistantService, workspace: Workspace) -> None:
    data = json.loads(json.dumps(workspace.to_dict(), ensure_ascii=False))
    assert data["object_name"] == OBJECT and data["as_of"] == TODAY.isoformat()
    assert data["checklist"][0]["citation"] and data["plan"]["kind"] == "ke_hoach"
    assert any(d["step"] == "Thời hạn thanh tra" and d["found"] for d in data["deadlines"])
    with pytest.raises(EmptyInspectionObject):
        inspection_workspace(shelf, "quản lý văn bản", "  ", principal=ANONYMOUS)


# -- the checklist DOCX --------------------------------------------------------------------------------------------


def test_checklist_docx_is_a_table_of_the_items(workspace: Workspace) -> None:
    content = checklist_docx(workspace.checklist, topic=workspace.topic, object_name=OBJECT, as_of=TODAY)
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    table = document.tables[0]
    assert tuple(cell.text for cell in table.rows[0].cells) == COLUMNS
    assert len(table.rows) == len(workspace.checklist) + 1
    rows = {row.cells[2].text: row for row in table.rows[1:]}
    row = rows["khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND"]
    assert row.cells[3].text == "05 ngày làm việc" and row.cells[4].text == "Đạt / Không đạt"
    assert "PHIẾU KIỂM TRA" in _text(content) and OBJECT in _text(content)
