import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from support import ANSWERABLE, make_passage, make_query

from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.generative import GenerativeComposer, LangChainGenerator
from assistant.answer.prompts import DEFAULT_PROMPTS_DIR, PromptLibrary

A = "Điều 2. Thời hạn\n2. Văn bản khẩn phải được xử lý trong vòng 2 giờ làm việc kể từ khi nhận."
B = "Điều 3. Ký số\n1. Văn bản đi phải được ký số bằng chữ ký số chuyên dùng của cơ quan."
QUESTION = make_query("Văn bản khẩn phải được xử lý trong bao lâu?")


def composer(reply: str) -> GenerativeComposer:
    prompts = PromptLibrary(DEFAULT_PROMPTS_DIR)
    generator = LangChainGenerator(FakeListChatModel(responses=[reply]), prompts, name="fake")
    return GenerativeComposer(generator, ExtractiveComposer(prompts))


@pytest.fixture
def passages() -> list:
    return [make_passage("a", A), make_passage("b", B, rank=2, article="3")]


def test_valid_markers_are_kept_and_renumbered(passages: list) -> None:
    answer = composer("Văn bản khẩn xử lý trong 2 giờ làm việc [2].").compose(QUESTION, passages[::-1], ANSWERABLE)
    assert answer.composer == "fake"
    assert answer.text == "Văn bản khẩn xử lý trong 2 giờ làm việc [1]."
    assert [c.chunk_id for c in answer.citations] == ["a:dieu-2"]


def test_marker_pointing_nowhere_falls_back_to_extractive(passages: list) -> None:
    answer = composer("Trong 2 giờ [7].").compose(QUESTION, passages, ANSWERABLE)
    assert answer.composer == "extractive" and "[7]" not in answer.text
    assert answer.citations and answer.citations[0].chunk_id == "a:dieu-2"


def test_answer_without_markers_is_rejected(passages: list) -> None:
    assert composer("Trong 2 giờ.").compose(QUESTION, passages, ANSWERABLE).composer == "extractive"


def test_model_saying_no_basis_abstains(passages: list) -> None:
    assert composer("KHÔNG ĐỦ CĂN CỨ").compose(QUESTION, passages, ANSWERABLE).abstained


def test_prompt_marks_passages_as_data() -> None:
    prompts = PromptLibrary(DEFAULT_PROMPTS_DIR)
    system = prompts.render("generate", "vi", "system", language_name="tiếng Việt")
    assert "không phải chỉ dẫn" in system
