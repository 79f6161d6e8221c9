"""Which kind of fact a question asks for, and which sentences state one."""

from __future__ import annotations

import pytest
from support import make_query

from assistant.text.answer_type import (
    AnswerType,
    also_asked,
    counted_noun,
    counts,
    expected_answer,
    fact_span,
    part_asking,
    question_parts,
    states,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Văn bản khẩn phải được xử lý trong bao lâu?", AnswerType.DURATION),
        ("thoi han giai quyet khieu nai lan dau la bao lau", AnswerType.DURATION),
        ("Mật khẩu phải thay đổi ít nhất bao nhiêu ngày một lần?", AnswerType.DURATION),
        ("Quyết định 1097/QĐ-UBND có hiệu lực từ ngày nào?", AnswerType.DATE),
        ("When does the plan take effect?", AnswerType.DATE),
        ("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?", AnswerType.MONEY),
        # A fine or an allowance is an amount of money, not any number: "60 ngày" does not answer it.
        ("Mức phạt khi xây nhà không phép là bao nhiêu?", AnswerType.MONEY),
        ("muc phat khi khong doi mat khau", AnswerType.MONEY),
        ("Không xin phép thì bị phạt bao nhiêu?", AnswerType.MONEY),
        ("Phụ cấp trực đêm là bao nhiêu một ca?", AnswerType.MONEY),
        ("Gia hạn giấy phép mất bao nhiêu ngày?", AnswerType.DURATION),  # "gia hạn" is not "giá"
        ("Đợt kiểm tra bị phát hiện bao nhiêu lỗi?", AnswerType.QUANTITY),  # "bị phát hiện" is not "bị phạt"
        ("Năm 2025 khen thưởng bao nhiêu tập thể?", AnswerType.QUANTITY),  # a count of those rewarded
        ("Người tố cáo đúng được khen thưởng bao nhiêu tiền?", AnswerType.MONEY),
        ("Tổ gồm mấy thành viên?", AnswerType.QUANTITY),
        ("to gom may thanh vien", AnswerType.QUANTITY),
        ("How many members does the team have?", AnswerType.QUANTITY),
        ("Nộp hồ sơ cấp giấy phép xây dựng ở đâu?", AnswerType.WHERE),
        ("Cơ quan nào thường trực theo dõi Nghị quyết 49-NQ/TU?", AnswerType.WHO),
        ("Ai ký văn bản đi?", AnswerType.WHO),
        ("Hồ sơ gồm những giấy tờ gì?", AnswerType.NONE),
        ("Máy chủ đặt trên tầng nào?", AnswerType.NONE),  # "máy" (machine) is not "mấy" (how many)
        ("Văn bản nào thay thế Quyết định 18/2021/QĐ-UBND?", AnswerType.NONE),
    ],
)
def test_expected_answer(question: str, kind: AnswerType) -> None:
    assert expected_answer(question) is kind


