"""As-of answers: the time a question sets its rule at (assistant.text.as_of), retrieval among the documents in
force then, and the note that the rule has since changed — over the two quy chế of the shelf (18/2021/QĐ-UBND,
"07 ngày làm việc", replaced from 01/9/2025 by 35/2025/QĐ-UBND, "05 ngày làm việc"), ingested with the hashing
embedder."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from shelf_support import shelf_service
from support import ANSWERABLE, make_passage, make_query

from assistant.answer.extractive import ExtractiveComposer, note_later_rules
from assistant.answer.prompts import PromptLibrary
from assistant.inspection.legal_rank import short_date
from assistant.service import AssistantService
from assistant.text.as_of import question_time_frame, resolve_time_frame
from assistant.types import ANONYMOUS, DocumentMeta, Relation, RelationKind, TimeFrame, Validity

QUESTION = "văn bản đến không ghi thời hạn xử lý trong bao lâu?"


@pytest.fixture(scope="module")
def quy_che(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield shelf_service(tmp_path_factory.mktemp("as-of"), ["qc-qlvb-2021", "qc-qlvb-2025"])


# -- the time a question sets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("Năm 2023, văn bản đến không ghi thời hạn xử lý trong bao lâu?", dt.date(2023, 1, 1)),
        ("Nam 2023, van ban den khong ghi thoi han xu ly trong bao lau?", dt.date(2023, 1, 1)),
        ("NĂM 2023, văn bản đến xử lý bao lâu?", dt.date(2023, 1, 1)),
        ("Trong năm 2022, thời hạn khóa tài khoản là bao lâu?", dt.date(2022, 1, 1)),
        ("Năm 2023 thì văn bản đến xử lý bao lâu?", dt.date(2023, 1, 1)),
        ("Vào tháng 5/2024 thời hạn xử lý văn bản đến là bao lâu?", dt.date(2024, 5, 1)),
        ("vao thang 5/2024 thoi han xu ly van ban den la bao lau", dt.date(2024, 5, 1)),
        ("Thời hạn cấp tài khoản vào tháng 5 năm 2024 là bao lâu?", dt.date(2024, 5, 1)),
        ("Hồi năm 2022 phải khóa tài khoản trong bao lâu?", dt.date(2022, 1, 1)),
        ("Tại thời điểm ngày 15/3/2024, văn bản khẩn xử lý thế nào?", dt.date(2024, 3, 15)),
        ("Ngày 15 tháng 3 năm 2024, văn bản khẩn xử lý thế nào?", dt.date(2024, 3, 15)),
        ("Trước ngày 01/9/2025 văn bản đến xử lý trong bao lâu?", dt.date(2025, 8, 31)),
        ("truoc ngay 01/9/2025 van ban den xu ly trong bao lau", dt.date(2025, 8, 31)),
        ("Từ ngày 01/9/2025 văn bản đến xử lý trong bao lâu?", dt.date(2025, 9, 1)),
        ("Quý II/2024, thời hạn khóa tài khoản là bao lâu?", dt.date(2024, 4, 1)),
        ("Hồ sơ đã nộp xong, từ ngày 01/7/2025 thì ai giải quyết?", dt.date(2025, 7, 1)),  # "đã" is another clause
    ],
)
def test_a_question_that_frames_a_past_time_sets_it(question: str, day: dt.date) -> None:
    frame = question_time_frame(question)
    assert frame is not None and frame.on == day and not frame.document


@pytest.mark.parametrize(
    "question",
    [
        "Trước khi Quy chế 2025 có hiệu lực, văn bản đến xử lý trong bao lâu?",
        "truoc khi quy che 2025 co hieu luc thi van ban den xu ly trong bao lau",
        "Văn bản đến xử lý bao lâu trước khi Quy chế 2025 có hiệu lực?",
    ],
)
def test_before_a_document_takes_effect_names_the_document(question: str) -> None:
    assert question_time_frame(question) == TimeFrame(
        document="quy che 2025", before=True, phrase="truoc khi quy che 2025 co hieu luc"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Văn bản đến không ghi thời hạn xử lý trong bao lâu?",
        "Văn bản đến hiện nay xử lý trong bao lâu?",
        "Kế hoạch chuyển đổi số năm 2026 có những nhiệm vụ gì?",
        "ke hoach nam 2026 co may nhiem vu",
        "Kế hoạch năm 2026, có mấy nhiệm vụ?",
        "Chỉ tiêu năm 2025, đạt bao nhiêu?",
        "Nghị quyết 49-NQ/TU đặt mục tiêu đến năm 2025 là gì?",
        "Quyết định 18/2021/QĐ-UBND còn hiệu lực không?",
        "Lệ phí theo Nghị quyết 12/2023 là bao nhiêu?",
        "Năm 2025 tỉnh đạt bao nhiêu chỉ tiêu?",  # no comma: the year is what is counted, not when
        "Giai đoạn 2021 - 2025 Cao Bằng có bao nhiêu dịch vụ công?",
        "Hồ sơ công việc nộp lưu trước ngày 31 tháng 3 của năm liền kề?",
        "Báo cáo năm 2024 gửi khi nào?",
        "Từ năm 2021 tỉnh đã làm gì?",
        "Trước năm 2025 có bao nhiêu dịch vụ công?",
        "Trước khi nộp hồ sơ có hiệu lực không?",
        # the date of something already done; what applies to it now is asked
        "Hồ sơ đã nộp ở cấp huyện trước ngày 01/7/2025 nhưng chưa giải quyết xong thì xử lý thế nào?",
        # the time from a day up to today: today's rule answers, including a text in force since a later day
        "ai cap giay phep xay dung nha o rieng le sau 1/7/2025",
        "Sau ngày 01/7/2025 ai cấp giấy phép xây dựng nhà ở riêng lẻ?",
    ],
)
def test_a_year_that_names_a_document_or_a_period_is_not_a_time_of_validity(question: str) -> None:
    assert question_time_frame(question) is None


def _doc(doc_id: str, number: str, effective: dt.date, title: str = "Quy chế quản lý văn bản") -> DocumentMeta:
    return DocumentMeta(
        doc_id, title, number=number, doc_type="Quy chế", issued_date=effective, effective_date=effective
    )


def test_the_document_a_frame_names_is_found_among_those_visible() -> None:
    old = _doc("old", "18/2021/QĐ-UBND", dt.date(2021, 6, 25))
    new = dataclasses.replace(
        _doc("new", "35/2025/QĐ-UBND", dt.date(2025, 9, 1)),
        relations=(Relation(RelationKind.REPLACES, "18/2021/QĐ-UBND"),),
    )
    other = _doc("pakn", "1890/QĐ-UBND", dt.date(2025, 9, 12), "Quy chế phản ánh, kiến nghị")
    today = dt.date(2026, 6, 1)
    before = TimeFrame(document="quy che 2025", before=True)
    assert resolve_time_frame(before, [old, new, other], today=today) == dt.date(2025, 8, 31)
    # Several fit and none changes another: ambiguous, so no date rather than a guess.
    assert resolve_time_frame(before, [old, other, dataclasses.replace(other, doc_id="x")], today=today) is None
    assert resolve_time_frame(before, [], today=today) is None  # not visible, not known
    by_number = TimeFrame(document="quyet dinh 35/2025/qd-ubnd", before=False)
    assert resolve_time_frame(by_number, [old, new], today=today) == dt.date(2025, 9, 1)
    words = TimeFrame(document="quy che phan anh 2025", before=True)
    assert resolve_time_frame(words, [new, other], today=today) == dt.date(2025, 9, 11)
    # A frame at or after today asks about today's rule.
    assert resolve_time_frame(TimeFrame(on=today), [], today=today) is None


# -- answers at a date --------------------------------------------------------------------------------------------


def test_before_the_new_quy_che_the_old_rule_answers_and_the_change_is_noted(quy_che: AssistantService) -> None:
    result = quy_che.ask(QUESTION, principal=ANONYMOUS, as_of=dt.date(2024, 6, 1))
    answer = result.answer
    lead = answer.text.splitlines()[0]
    assert "07 ngày làm việc" in lead and lead.endswith("[1]")
    first, later = answer.citations
    assert (first.doc_id, first.path, first.current) == ("qc-qlvb-2021", "khoản 3 Điều 7", True)
    assert (later.doc_id, later.path) == ("qc-qlvb-2025", "khoản 3 Điều 7")
    note = answer.text.splitlines()[-1]
    assert note == (
        "Lưu ý: quy định tại [1] là quy định áp dụng vào ngày 01/6/2024; quy định này đã được thay thế bởi "
        "Quyết định số 35/2025/QĐ-UBND (có hiệu lực từ 01/9/2025); nay là không quá 05 ngày làm việc [2]."
    )
    assert first.warning == note and "hãy đối chiếu văn bản mới" not in answer.text  # in place of the generic one
    assert answer.passages[-1].chunk.chunk_id == later.chunk_id


def test_after_the_new_quy_che_took_effect_it_answers_alone(quy_che: AssistantService) -> None:
    answer = quy_che.ask(QUESTION, principal=ANONYMOUS, as_of=dt.date(2025, 10, 1)).answer
    assert "05 ngày làm việc" in answer.text.splitlines()[0] and "07 ngày" not in answer.text
    assert {c.doc_id for c in answer.citations} == {"qc-qlvb-2025"} and "Lưu ý" not in answer.text
    assert quy_che.ask(QUESTION, principal=ANONYMOUS).answer.text == answer.text  # today reads the same


@pytest.mark.parametrize(
    ("question", "day"),
    [
        (f"Năm 2023, {QUESTION}", dt.date(2023, 1, 1)),
        ("Nam 2023, van ban den khong ghi thoi han xu ly trong bao lau?", dt.date(2023, 1, 1)),
        (f"Trước khi Quy chế 2025 có hiệu lực, {QUESTION}", dt.date(2025, 8, 31)),
    ],
)
def test_the_question_text_alone_sets_the_date(quy_che: AssistantService, question: str, day: dt.date) -> None:
    result = quy_che.ask(question, principal=ANONYMOUS)
    assert result.query.time_frame is not None and result.query.time_frame.on == day
    answer = result.answer
    assert "07 ngày làm việc" in answer.text.splitlines()[0]
    assert answer.citations[0].doc_id == "qc-qlvb-2021"
    note = answer.text.splitlines()[-1]
    assert note.startswith("Lưu ý: quy định tại [1]") and f"áp dụng vào ngày {short_date(day)};" in note
    assert re.search(r"nay là không quá 05 ngày làm việc \[(\d)\]\.$", note)
    assert answer.citations[-1].doc_id == "qc-qlvb-2025" and answer.text.count("Lưu ý") == 1


def test_the_request_date_wins_over_the_question(quy_che: AssistantService) -> None:
    result = quy_che.ask(f"Năm 2023, {QUESTION}", principal=ANONYMOUS, as_of=dt.date(2025, 10, 1))
    assert result.query.time_frame == TimeFrame(on=dt.date(2025, 10, 1), phrase="nam 2023")
    assert "05 ngày làm việc" in result.answer.text.splitlines()[0]


def test_a_document_in_force_on_the_date_counts_as_current_for_that_request(quy_che: AssistantService) -> None:
    then = quy_che.search(QUESTION, principal=ANONYMOUS, as_of=dt.date(2024, 6, 1))
    assert {p.document.doc_id for p in then.candidates} == {"qc-qlvb-2021"}  # the 2025 text was not issued yet
    assert all(p.current for p in then.candidates)
    eve = quy_che.search(QUESTION, principal=ANONYMOUS, as_of=dt.date(2025, 8, 31))
    current = {p.document.doc_id: p.current for p in eve.candidates}
    assert current == {"qc-qlvb-2021": True, "qc-qlvb-2025": False}  # issued, not yet in force
    assert eve.passages[0].document.doc_id == "qc-qlvb-2021"
    now = quy_che.search(QUESTION, principal=ANONYMOUS)
    assert {p.document.doc_id: p.current for p in now.candidates} == {"qc-qlvb-2021": False, "qc-qlvb-2025": True}
    assert now.query.time_frame is None


def test_a_source_expired_without_replacement_is_noted_with_its_end() -> None:
    expired = make_passage("kh", "Điều 2. Thời hạn\nBáo cáo gửi trước ngày 15 hằng tháng.", number="45/KH-SXD",
                           status=Validity.EXPIRED)  # fmt: skip
    doc = dataclasses.replace(expired.document, doc_type="Kế hoạch", expiry_date=dt.date(2025, 12, 31))
    passage = dataclasses.replace(expired, document=doc, current=True)  # in force on the date asked
    query = dataclasses.replace(make_query("Báo cáo gửi khi nào?"), time_frame=TimeFrame(on=dt.date(2025, 3, 1)))
    prompts = PromptLibrary()
    answer = ExtractiveComposer(prompts).compose(query, [passage], ANSWERABLE)
    noted = note_later_rules(answer, query, {}, prompts)
    assert noted.text.splitlines()[-1] == (
        "Lưu ý: quy định tại [1] là quy định áp dụng vào ngày 01/3/2025; văn bản Kế hoạch số 45/KH-SXD đã hết "
        "hiệu lực từ ngày 31/12/2025."
    )
    assert len(noted.citations) == 1 and noted.citations[0].warning == noted.text.splitlines()[-1]
    # Read today, the same source only carries the usual warning.
    today = dataclasses.replace(passage, current=False)
    plain = ExtractiveComposer(prompts).compose(query, [today], ANSWERABLE)
    assert note_later_rules(plain, query, {}, prompts) == plain
