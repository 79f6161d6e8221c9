"""A question asking two figures ("mất bao lâu và lệ phí bao nhiêu?") through the one ask path, over the two shelf
documents that hold them (the fees resolution and the Sở Xây dựng procedure), ingested with the hashing embedder:
the figure the whole question's search misses comes from the search for its own part, cited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shelf_support import shelf_service

from assistant.service import AssistantService
from assistant.types import ANONYMOUS, AnswerType

FEES, PROCEDURE = "hdnd-nq-le-phi-gpxd-2023", "sxd-tthc-xay-dung-2025"


@pytest.fixture(scope="module")
def permits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield shelf_service(tmp_path_factory.mktemp("parts"), [FEES, PROCEDURE])


def test_the_second_figure_asked_is_answered_from_its_own_search(permits: AssistantService) -> None:
    question = "Xin giấy phép xây dựng công trình tại Sở Xây dựng mất bao lâu và nộp lệ phí bao nhiêu?"
    result = permits.ask(question, principal=ANONYMOUS)
    answer = result.answer
    assert result.query.answer_type is AnswerType.MONEY and result.query.also_asked == (AnswerType.DURATION,)
    assert not answer.abstained
    # The time limit is quoted from the procedure's "Thời hạn giải quyết" article, which the search for the whole
    # question (led by the fee) does not rank among its top passages.
    assert f"{PROCEDURE}:dieu-5" not in [p.chunk.chunk_id for p in result.retrieval.passages[:4]]
    line = next(line for line in answer.text.splitlines() if "15 ngày làm việc" in line)
    n = int(line.rsplit("[", 1)[1].rstrip("]"))
    [cited] = [c for c in answer.citations if c.n == n]
    assert cited.doc_id == PROCEDURE and cited.path == "khoản 1 Điều 5"


def test_one_figure_asked_searches_once(permits: AssistantService) -> None:
    result = permits.ask("Lệ phí cấp giấy phép xây dựng công trình là bao nhiêu?", principal=ANONYMOUS)
    assert result.query.also_asked == () and "150.000 đồng/giấy phép" in result.answer.text
