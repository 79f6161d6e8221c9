"""The question is analysed once (QueryNormalizer): follow-ups, entities, years, document questions, glossary."""

import pytest

from assistant.text.catalog_questions import document_question
from assistant.text.entities import mentioned_entities, mentioned_years, names_in
from assistant.text.followup import has_own_subject, is_follow_up, subject_context, subject_words
from assistant.text.glossary import Glossary
from assistant.text.query import QueryNormalizer
from assistant.types import AnswerType

PERMIT = "Thời hạn giải quyết cấp giấy phép xây dựng nhà ở riêng lẻ là bao lâu?"


@pytest.mark.parametrize(
    "question",
    ["Còn lệ phí thì sao?", "Nộp hồ sơ ở đâu?", "Văn bản đó còn hiệu lực không?", "Thời hạn giải quyết là bao lâu?",
     "What about the fee?", "mấy ngày?", "Muốn gia hạn thì phải nộp hồ sơ trước bao lâu?", "Còn lần hai thì sao?"],
)  # fmt: skip
def test_a_turn_without_its_own_subject_follows_up(question: str) -> None:
    assert not has_own_subject(question)
    assert is_follow_up(question, [PERMIT])
    assert subject_context(question, [PERMIT]) == PERMIT


@pytest.mark.parametrize(
    "question",
    ["Còn cấp giấy phép sửa chữa nhà ở thì sao?", "Quyết định 35/2025/QĐ-UBND thay thế văn bản nào?",
     "Mật khẩu máy tính cơ quan phải đổi bao lâu một lần?",  # "mật" is not "mất" (bao lâu)
     "Muốn đổi ca trực ở Sở thì phải báo trước bao lâu?",  # nor "ca" "cả"
     "Mật danh của đội ứng cứu sự cố là gì?", "How many community digital transformation teams does Cao Bằng have?",
     "Còn lệ phí đăng ký khai tử thì sao?"],  # "tử" and "đăng" fold onto the stopwords "từ" and "đang"
)  # fmt: skip
def test_a_turn_that_names_its_subject_stands_alone(question: str) -> None:
    assert has_own_subject(question)
    assert subject_context(question, [PERMIT]) == ""


def test_a_follow_up_of_a_follow_up_carries_the_last_named_subject() -> None:
    history = [PERMIT, "Còn lệ phí thì sao?"]
    assert subject_context("Nộp ở đâu?", history) == PERMIT
    assert subject_context("Nộp ở đâu?", []) == ""  # the first turn has nothing to follow


def test_the_normaliser_reads_a_follow_up_with_its_context() -> None:
    normalizer = QueryNormalizer(restore_diacritics=False)
    normalizer.load()
    q = normalizer.normalize("Còn lệ phí thì sao?", [PERMIT])
    assert q.context == PERMIT and q.is_follow_up
    # The earlier question lends its subject, not what it asked of it ("thời hạn … bao lâu").
    assert q.text == "giấy phép xây dựng nhà ở riêng lẻ Còn lệ phí thì sao?" and q.original == "Còn lệ phí thì sao?"
    assert q.answer_type is AnswerType.MONEY  # typed by its own topic word
    assert q.focus == ("le", "phi") and "xay" in q.terms and "thoi" not in q.terms
    alone = normalizer.normalize("Còn cấp giấy phép sửa chữa nhà ở thì sao?", [PERMIT])
    assert alone.context == "" and not alone.is_follow_up


@pytest.mark.parametrize(
    ("earlier", "subject"),
    [("Mật khẩu hệ thống thông tin của cơ quan nhà nước phải dài tối thiểu bao nhiêu ký tự?",
      "Mật khẩu hệ thống thông tin của nhà nước dài tối thiểu"),  # "mật" is not "mất", "hệ" not "liên hệ"
     ("Giấy phép hành nghề khám bệnh, chữa bệnh có thời hạn bao lâu?", "Giấy phép hành nghề khám bệnh chữa bệnh"),
     ("thoi han cap giay phep xay dung nha o rieng le la bao lau", "giay phep xay dung nha o rieng le"),
     ("Lệ phí bao nhiêu?", "Lệ phí bao nhiêu?")],  # nothing but what it asks: the question as it is
)  # fmt: skip
def test_a_follow_up_borrows_the_earlier_subject_as_a_phrase(earlier: str, subject: str) -> None:
    assert subject_words(earlier) == subject


def test_entities_are_places_and_named_units() -> None:
    assert mentioned_entities("Sở Y tế tỉnh Cao Bằng quy định trực đêm thế nào?") == ("cao bang",)
    assert mentioned_entities("UBND huyện Bắc Sơn có bao nhiêu xã?") == ("bac son",)
    assert mentioned_entities("Thủ tục cấp hộ chiếu phổ thông cần giấy tờ gì?") == ()
    assert mentioned_entities("How long does an inspection take in Lang Son province?") == ("lang son",)
    assert names_in(("cao bang", "bac son"), "so y te tinh cao bang") == 1
    assert mentioned_years("Năm 2023, văn bản đến… so với 2025") == ("2023", "2025")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Quyết định 35/2025/QĐ-UBND thay thế văn bản nào?", "replaces"),
        ("Văn bản nào thay thế Quyết định 18/2021/QĐ-UBND?", "replaced_by"),
        ("Quyết định 18/2021/QĐ-UBND đã bị thay thế bởi văn bản nào?", "replaced_by"),
        ("Quyết định 22/2023/QĐ-UBND được sửa đổi bởi văn bản nào?", "amended_by"),
        ("41/2025/QĐ-UBND sửa đổi, bổ sung văn bản nào?", "amends"),
        ("Quyết định 1342/QĐ-UBND còn hiệu lực không?", "validity"),
        ("Kế hoạch 45/KH-SXD do cơ quan nào ban hành, ngày nào?", "issuer"),
        ("Is Decision 35/2025/QĐ-UBND still in force?", "validity"),
        ("Quyết định 204-QĐ/TW và Nghị quyết 57-NQ/TW, văn bản nào ban hành trước?", "issued_order"),
        ("Nghị quyết 57-NQ/TW và 03/NQ-CP cách nhau bao nhiêu ngày?", "issued_order"),
        ("Which was issued first, 57-NQ/TW or 03/NQ-CP?", "issued_order"),
        ("Lệ phí cấp giấy phép theo 12/2023/NQ-HĐND là bao nhiêu?", ""),
    ],
)
def test_questions_about_a_document_itself(question: str, kind: str) -> None:
    assert document_question(question) == kind


def test_the_glossary_adds_vietnamese_terms_longest_first() -> None:
    glossary = Glossary.load()
    assert glossary.translate("What is the fee for a construction permit?") == (
        "lệ phí phí mức thu",
        "giấy phép xây dựng",
    )
    assert glossary.translate("Who issues the Investment Registration Certificate?")[-1] == (
        "giấy chứng nhận đăng ký đầu tư"
    )
    assert glossary.translate("Xin chào") == ()


def test_a_malformed_glossary_line_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "g.tsv"
    bad.write_text("fee\tlệ phí\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"g\.tsv:2: expected"):
        Glossary.load(bad)
