"""Feedback rows and their export in the project's question-set format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.accounts.db import Database
from assistant.api.feedback_store import FeedbackStore, to_question

CHUNKS = {"nq-57-tw:muc-iii-2": "nq-57-tw", "nq-57-tw:muc-iii-3": "nq-57-tw", "qd-1:dieu-2": "qd-1"}


@pytest.fixture
def feedback(tmp_path: Path) -> Iterator[FeedbackStore]:
    db = Database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    db.create()
    yield FeedbackStore(db)
    db.dispose()


def test_add_recent_and_get(feedback: FeedbackStore) -> None:
    first = feedback.add(
        username="lan", unit="SXD", question="Hỏi 1?", answer="Đáp [1].", citations=["qd-1:dieu-2"], rating="up"
    )
    second = feedback.add(
        username="hoa", unit="", question="Hỏi 2?", answer="Sai.", citations=[], rating="down", comment="thiếu"
    )
    assert [i.id for i in feedback.recent()] == [second, first]
    assert [i.question for i in feedback.get_many([first])] == ["Hỏi 1?"]
    with pytest.raises(ValueError, match="rating"):
        feedback.add(username="x", unit="", question="q", answer="", citations=[], rating="meh")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="comment"):
        feedback.add(username="x", unit="", question="q", answer="", citations=[], rating="up", comment="x" * 2001)


def test_export_keeps_the_project_question_format(feedback: FeedbackStore) -> None:
    fid = feedback.add(
        username="lan", unit="SXD", question="Mục tiêu kinh tế số năm 2030?", answer="30% GDP [1].",
        citations=["nq-57-tw:muc-iii-2", "nq-57-tw:muc-iii-3", "da-xoa:dieu-1"], rating="up", index_version="v1",
    )  # fmt: skip
    item = feedback.get_many([fid])[0]
    line = to_question(item, CHUNKS.get)
    assert line == {
        "id": f"fb-{fid}",
        "question": "Mục tiêu kinh tế số năm 2030?",
        "language": "vi",
        "categories": ["feedback", "rating-up"],
        "gold_doc_ids": ["nq-57-tw"],
        "gold_chunk_ids": ["nq-57-tw:muc-iii-2", "nq-57-tw:muc-iii-3"],
        "answer": "30% GDP [1].",
        "asker_unit": "SXD",
        "split": "dev",
    }


def test_a_thumbs_down_is_exported_for_review_without_its_answer(feedback: FeedbackStore) -> None:
    fid = feedback.add(
        username="lan", unit="", question="What is the fee for a building permit?", answer="Wrong.",
        citations=["qd-1:dieu-2"], rating="down",
    )  # fmt: skip
    line = to_question(feedback.get_many([fid])[0], CHUNKS.get)
    assert line["answer"] == ""
    assert line["language"] == "en"
    assert line["categories"] == ["feedback", "rating-down", "needs-review"]
    assert line["gold_chunk_ids"] == ["qd-1:dieu-2"]
