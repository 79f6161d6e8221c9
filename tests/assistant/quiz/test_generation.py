"""Facts, distractors, the four item kinds and the checks, on hand-built clauses like the shelf's guide and rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from assistant.quiz.distractors import pick_distractors, stated_in
from assistant.quiz.facts import clauses, extract_facts, fact_key
from assistant.quiz.generate import (
    NOT_CURRENT,
    fill_blank,
    generate_items,
    matching,
    multiple_choice,
    question_stem,
    true_false,
)
from assistant.quiz.model import Difficulty, Fact, FactKind, ItemKind, QuizItem
from assistant.quiz.verify import check_bank, check_item
from assistant.types import Chunk, DocumentMeta, Validity

GUIDE = DocumentMeta("hd-cks", "Hướng dẫn chữ ký số", number="12/HD-STTTT", doc_type="Hướng dẫn")
RULES = DocumentMeta("qc-vb", "Quy chế văn bản điện tử", number="35/2025/QĐ-UBND", doc_type="Quy chế")
FEES = DocumentMeta("nq-phi", "Nghị quyết lệ phí", number="12/2023/NQ-HĐND", doc_type="Nghị quyết")
PERMITS = DocumentMeta(
    "qd-tthc", "Quyết định công bố thủ tục hành chính cấp giấy phép bản tin", number="862/QĐ-UBND",
    doc_type="Quyết định",
)  # fmt: skip
PERMITS_ARTICLE = (
    "Điều 5. Thời hạn giải quyết\n"
    "1. Cấp mới giấy phép: 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.\n"
    "2. Sửa đổi, bổ sung giấy phép: 07 ngày làm việc.\n"
    "3. Cấp lại giấy phép: 03 ngày làm việc.\n"
    "4. Gia hạn giấy phép: chậm nhất 30 ngày trước ngày giấy phép hết hạn, tổ chức gửi đề nghị."
)
SECTION_II = "II. ĐĂNG KÝ, GIA HẠN, THU HỒI CHỨNG THƯ"
GUIDE_CLAUSES = [
    "1. Đề nghị cấp mới: cơ quan gửi Sở Thông tin và Truyền thông qua Hệ thống quản lý văn bản và điều hành. "
    "Trong thời hạn 03 ngày làm việc, Sở kiểm tra, tổng hợp và gửi đề nghị tới Ban Cơ yếu Chính phủ.",
    "2. Gia hạn: chậm nhất 30 ngày trước ngày chứng thư hết hạn, cơ quan gửi đề nghị gia hạn "
    "theo cách thức như cấp mới.",
    "3. Thu hồi: khi cán bộ nghỉ hưu, trong thời hạn 05 ngày làm việc cơ quan quản lý cán bộ gửi đề nghị thu hồi.",
    "4. Mất thiết bị, lộ mã PIN: người được cấp phải báo ngay cho văn thư cơ quan, chậm nhất trong vòng 24 giờ kể từ "
    "khi phát hiện.",
]
RULES_ARTICLE = (
    "Điều 7. Phân phối, xử lý văn bản đến\n"
    "1. Lãnh đạo cơ quan cho ý kiến phân phối văn bản đến trong thời hạn 04 giờ làm việc kể từ khi được trình.\n"
    "2. Văn bản đến không ghi thời hạn thì thời hạn xử lý không quá 10 ngày làm việc kể từ ngày nhận văn bản.\n"
    "3. Hồ sơ được nộp lưu trước ngày 31 tháng 3 của năm liền kề; Sở Khoa học và Công nghệ hướng dẫn.\n"
    "4. Văn bản khẩn được xử lý trong thời hạn 08 giờ làm việc."
)
FEES_ARTICLE = (
    "Điều 3. Mức thu lệ phí\n"
    "1. Cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép.\n"
    "2. Cấp giấy phép xây dựng các công trình khác: 150.000 đồng/giấy phép.\n"
    "3. Gia hạn, điều chỉnh, cấp lại giấy phép xây dựng: 15.000 đồng/giấy phép.\n"
    "4. Số lượng hồ sơ: 02 bộ; thời hạn trả kết quả 07 ngày làm việc.\n"
    "5. Chủ đầu tư nộp lệ phí trong 10 ngày kể từ ngày nhận thông báo; biên lai được lưu 60 ngày."
)


def guide_chunks(doc: DocumentMeta = GUIDE) -> list[Chunk]:
    """Clause-level chunks as the ingest cuts an outline guide: section heading, then the numbered clause."""
    return [
        Chunk(f"{doc.doc_id}:muc-ii-{n}", doc.doc_id, n, f"{SECTION_II}\n{text}", (SECTION_II, text[:60]), text[:60])
        for n, text in enumerate(GUIDE_CLAUSES, start=1)
    ]


def article_chunk(doc: DocumentMeta, text: str, article: str, ordinal: int = 1) -> Chunk:
    heading = text.splitlines()[0]
    return Chunk(f"{doc.doc_id}:dieu-{article}", doc.doc_id, ordinal, text, ("Chương II", heading), heading, article)


def all_facts() -> list[Fact]:
    chunks = [(c, GUIDE) for c in guide_chunks()]
    chunks += [(article_chunk(RULES, RULES_ARTICLE, "7"), RULES), (article_chunk(FEES, FEES_ARTICLE, "3"), FEES)]
    chunks.append((article_chunk(PERMITS, PERMITS_ARTICLE, "5"), PERMITS))
    return [fact for chunk, doc in chunks for fact in extract_facts(chunk, doc)]


def facts_of(kind: FactKind, doc_id: str | None = None) -> list[Fact]:
    return [f for f in all_facts() if f.kind is kind and (doc_id is None or f.source.doc_id == doc_id)]


def test_facts_have_kinds_values_and_clauses() -> None:
    found = {(f.kind, f.value) for f in all_facts()}
    assert {
        (FactKind.DURATION, "03 ngày làm việc"),
        (FactKind.DURATION, "30 ngày"),
        (FactKind.DURATION, "24 giờ"),
        (FactKind.DURATION, "04 giờ làm việc"),
        (FactKind.AGENCY, "Sở Thông tin và Truyền thông"),
        (FactKind.AGENCY, "Ban Cơ yếu Chính phủ"),
        (FactKind.AGENCY, "văn thư cơ quan"),
        (FactKind.AMOUNT, "75.000 đồng/giấy phép"),
        (FactKind.DATE, "ngày 31 tháng 3"),
        (FactKind.COUNT, "02 bộ"),
    } <= found
    for fact in all_facts():
        assert fact.value in fact.sentence and fact.sentence in fact.source.text
    renewal = next(f for f in all_facts() if f.value == "30 ngày")
    assert renewal.subject == "Gia hạn" and renewal.key == "30 ngay"
    assert renewal.source.path == "khoản 2 mục II — Gia hạn" and renewal.source.number == "12/HD-STTTT"


def test_an_article_chunk_is_cut_into_its_clauses() -> None:
    parts = clauses(article_chunk(RULES, RULES_ARTICLE, "7"), RULES)
    assert [c.source.path for c in parts] == ["khoản 1 Điều 7", "khoản 2 Điều 7", "khoản 3 Điều 7", "khoản 4 Điều 7"]
    assert parts[1].text.startswith("Văn bản đến không ghi thời hạn")
    assert fact_key(FactKind.DURATION, "03 ngày làm việc") == fact_key(FactKind.DURATION, "3 ngày làm việc")


def test_references_and_cited_dates_are_not_facts() -> None:
    doc = dataclasses.replace(RULES, doc_id="x")
    text = (
        "Điều 9. Hiệu lực\nQuy chế thay thế Quyết định số 18/2021/QĐ-UBND ngày 10 tháng 6 năm 2021; xem khoản 2 Điều 5."
    )
    assert extract_facts(article_chunk(doc, text, "9"), doc) == []


def test_multiple_choice_has_one_right_option_stated_in_its_clause() -> None:
    renewal = next(f for f in all_facts() if f.value == "30 ngày")
    item = multiple_choice(renewal, all_facts(), random.Random(1), Difficulty.RECALL, frozenset())
    assert item is not None
    assert len(item.options) == 4 and len(set(item.options)) == 4 and len(item.correct) == 1
    stated = [o for o in item.options if stated_in(FactKind.DURATION, o, item.sources[0].text)]
    assert stated == ["30 ngày"] == [item.options[item.correct[0]]]
    assert item.stem.startswith("Theo khoản 2 mục II Hướng dẫn số 12/HD-STTTT, ") and item.stem.endswith("?")
    assert "bao lâu" in item.stem and "{" not in item.stem and "___" not in item.stem
    assert "«" in item.explanation and "Căn cứ khoản 2 mục II" in item.explanation
    assert check_item(item).passed


def test_distractors_are_same_kind_from_other_clauses_and_never_from_the_answer_clause() -> None:
    answer = next(f for f in all_facts() if f.value == "04 giờ làm việc")
    pool = all_facts()
    for difficulty in Difficulty:
        picked = pick_distractors(answer, pool, 3, random.Random(3), difficulty=difficulty)
        for fact in picked:
            assert fact.kind is FactKind.DURATION and fact.key != answer.key
            assert fact.source.path != answer.source.path or fact.source.chunk_id != answer.source.chunk_id
            assert not stated_in(FactKind.DURATION, fact.value, answer.source.text)
    recall = pick_distractors(answer, pool, 3, random.Random(3), difficulty=Difficulty.RECALL)
    assert recall and all(f.source.doc_id != RULES.doc_id for f in recall)
    assert recall[0].value == "24 giờ"  # the same unit comes first: hours with hours
    discriminate = pick_distractors(answer, pool, 3, random.Random(3), difficulty=Difficulty.DISCRIMINATE)
    assert [f.value for f in discriminate] == ["08 giờ làm việc"]  # the other deadline in hours of the same document


def test_a_second_fact_of_the_same_clause_is_never_a_distractor() -> None:
    sending = next(f for f in all_facts() if f.value == "Ban Cơ yếu Chính phủ")
    picked = pick_distractors(sending, all_facts(), 3, random.Random(0), difficulty=Difficulty.DISCRIMINATE)
    assert "Sở Thông tin và Truyền thông" not in {f.value for f in picked}  # also in khoản 1: a second right answer


def test_true_false_false_variant_changes_only_the_fact() -> None:
    fact = next(f for f in all_facts() if f.value == "05 ngày làm việc")
    right = true_false(fact, all_facts(), random.Random(2), Difficulty.RECALL, frozenset(), truth=True)
    wrong = true_false(fact, all_facts(), random.Random(2), Difficulty.RECALL, frozenset(), truth=False)
    assert right is not None and wrong is not None
    assert right.options == ("Đúng", "Sai") and right.correct == (0,) and wrong.correct == (1,)
    before, _, after = right.stem.partition("05 ngày làm việc")
    assert wrong.stem.startswith(before) and wrong.stem.endswith(after) and wrong.stem != right.stem
    assert check_item(right).passed and check_item(wrong).passed


def test_fill_in_blanks_the_value_and_accepts_its_spellings() -> None:
    fact = next(f for f in all_facts() if f.value == "03 ngày làm việc")
    item = fill_blank(fact)
    assert item is not None and item.stem.count("___") == 1 and "03 ngày làm việc" not in item.stem
    assert {"03 ngày làm việc", "3 ngày làm việc"} <= set(item.answers)
    fee = fill_blank(next(f for f in all_facts() if f.value == "75.000 đồng/giấy phép"))
    assert fee is not None and "75000 đồng/giấy phép" in fee.answers
    assert check_item(item).passed


def test_matching_pairs_procedures_with_the_time_they_take() -> None:
    item = matching(facts_of(FactKind.DURATION, PERMITS.doc_id), random.Random(0))
    assert item is not None and len(item.pairs) == 3
    assert {(p.left, p.right) for p in item.pairs} == {
        ("Cấp mới giấy phép", "10 ngày làm việc"), ("Sửa đổi, bổ sung giấy phép", "07 ngày làm việc"),
        ("Cấp lại giấy phép", "03 ngày làm việc"),
    }  # fmt: skip  # "Gia hạn giấy phép: chậm nhất 30 ngày trước …" is a lead time, not what renewal takes
    for pair in item.pairs:
        assert pair.right in pair.source.text
    assert item.stem.endswith(":") and check_item(item).passed
    # a guide's "Gia hạn: chậm nhất 30 ngày trước …", "Thu hồi: khi …, trong thời hạn 05 ngày …" pair no procedure
    assert matching(facts_of(FactKind.DURATION, GUIDE.doc_id), random.Random(0)) is None


def test_generation_is_deterministic_and_every_item_passes() -> None:
    answers = all_facts()
    first = generate_items(answers, answers, seed=7, topic="văn bản")
    again = generate_items(answers, answers, seed=7, topic="văn bản")
    assert [i.item_id for i in first] == [i.item_id for i in again] and len(first) >= 8
    assert {i.kind for i in first} == set(ItemKind)
    assert all(r.passed for r in check_bank(first)), [r.problems for r in check_bank(first) if not r.passed]
    assert all(i.topic == "văn bản" and not i.flags for i in first)


def test_items_of_a_document_not_current_are_flagged() -> None:
    old = dataclasses.replace(GUIDE, status=Validity.EXPIRED, expiry_date=dt.date(2025, 1, 1))
    answers = [f for c in guide_chunks(old) for f in extract_facts(c, old)]
    items = generate_items(answers, answers + all_facts(), seed=1, not_current=frozenset({old.doc_id}))
    assert items and all(i.flags == (NOT_CURRENT,) for i in items)


def test_unasked_sentence_gives_no_stem() -> None:
    fact = next(f for f in all_facts() if f.value == "văn thư cơ quan")
    twice = dataclasses.replace(fact, sentence=f"{fact.sentence}; văn thư cơ quan ghi sổ")
    assert question_stem(twice) is None  # asking it would give the answer away


def _planted(item: QuizItem, **changes: object) -> QuizItem:
    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]


def test_checker_catches_planted_bad_items() -> None:
    renewal = next(f for f in all_facts() if f.value == "30 ngày")
    good = multiple_choice(renewal, all_facts(), random.Random(1), Difficulty.RECALL, frozenset())
    assert good is not None
    wrong = [n for n in range(4) if n != good.correct[0]][0]
    options = list(good.options)
    options[wrong] = "trước ngày chứng thư hết hạn"  # stated in the clause: a second right answer
    assert any(
        p.startswith("distractor_in_source") for p in check_item(_planted(good, options=tuple(options))).problems
    )
    slot = check_item(_planted(good, stem="Theo {path}, cơ quan gửi đề nghị ___ bao lâu?")).problems
    assert {p.split(":")[0] for p in slot} >= {"unfilled_slot", "template_residue"}
    assert "double_space" in {
        p.split(":")[0] for p in check_item(_planted(good, stem="Theo  khoản 2, bao lâu?")).problems
    }
    assert "final_punctuation" in {p.split(":")[0] for p in check_item(_planted(good, stem=good.stem[:-1])).problems}
    assert "no_diacritics" in {
        p.split(":")[0] for p in check_item(_planted(good, stem="Theo khoan 2, bao lau?")).problems
    }
    same = _planted(good, item_id="copy")
    results = check_bank([good, same])
    assert results[0].passed and {p.split(":")[0] for p in results[1].problems} == {
        "duplicate_item",
        "near_duplicate_stem",
    }


@pytest.mark.parametrize("value", ["50.000 đồng", "100%"])
def test_amounts_keep_money_with_money(value: str) -> None:
    doc = dataclasses.replace(FEES, doc_id=f"fee-{value}")
    chunk = article_chunk(doc, f"Điều 4. Mức thu\nMức thu là {value} cho mỗi hồ sơ.", "4")
    [fact] = [f for f in extract_facts(chunk, doc) if f.kind is FactKind.AMOUNT]
    picked = pick_distractors(fact, all_facts(), 3, random.Random(0))
    assert all(p.value.endswith("%") == value.endswith("%") for p in picked)
