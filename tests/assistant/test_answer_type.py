"""Which kind of fact a question asks for, and which sentences state one."""

from __future__ import annotations

import pytest

from assistant.answer.answer_type import AnswerType, expected_answer, states


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Văn bản khẩn phải được xử lý trong bao lâu?", AnswerType.DURATION),
        ("thoi han giai quyet khieu nai lan dau la bao lau", AnswerType.DURATION),
        ("Mật khẩu phải thay đổi ít nhất bao nhiêu ngày một lần?", AnswerType.DURATION),
        ("Quyết định 1097/QĐ-UBND có hiệu lực từ ngày nào?", AnswerType.DATE),
        ("When does the plan take effect?", AnswerType.DATE),
        ("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?", AnswerType.QUANTITY),
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
    assert states(AnswerType.DATE, "báo cáo gửi trước ngày 15/6/2026")
    assert not states(AnswerType.NONE, "75.000 đồng")
