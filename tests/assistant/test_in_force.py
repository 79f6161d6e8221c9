"""What is in force goes first: a replaced document's passage, or an amended clause, yields its place to the newer
passage that says what applies now, and nothing else moves."""

from __future__ import annotations

from support import make_passage, make_query

from assistant.retrieval.in_force import in_force_first
from assistant.text.legal_grammar import cited_clauses
from assistant.types import Passage, Validity


def test_a_replaced_documents_passage_follows_the_best_passage_of_its_replacement() -> None:
    old = make_passage("qt-2023", "Điều 6. Thời hạn giải quyết là 15 ngày.", number="1/2023/QĐ-UBND",
                       status=Validity.EXPIRED, superseded_by=("2/2025/QĐ-UBND",))  # fmt: skip
    other = make_passage("hd-khac", "Điều 3. Nội dung khác.", number="3/HD-UBND")
    new_best = make_passage("qt-2025", "Điều 6. Thời hạn giải quyết là 10 ngày.", number="2/2025/QĐ-UBND")
    new_next = make_passage("qt-2025", "Điều 7. Lệ phí.", article="7", number="2/2025/QĐ-UBND")
    order = in_force_first([old, other, new_best, new_next])
    assert order == [2, 0, 1, 3]


def test_the_replacing_passage_is_the_one_restating_the_old_provision_not_the_replacements_best() -> None:
    old = make_passage("qc-2021", "Điều 8. Văn thư phát hành văn bản đi ngay trong ngày ký.", article="8",
                       number="18/2021/QĐ-UBND", status=Validity.EXPIRED,
                       superseded_by=("35/2025/QĐ-UBND",))  # fmt: skip
    other = make_passage("qc-2025", "Điều 6. Quản lý tài khoản người dùng trên Hệ thống.", article="6",
                         number="35/2025/QĐ-UBND")  # fmt: skip
    restated = make_passage("qc-2025", "Điều 8. Văn thư phát hành văn bản đi chậm nhất trong ngày làm việc tiếp theo.",
                            article="8", number="35/2025/QĐ-UBND")  # fmt: skip
    assert in_force_first([old, other, restated]) == [2, 0, 1]
    assert in_force_first([other, old, restated]) == [0, 2, 1]  # the replacement's other article ranks above: no matter


def test_a_replacement_already_ranked_above_leaves_the_order_alone() -> None:
    new = make_passage("qt-2025", "Điều 6. Thời hạn 10 ngày.", number="2/2025/QĐ-UBND")
    old = make_passage("qt-2023", "Điều 6. Thời hạn 15 ngày.", number="1/2023/QĐ-UBND",
                       status=Validity.EXPIRED, superseded_by=("2/2025/QĐ-UBND",))  # fmt: skip
    later = make_passage("qt-2025", "Điều 9. Hiệu lực.", article="9", number="2/2025/QĐ-UBND")
    assert in_force_first([new, old, later]) == [0, 1, 2]


ARTICLE_6 = (
    "Điều 6. Thời hạn giải quyết\n"
    "1. Cấp mới giấy phép hành nghề: 30 ngày.\n"
    "2. Cấp lại giấy phép hành nghề: 10 ngày.\n"
    "3. Điều chỉnh giấy phép hành nghề: 10 ngày."
)
AMENDS_6_3 = "Điều 2. Sửa đổi khoản 3 Điều 6 về thời hạn\nKhoản 3 Điều 6 được sửa đổi như sau: điều chỉnh 07 ngày."


def amended_and_amending() -> list[Passage]:
    art6 = make_passage("qd-2024", ARTICLE_6, article="6", number="415/QĐ-UBND", status=Validity.PARTLY_EXPIRED,
                        amended_by=("1097/QĐ-UBND",))  # fmt: skip
    other = make_passage("hd-khac", "Điều 3. Nội dung khác.", article="3", number="3/HD-UBND")
    return [art6, other, make_passage("qd-2025", AMENDS_6_3, number="1097/QĐ-UBND")]


def test_an_amended_clause_yields_to_the_clause_that_rewrites_it() -> None:
    asked = make_query("Điều chỉnh giấy phép hành nghề mất bao lâu?").terms
    assert in_force_first(amended_and_amending(), asked) == [2, 0, 1]


def test_an_article_whose_asked_clause_is_not_amended_keeps_its_place() -> None:
    """An amending decision rewrites some clauses and leaves the rest of the article in force."""
    asked = make_query("Cấp mới giấy phép hành nghề mất bao lâu?").terms
    assert in_force_first(amended_and_amending(), asked) == [0, 1, 2]
    assert in_force_first(amended_and_amending()) == [0, 1, 2]  # no question words: nothing to go by
    tied = make_query("Giấy phép hành nghề mất bao lâu?").terms  # every clause holds these words alike
    assert in_force_first(amended_and_amending(), tied) == [0, 1, 2]


def test_the_articles_and_clauses_an_amending_text_names() -> None:
    assert cited_clauses(AMENDS_6_3) == {"6": {"3"}}
    assert cited_clauses("Điều 1. Sửa đổi Điều 2\nNội dung Điều 2 Quyết định số 415/QĐ-UBND được sửa đổi") == {
        "2": set()
    }
    assert cited_clauses("Bổ sung khoản 3 vào sau khoản 2 Điều 4 như sau") == {"4": set()}
    assert cited_clauses("căn cứ điểm a khoản 2 và khoản 5 Điều 12 Luật; Điều 110 Luật Đất đai") == {
        "12": {"2", "5"},
        "110": set(),
    }


def test_a_replacement_not_yet_in_force_does_not_take_the_place() -> None:
    old = make_passage("qt-2023", "Điều 6. Thời hạn 15 ngày.", number="1/2023/QĐ-UBND",
                       status=Validity.EXPIRED, superseded_by=("2/2027/QĐ-UBND",))  # fmt: skip
    pending = make_passage("qt-2027", "Điều 6. Thời hạn 10 ngày.", number="2/2027/QĐ-UBND", status=Validity.NOT_YET)
    assert in_force_first([old, pending]) == [0, 1]


def test_a_chain_of_replacements_is_followed_to_the_text_in_force() -> None:
    first = make_passage("qt-2021", "Điều 6. Thời hạn giải quyết là 20 ngày.", number="1/2021/QĐ-UBND",
                         status=Validity.EXPIRED, superseded_by=("1/2023/QĐ-UBND",))  # fmt: skip
    other = make_passage("hd-khac", "Điều 3. Nội dung khác.", number="3/HD-UBND")
    second = make_passage("qt-2023", "Điều 6. Thời hạn giải quyết là 15 ngày.", number="1/2023/QĐ-UBND",
                          status=Validity.EXPIRED, superseded_by=("2/2025/QĐ-UBND",))  # fmt: skip
    now = make_passage("qt-2025", "Điều 6. Thời hạn giải quyết là 10 ngày.", number="2/2025/QĐ-UBND")
    # 2021 was replaced by 2023, itself replaced by 2025: the text in force goes before both.
    assert in_force_first([first, other, second, now]) == [3, 0, 1, 2]
