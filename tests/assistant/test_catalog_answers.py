"""Answers about named documents composed from the catalog alone (no index): the order of issue of several."""

import dataclasses
import datetime as dt

from support import make_passage, make_query

from assistant.answer.catalog import CatalogComposer
from assistant.answer.prompts import DEFAULT_PROMPTS_DIR, PromptLibrary
from assistant.types import Passage


def dated(doc_id: str, number: str, issued: dt.date | None, rank: int) -> Passage:
    passage = make_passage(doc_id, f"Số: {number}\nĐiều 1. Phạm vi điều chỉnh.", rank=rank, number=number)
    return dataclasses.replace(passage, document=dataclasses.replace(passage.document, issued_date=issued))


def test_three_documents_are_put_in_order_of_issue_each_cited() -> None:
    composer = CatalogComposer(PromptLibrary(DEFAULT_PROMPTS_DIR))
    passages = [
        dated("nq-57", "57-NQ/TW", dt.date(2024, 12, 22), 1),
        dated("qd-204", "204-QĐ/TW", dt.date(2025, 2, 24), 2),
        dated("nq-03", "03/NQ-CP", dt.date(2025, 1, 9), 3),
    ]
    query = make_query("Nghị quyết 57-NQ/TW, Quyết định 204-QĐ/TW và Nghị quyết 03/NQ-CP, văn bản nào ban hành trước?")
    assert query.document_question == "issued_order"
    answer = composer.compose(query, passages, lambda key, number: None)
    assert answer is not None and answer.composer == "catalog"
    assert answer.text.splitlines()[0] == (
        "Theo thứ tự ban hành: 57-NQ/TW (ngày 22/12/2024) [1]; 03/NQ-CP (ngày 09/01/2025) [2]; "
        "204-QĐ/TW (ngày 24/02/2025) [3]."
    )
    assert [(c.n, c.doc_id) for c in answer.citations] == [(1, "nq-57"), (2, "nq-03"), (3, "qd-204")]
    english = composer.compose(
        make_query("Which was issued first, 57-NQ/TW, 204-QĐ/TW or 03/NQ-CP?", language="en"), passages,
        lambda key, number: None,
    )  # fmt: skip
    assert english is not None and english.text.startswith("In order of issue: 57-NQ/TW (22/12/2024) [1]; 03/NQ-CP")


def test_an_undated_document_is_left_out_of_the_order_and_two_are_compared() -> None:
    composer = CatalogComposer(PromptLibrary(DEFAULT_PROMPTS_DIR))
    passages = [
        dated("nq-57", "57-NQ/TW", dt.date(2024, 12, 22), 1),
        dated("qd-204", "204-QĐ/TW", None, 2),
        dated("nq-03", "03/NQ-CP", dt.date(2025, 1, 9), 3),
    ]
    query = make_query("Nghị quyết 57-NQ/TW, Quyết định 204-QĐ/TW và Nghị quyết 03/NQ-CP, văn bản nào ban hành trước?")
    answer = composer.compose(query, passages, lambda key, number: None)
    assert answer is not None
    assert answer.text.splitlines()[0].startswith("57-NQ/TW ban hành ngày 22/12/2024 [1], trước 03/NQ-CP")
    assert [c.doc_id for c in answer.citations] == ["nq-57", "nq-03"]