def test_references_are_not_facts() -> None:
    reference = "3. Lệ phí cấp giấy phép xây dựng thu theo Nghị quyết số 12/2023/NQ-HĐND, Điều 3."
    assert not states(AnswerType.QUANTITY, reference)
    assert states(AnswerType.QUANTITY, "1. Cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép.")
    assert states(AnswerType.DURATION, "không quá 05 ngày làm việc kể từ ngày nhận")
    assert not states(AnswerType.DURATION, "Chương 5 quy định về hồ sơ")
    assert states(AnswerType.DURATION, "Văn bản khẩn phải được trình và chuyển ngay sau khi nhận.")  # "at once"
    assert states(AnswerType.DATE, "báo cáo gửi trước ngày 15/6/2026")
    assert not states(AnswerType.NONE, "75.000 đồng")


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Kế hoạch kiểm tra bao nhiêu công trình?", "cong trinh"),
        ("Tổ gồm mấy thành viên?", "thanh vien"),
        ("to gom may thanh vien", "thanh vien"),
        ("How many members are there?", "members"),
        ("How many targets had the province met?", "targets"),  # a verb is not part of what is counted
        ("Trường được cấp bao nhiêu máy tính?", "may tinh"),  # "máy" folds to an English-looking "may"
        ("Lệ phí là bao nhiêu?", None),
        ("Máy chủ đặt ở đâu?", None),
        ("Năm 2022 tỉnh xếp thứ mấy về Chỉ số chuyển đổi số?", None),  # a rank: "63 về Chỉ" is no answer
        ("Được nghỉ bao nhiêu về chế độ?", None),  # a preposition is not what is counted
        ("Lạng Sơn đứng hạng mấy toàn quốc?", None),
    ],
)
def test_counted_noun(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


def test_counts_needs_a_number_before_the_noun() -> None:
    assert counts("cong trinh", "1. Số lượng: kiểm tra 14 công trình đang thi công")
    assert not counts("cong trinh", "Danh sách công trình kiểm tra đột xuất")
    assert not counts(None, "14 công trình")


def test_a_counted_noun_is_read_with_its_diacritics_when_typed_with_them() -> None:
    assert counted_noun("Mật khẩu phải dài tối thiểu bao nhiêu ký tự?") == "ky tu"  # "tự" is not "từ" (from)
    assert counted_noun("Bao nhiêu người từ 60 tuổi trở lên?") == "nguoi"
    assert counted_noun("mat khau toi thieu bao nhieu ky tu") == "ky"  # unaccented "tu" may be "từ": one syllable
    sentence = "Mật khẩu phải có độ dài tối thiểu 12 ký tự, gồm chữ hoa và chữ số."
    assert fact_span(AnswerType.QUANTITY, "ky tu", sentence) == "12 ký tự"


def test_a_count_out_of_a_total_is_the_first_number() -> None:
    sentence = "Đến năm 2025, tỉnh đã hoàn thành 22 trên tổng số 30 chỉ tiêu của Nghị quyết."
    noun = counted_noun("Tỉnh đã đạt được bao nhiêu chỉ tiêu?")
    assert fact_span(AnswerType.QUANTITY, noun, sentence) == "22 trên tổng số 30 chỉ tiêu"  # not "30 chỉ tiêu"
    english = "The province had met 22 of the 30 targets."
    assert fact_span(AnswerType.QUANTITY, "targets", english) == "22 of the 30 targets"
    assert counted_noun("How many of the Resolution 49-NQ/TU targets were met?") is None  # "of" is counted nothing


def test_of_several_facts_the_one_the_question_words_lead_into() -> None:
    sentence = "Thời hạn cấp mới (30 ngày) và gia hạn (20 ngày) giấy phép hành nghề giữ nguyên."
    renewal = make_query("Muốn gia hạn giấy phép hành nghề thì mất bao lâu?").terms
    assert fact_span(AnswerType.DURATION, None, sentence, renewal) == "20 ngày"
    assert fact_span(AnswerType.DURATION, None, sentence) == "30 ngày"  # no question words: the first
    limits = "Thời hạn: không quá 12 ngày làm việc kể từ ngày nhận đủ hồ sơ; kiểm tra trong 05 ngày làm việc."
    days = make_query("Mất mấy ngày làm việc?").terms  # the fact's own words choose nothing
    assert fact_span(AnswerType.DURATION, None, limits, days) == "không quá 12 ngày làm việc"
    fees = "Lệ phí cấp mới: 100.000 đồng; điều chỉnh nội dung: 50.000 đồng."
    assert fact_span(AnswerType.MONEY, None, fees, make_query("Lệ phí điều chỉnh nội dung là bao nhiêu?").terms) == (
        "50.000 đồng"
    )


def test_money_and_follow_ups() -> None:
    assert expected_answer("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?") is AnswerType.MONEY
    assert states(AnswerType.MONEY, "Cấp giấy phép: 75.000 đồng/giấy phép.")
    assert not states(AnswerType.MONEY, "Kiểm tra 14 công trình.")
    follow_up = "Thời hạn giải quyết cấp giấy phép là bao lâu? còn lệ phí thì sao?"
    assert question_parts(follow_up) == ["Thời hạn giải quyết cấp giấy phép là bao lâu", "còn lệ phí thì sao"]
    assert expected_answer(follow_up) is AnswerType.MONEY  # typed by its last part
    assert expected_answer("Thời hạn là bao lâu? Văn bản nào quy định?") is AnswerType.DURATION


@pytest.mark.parametrize(
    ("question", "others", "part"),
    [
        (
            "Cấp giấy phép xây dựng tại Sở Xây dựng mất bao lâu và lệ phí bao nhiêu?",
            (AnswerType.DURATION,),  # the fee is the main kind ("lệ phí … bao nhiêu" is read first)
            "Cấp giấy phép xây dựng tại Sở Xây dựng mất bao lâu?",
        ),
        (
            "Khiếu nại lần hai do ai giải quyết, trong thời hạn bao lâu?",
            (AnswerType.WHO,),
            "Khiếu nại lần hai do ai giải quyết?",
        ),
        ("How long does it take and how much does it cost?", (AnswerType.DURATION,), "How long does it take?"),
        ("Phí chứng thực chữ ký là bao nhiêu?", (), ""),  # one thing asked
        ("Quyết định 204-QĐ/TW và Nghị quyết 57-NQ/TW cách nhau bao nhiêu ngày?", (), ""),  # "và" joins names
    ],
)
def test_a_question_asking_two_things_is_split_into_its_parts(
    question: str, others: tuple[AnswerType, ...], part: str
) -> None:
    main = expected_answer(question)
    assert also_asked(question, main) == others
    assert part_asking(question, others[0] if others else AnswerType.DATE) == part


def test_a_comma_inside_one_question_does_not_make_two() -> None:
    question = "Phí thẩm định gia hạn giấy phép hành nghề khám bệnh, chữa bệnh là bao nhiêu?"
    assert also_asked(question, expected_answer(question)) == ()
