import pytest

from assistant.text.query import QueryNormalizer, detect_language, load_abbreviations


@pytest.fixture(scope="module")
def normalizer() -> QueryNormalizer:
    n = QueryNormalizer()
    n.load()
    return n


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("What documents are needed for a building permit?", "en"),
        ("How long does the procedure take?", "en"),
        ("Thủ tục cấp giấy phép xây dựng", "vi"),
        ("thu tuc cap giay phep xay dung mat bao lau", "vi"),
        ("lam lai so do o dau", "vi"),
        ("What is the fee for a construction permit for a detached house in Lạng Sơn?", "en"),  # a place name
        ("How many community digital-transformation teams does Cao Bằng have?", "en"),
        ("Hệ thống e-office của Sở có những chức năng gì?", "vi"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_abbreviations_table_loads_from_resource_file() -> None:
    table = load_abbreviations()
    assert table["ubnd"] == "Ủy ban nhân dân"
    assert table["cds"] == "chuyển đổi số"


def test_abbreviations_are_expanded_keeping_the_original(normalizer: QueryNormalizer) -> None:
    q = normalizer.normalize("UBND xã giải quyết TTHC nào?")
    assert "UBND (Ủy ban nhân dân)" in q.text
    assert "TTHC (thủ tục hành chính)" in q.text
    assert q.expanded == ("UBND", "TTHC")


def test_expansion_can_be_switched_off() -> None:
    n = QueryNormalizer(expand_abbreviations=False, restore_diacritics=False)
    n.load()
    q = n.normalize("UBND xã giải quyết TTHC nào?")
    assert q.text == "UBND xã giải quyết TTHC nào?" and q.expanded == ()


def test_unaccented_question_is_restored_for_dense_only(normalizer: QueryNormalizer) -> None:
    q = normalizer.normalize("thu tuc dang ky ket hon")
    assert q.text == "thu tuc dang ky ket hon"  # BM25 folds anyway
    assert q.restored and q.dense_text != q.text
    assert "đăng ký" in q.dense_text


def test_codes_and_numbers_are_kept_while_the_words_around_them_are_restored(
    normalizer: QueryNormalizer, caplog: pytest.LogCaptureFixture
) -> None:
    q = normalizer.normalize("nghi quyet 49-NQ/TU co may tru cot")  # the code alone used to make pyvi fail
    assert q.restored and "nghị quyết" in q.dense_text and "49-nq/tu" in q.dense_text
    assert "restoration failed" not in caplog.text


def test_accented_question_is_not_restored(normalizer: QueryNormalizer) -> None:
    q = normalizer.normalize("Thủ tục đăng ký kết hôn")
    assert not q.restored and q.dense_text == q.text


def test_english_question_is_left_as_is(normalizer: QueryNormalizer) -> None:
    q = normalizer.normalize("What is the fee for a building permit?")
    assert q.language == "en" and q.dense_text == q.original and not q.restored
    # BM25 gets the glossary's Vietnamese terms; the multilingual encoder reads the English as asked.
    assert q.translated == ("lệ phí phí mức thu", "giấy phép xây dựng")
    assert q.text.endswith("lệ phí phí mức thu giấy phép xây dựng")


def test_a_time_limit_asked_also_searches_the_word_documents_file_it_under(normalizer: QueryNormalizer) -> None:
    """ "mất bao lâu" is answered under "Thời hạn giải quyết": the lexical search gets "thời hạn", the dense text
    and the words the ranker and composer match (``terms``) stay the question's own."""
    query = normalizer.normalize("Xin giấy phép xây dựng mất bao lâu?")
    assert query.text.endswith("(thời hạn)") and "thời hạn" not in query.dense_text
    assert "thoi" not in query.terms and "han" not in query.terms
    already = normalizer.normalize("Thời hạn giải quyết thủ tục cấp phép là bao lâu?")
    assert already.text.count("hạn") == 1  # named already: nothing added
    assert normalizer.normalize("Lệ phí cấp giấy phép là bao nhiêu?").text == "Lệ phí cấp giấy phép là bao nhiêu?"
