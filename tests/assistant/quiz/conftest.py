"""Fixtures of the quiz tests. Export tests: ``export_quiz_bank``, one item of each kind plus a rejected one, with
Vietnamese text and GIFT's reserved characters; ``export_lesson``, a lesson of three cited points."""

from __future__ import annotations

import pytest

from assistant.quiz.model import (
    Difficulty,
    FactKind,
    ItemKind,
    Lesson,
    LessonPoint,
    MatchPair,
    QuizBank,
    QuizItem,
    ReviewStatus,
    SourceRef,
)

EXPORT_GUIDE = SourceRef(
    "hd:muc-ii-khoan-2", "hd", "12/HD-STTTT", "Hướng dẫn chữ ký số", "Hướng dẫn", "khoản 2 mục II", 1,
    "2. Gia hạn: chậm nhất 30 ngày trước ngày chứng thư hết hạn, cơ quan gửi đề nghị gia hạn.",
)  # fmt: skip
EXPORT_DECREE = SourceRef(
    "nd30:dieu-5-khoan-2", "nd30", "30/2020/NĐ-CP", "Nghị định về công tác văn thư", "Nghị định",
    "điểm a khoản 2 Điều 5", 3, "a) Văn bản hành chính được trình bày trên khổ giấy A4 (210 mm x 297 mm).",
)  # fmt: skip
EXPORT_SPECIAL_STEM = "Theo Điều 5: {a} = b ~ c # d \\ e, văn bản hành chính được trình bày trên khổ giấy nào?"


@pytest.fixture
def export_quiz_bank() -> QuizBank:
    choice = QuizItem(
        "mc1", ItemKind.MULTIPLE_CHOICE, EXPORT_SPECIAL_STEM,
        "Căn cứ điểm a khoản 2 Điều 5: “Văn bản hành chính được trình bày trên khổ giấy A4 (210 mm x 297 mm).”",
        (EXPORT_DECREE,), FactKind.CONDITION, Difficulty.DISCRIMINATE,
        options=("A5 {nhỏ}", "A4 (210 mm x 297 mm)", "A3 = 2 × A4", "Letter: 8,5 × 11 inch"), correct=(1,),
        flags=("source_not_current",), status=ReviewStatus.ACCEPTED,
    )  # fmt: skip
    true_false = QuizItem(
        "tf1", ItemKind.TRUE_FALSE, "Đúng hay sai: chậm nhất 15 ngày trước ngày hết hạn, cơ quan gửi đề nghị.",
        "Căn cứ khoản 2 mục II: “chậm nhất 30 ngày trước ngày chứng thư hết hạn”.", (EXPORT_GUIDE,),
        FactKind.DURATION, options=("Đúng", "Sai"), correct=(1,),
    )  # fmt: skip
    blank = QuizItem(
        "fb1", ItemKind.FILL_BLANK, "Chậm nhất ___ trước ngày chứng thư hết hạn, cơ quan gửi đề nghị gia hạn.",
        "Căn cứ khoản 2 mục II: “chậm nhất 30 ngày trước ngày chứng thư hết hạn”.", (EXPORT_GUIDE,),
        FactKind.DURATION, answers=("30 ngày", "ba mươi ngày"), status=ReviewStatus.ACCEPTED,
    )  # fmt: skip
    matching = QuizItem(
        "m1", ItemKind.MATCHING, "Ghép mỗi việc với thời hạn của nó.",
        "Căn cứ khoản 2 mục II Hướng dẫn 12/HD-STTTT.", (EXPORT_GUIDE,), FactKind.DURATION,
        pairs=(MatchPair("Gia hạn chứng thư", "30 ngày", EXPORT_GUIDE),
               MatchPair("Thu hồi chứng thư", "05 ngày làm việc", EXPORT_GUIDE),
               MatchPair("Báo mất thiết bị", "24 giờ", EXPORT_GUIDE)),
    )  # fmt: skip
    rejected = QuizItem(
        "x1", ItemKind.TRUE_FALSE, "CÂU BỊ LOẠI: không được xuất.", "GIẢI THÍCH BỊ LOẠI", (EXPORT_GUIDE,),
        FactKind.DURATION, options=("Đúng", "Sai"), correct=(0,), status=ReviewStatus.REJECTED,
    )  # fmt: skip
    return QuizBank(
        "bank1", "Chữ ký số và văn thư", "chữ ký số", "u1", "STTTT",
        (choice, rejected, true_false, blank, matching), ("nd30", "hd"),
    )  # fmt: skip


@pytest.fixture
def export_lesson() -> Lesson:
    return Lesson(
        "3 điều cần nhớ về chữ ký số", "chữ ký số",
        (LessonPoint("Gia hạn chứng thư chậm nhất 30 ngày trước ngày hết hạn.", EXPORT_GUIDE),
         LessonPoint("Văn bản hành chính trình bày trên khổ giấy A4.", EXPORT_DECREE),
         LessonPoint("Báo mất thiết bị trong 24 giờ.", EXPORT_GUIDE)),
    )  # fmt: skip
