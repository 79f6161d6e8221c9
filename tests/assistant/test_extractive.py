import dataclasses
import re
from pathlib import Path

import pytest
from support import ANSWERABLE, UNANSWERABLE, make_passage, make_query

from assistant.answer.evidence import fallback_evidence
from assistant.answer.extractive import (
    ExtractiveComposer,
    _without_rewritten,
    bearing_passages,
    split_units,
    strip_marker,
)
from assistant.answer.prompts import DEFAULT_PROMPTS_DIR, PromptLibrary
from assistant.settings import ComposerWeights
from assistant.text.answer_type import part_asking
from assistant.text.query import QueryNormalizer
from assistant.types import AnswerType, AskedPart, Evidence, Passage, Validity

TIME_LIMIT = """Điều 2. Thời hạn xử lý văn bản đến
1. Văn thư chuyển văn bản đến cho lãnh đạo trong ngày làm việc.
2. Văn bản khẩn phải được xử lý trong vòng 2 giờ làm việc kể từ khi nhận."""
SIGNERS = """Điều 3. Ký số văn bản đi
1. Văn bản đi phải được ký số bằng chữ ký số chuyên dùng.
2. Người ký gồm các chức danh sau:
a) Chủ tịch Ủy ban nhân dân tỉnh;
b) Phó Chủ tịch được phân công."""


@pytest.fixture
def composer() -> ExtractiveComposer:
    return ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR))


def test_units_skip_the_heading_and_keep_list_items() -> None:
    units = split_units(0, SIGNERS)
    assert [u.text for u in units][0].startswith("1. Văn bản đi")
    assert units[1].is_lead_in and units[2].text.startswith("a) Chủ tịch")


def test_answer_leads_with_the_fact_and_cites_it(composer: ExtractiveComposer) -> None:
    passages = [make_passage("qd-30", TIME_LIMIT, number="30/2025/QĐ-UBND"), make_passage("qd-9", SIGNERS, rank=2)]
    answer = composer.compose(make_query("Văn bản khẩn phải được xử lý trong bao lâu?"), passages, ANSWERABLE)
    assert not answer.abstained
    first = answer.text.splitlines()[0]
    # The asked time limit first, then the clause it comes from without its list number, then its marker.
    assert first == (
        "Trong vòng 2 giờ làm việc: Văn bản khẩn phải được xử lý trong vòng 2 giờ làm việc kể từ khi nhận. [1]"
    )
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}  # every marker resolves, every citation is used
    assert answer.citations[0].path == "khoản 2 Điều 2"
    assert answer.citations[0].chunk_id == "qd-30:dieu-2"
    assert all(c.doc_id == "qd-30" for c in answer.citations)  # the signing rules do not bear on the question


PARTS = ("hồ sơ", "lệ phí", "thời hạn", "nơi nộp", "mẫu đơn", "kết quả")


def test_at_most_two_supports_follow_the_lead(composer: ExtractiveComposer) -> None:
    text = "Điều 4. Giấy phép\n" + "\n".join(f"{i}. Về {part}: xem phụ lục {i}." for i, part in enumerate(PARTS, 1))
    question = make_query(f"Cấp giấy phép thì {', '.join(PARTS)} thế nào?")
    answer = composer.compose(question, [make_passage("a", text)], ANSWERABLE)
    assert len(answer.text.splitlines()) == 3


def test_a_support_adds_a_part_of_the_question_the_lead_leaves_out(composer: ExtractiveComposer) -> None:
    text = ("Mục III. Chỉ tiêu\n1. Đến năm 2030, kinh phí chi cho nghiên cứu và phát triển đạt 2% GDP.\n"
            "2. Đến năm 2030, quy mô kinh tế số đạt tối thiểu 30% GDP.\n"
            "3. Kinh phí nghiên cứu do ngân sách nhà nước bảo đảm ít nhất 40%.")  # fmt: skip
    asked = "Đến năm 2030 kinh phí chi cho nghiên cứu và phát triển đạt bao nhiêu và ngân sách bảo đảm bao nhiêu?"
    answer = composer.compose(make_query(asked), [make_passage("nq", text)], ANSWERABLE)
    lines = answer.text.splitlines()
    assert "2% GDP" in lines[0] and "30% GDP" not in answer.text  # the second target repeats the lead's words
    assert lines[1] == "- Kinh phí nghiên cứu do ngân sách nhà nước bảo đảm ít nhất 40%. [1]"  # no "3. "


def test_a_lead_in_brings_its_list(composer: ExtractiveComposer) -> None:
    question = make_query("Người ký văn bản đi gồm các chức danh nào?")
    answer = composer.compose(question, [make_passage("qd", SIGNERS)], ANSWERABLE)
    assert "a) Chủ tịch Ủy ban nhân dân tỉnh" in answer.text and "b) Phó Chủ tịch" in answer.text


def test_no_basis_names_the_nearest_documents_only_as_possibly_related(composer: ExtractiveComposer) -> None:
    passages = [make_passage("qd", TIME_LIMIT, number="30/2025/QĐ-UBND"), make_passage("kh", SIGNERS, rank=2)]
    answer = composer.compose(make_query("Giá vé máy bay đi Hà Nội là bao nhiêu?"), passages, UNANSWERABLE)
    assert answer.abstained and answer.citations == ()
    lines = answer.text.splitlines()
    assert lines[0].startswith("Không tìm thấy căn cứ")
    assert lines[1].startswith("Có thể liên quan") and lines[2] == "- 30/2025/QĐ-UBND — Văn bản qd"
    assert "[1]" not in answer.text and answer.evidence == UNANSWERABLE.score


def test_abstains_with_no_passages(composer: ExtractiveComposer) -> None:
    answer = composer.compose(make_query("bất kỳ"), [], ANSWERABLE)
    assert answer.abstained and "Có thể liên quan" not in answer.text


def test_superseded_source_carries_a_warning(composer: ExtractiveComposer) -> None:
    old = make_passage("qd-12", TIME_LIMIT, number="12/2024/QĐ-UBND", status=Validity.EXPIRED,
                       superseded_by=("30/2025/QĐ-UBND",))  # fmt: skip
    answer = composer.compose(make_query("Văn bản khẩn phải được xử lý trong bao lâu?"), [old], ANSWERABLE)
    assert "đã được thay thế/bãi bỏ bởi 30/2025/QĐ-UBND" in answer.text
    assert answer.citations[0].warning and not answer.citations[0].current


def test_english_question_quotes_the_vietnamese_and_states_the_fact(composer: ExtractiveComposer) -> None:
    question = make_query("How fast must urgent documents be handled? How long?", "en")
    answer = composer.compose(question, [make_passage("qd", TIME_LIMIT, dense=0.9)], ANSWERABLE)
    first = answer.text.splitlines()[0]
    assert answer.language == "en" and "the source (in Vietnamese) says: “" in first
    assert first.startswith("trong vòng 2 giờ làm việc") and first.endswith("[1]")


def test_an_english_source_is_quoted_as_it_stands(composer: ExtractiveComposer) -> None:
    briefing = make_passage("en-brief", "I. RESULTS\nBy 2025 the province had met 22 of the 30 targets of the plan.")
    briefing = dataclasses.replace(briefing, document=dataclasses.replace(briefing.document, language="en"))
    question = make_query("How many targets had the province met by 2025?", "en")
    first = composer.compose(question, [briefing], ANSWERABLE).text.splitlines()[0]
    assert first == "22 of the 30 targets: By 2025 the province had met 22 of the 30 targets of the plan. [1]"


def test_prompt_files_exist_for_both_languages() -> None:
    for lang in ("vi", "en"):
        assert (Path(DEFAULT_PROMPTS_DIR) / f"answer.{lang}.yaml").exists()


def lead(text: str) -> str:
    return text.splitlines()[0]


def test_an_amount_question_leads_with_the_amount_not_the_heading_or_a_reference(
    composer: ExtractiveComposer,
) -> None:
    guide = make_passage(
        "hd-27",
        "IV. NƠI NỘP VÀ LỆ PHÍ\nHỒ SƠ VÀ LỆ PHÍ CẤP GIẤY PHÉP XÂY DỰNG NHÀ Ở RIÊNG LẺ\n"
        "3. Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ thu theo Nghị quyết số 12/2023/NQ-HĐND.",
    )
    fees = make_passage("nq-12", "Điều 3. Mức thu\n1. Cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép.\n"
                        "2. Cấp giấy phép xây dựng công trình khác: 150.000 đồng/giấy phép.", rank=2)  # fmt: skip
    question = make_query("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?")
    answer = composer.compose(question, [guide, fees], ANSWERABLE)
    assert lead(answer.text).startswith("75.000 đồng/giấy phép: Cấp giấy phép xây dựng nhà ở riêng lẻ")
    assert lead(answer.text).endswith("[1]")
    assert answer.citations[0].doc_id == "nq-12"  # numbered in the order the answer reads


def test_the_best_sentence_leads_even_when_it_comes_later_in_the_clause(composer: ExtractiveComposer) -> None:
    text = ("Điều 9. Báo cáo kết quả thanh tra\n"
            "1. Thành viên Đoàn thanh tra báo cáo kết quả cho Trưởng đoàn chậm nhất 05 ngày làm việc.\n"
            "2. Trưởng đoàn thanh tra trình báo cáo kết quả thanh tra trong thời hạn không quá 20 ngày.")  # fmt: skip
    question = "Trưởng đoàn thanh tra phải trình báo cáo kết quả thanh tra trong thời hạn bao lâu?"
    answer = composer.compose(make_query(question), [make_passage("qt", text)], ANSWERABLE)
    assert "20 ngày" in lead(answer.text)


def test_amending_wording_leads_over_the_amended_text(composer: ExtractiveComposer) -> None:
    old = make_passage("qd-22", "Điều 6. Mật khẩu\n1. Mật khẩu phải thay đổi ít nhất 90 ngày một lần.",
                       number="22/2023/QĐ-UBND", amended_by=("41/2025/QĐ-UBND",))  # fmt: skip
    new = make_passage("qd-41", "Điều 1. Sửa đổi khoản 1 Điều 6: \"Mật khẩu phải thay đổi ít nhất 60 ngày một lần.\"",
                       number="41/2025/QĐ-UBND", rank=2, article="1")  # fmt: skip
    answer = composer.compose(make_query("Mật khẩu phải thay đổi bao lâu một lần?"), [old, new], ANSWERABLE)
    assert "60 ngày" in lead(answer.text) and "90 ngày" in answer.text


def test_words_of_the_title_do_not_pick_the_sentence(composer: ExtractiveComposer) -> None:
    plan = make_passage("kh-45", "II. ĐỐI TƯỢNG KIỂM TRA\n"
                        "Sở Xây dựng ban hành Kế hoạch kiểm tra công trường xây dựng năm 2025 như sau:\n"
                        "1. Số lượng: kiểm tra 14 công trình đang thi công trên địa bàn tỉnh.")  # fmt: skip
    plan = dataclasses.replace(
        plan, document=dataclasses.replace(plan.document, title="Kế hoạch kiểm tra công trường xây dựng năm 2025")
    )
    question = "Kế hoạch kiểm tra công trường năm 2025 kiểm tra bao nhiêu công trình?"
    answer = composer.compose(make_query(question), [plan], ANSWERABLE)
    assert lead(answer.text).startswith("14 công trình: Số lượng: kiểm tra 14 công trình")


def test_a_follow_up_is_answered_by_its_own_words(composer: ExtractiveComposer) -> None:
    guide = make_passage("hd-27", "IV. THỜI HẠN VÀ LỆ PHÍ\n"
                         "1. Thời hạn giải quyết: không quá 12 ngày làm việc kể từ ngày nhận đủ hồ sơ.\n"
                         "2. Lệ phí cấp giấy phép xây dựng: 75.000 đồng/giấy phép.")  # fmt: skip
    earlier = "Thời hạn giải quyết cấp giấy phép xây dựng là bao lâu?"
    first = composer.compose(make_query(earlier), [guide], ANSWERABLE)
    follow_up = composer.compose(make_query("Còn lệ phí thì sao?", history=(earlier,)), [guide], ANSWERABLE)
    assert "12 ngày" in lead(first.text) and "75.000 đồng" in lead(follow_up.text)
    assert "12 ngày" not in follow_up.text  # the earlier question's answer is its context, not what it asks now


def test_other_documents_support_only_when_ranked_close_to_the_best() -> None:
    best = make_passage("a", TIME_LIMIT)
    same_doc = dataclasses.replace(make_passage("a", SIGNERS, rank=2), scores={"ranker": 0.0})
    close = dataclasses.replace(make_passage("b", SIGNERS, rank=3), scores={"ranker": 1.5})
    far = dataclasses.replace(make_passage("c", SIGNERS, rank=4), scores={"ranker": -1.0})
    best = dataclasses.replace(best, scores={"ranker": 2.0})
    assert bearing_passages([best, same_doc, close, far], 4, closeness=0.5) == [0, 1, 2]
    assert bearing_passages([best, same_doc, close, far], 2, closeness=0.5) == [0, 1]


def test_the_composer_follows_the_evidence(composer: ExtractiveComposer) -> None:
    passages = [make_passage("qd", TIME_LIMIT)]
    question = make_query("Văn bản khẩn phải được xử lý trong bao lâu?")
    assert not composer.compose(question, passages, Evidence(0.42, 0.4)).abstained
    assert composer.compose(question, passages, Evidence(0.38, 0.4)).abstained


def test_fallback_evidence_blends_lexical_and_dense() -> None:
    weights = ComposerWeights()
    query = make_query("văn bản khẩn xử lý")
    strong = fallback_evidence(query, [make_passage("a", TIME_LIMIT, dense=0.9)], weights)
    weak = fallback_evidence(query, [make_passage("a", TIME_LIMIT, dense=0.7)], weights)
    unrelated = fallback_evidence(make_query("giá vé máy bay"), [make_passage("a", TIME_LIMIT, dense=0.7)], weights)
    assert strong > weak > unrelated == 0.0


def test_list_markers_are_stripped_from_the_lead() -> None:
    assert strip_marker("a) Chủ tịch Ủy ban nhân dân tỉnh;") == "Chủ tịch Ủy ban nhân dân tỉnh;"
    assert strip_marker("12. Thời hạn giải quyết") == "Thời hạn giải quyết"
    assert strip_marker("Điều 12. Thời hạn") == "Điều 12. Thời hạn"


def test_a_line_repeating_the_title_counts_as_a_heading() -> None:
    from assistant.answer.extractive import _is_heading
    from assistant.text.tokenize import content_tokens

    plan = set(content_tokens("Kế hoạch kiểm tra công tác quản lý chất lượng tại các công trường xây dựng năm 2025"))
    assert _is_heading("Kiểm tra công tác quản lý chất lượng tại các công trường xây dựng năm 2025 (nội bộ)", plan)
    assert _is_heading("II. ĐỐI TƯỢNG, PHẠM VI KIỂM TRA", plan)
    assert not _is_heading("1. Số lượng: kiểm tra 14 công trình đang thi công trên địa bàn tỉnh.", plan)


def test_an_asked_fact_stated_only_lower_down_is_still_quoted(composer: ExtractiveComposer) -> None:
    guide = make_passage("hd-27", "IV. LỆ PHÍ\n3. Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ thu theo Nghị quyết số "
                         "12/2023/NQ-HĐND.")  # fmt: skip
    guide = dataclasses.replace(guide, scores={"ranker": 3.0})
    other = dataclasses.replace(make_passage("hd-28", SIGNERS, rank=2), scores={"ranker": 2.9})
    fees = make_passage(
        "nq-12", "Điều 3. Mức thu\n1. Cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép.", rank=3
    )
    fees = dataclasses.replace(fees, scores={"ranker": 0.5})  # far below the best: not a support by rank alone
    question = make_query("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?")
    answer = composer.compose(question, [guide, other, fees], ANSWERABLE)
    assert lead(answer.text).startswith("75.000 đồng/giấy phép:")
    assert "hd-28" not in {c.doc_id for c in answer.citations}


def test_an_abbreviation_says_what_it_stands_for(composer: ExtractiveComposer) -> None:
    text = ("Mục IV. Tổ chức thực hiện\n1. UBND các xã, phường xây dựng kế hoạch của mình trước ngày 31/01/2026.\n"
            "2. Ủy ban nhân dân tỉnh ban hành kế hoạch này để thực hiện Nghị quyết 57-NQ/TW.")  # fmt: skip
    normalizer = QueryNormalizer(restore_diacritics=False)  # with the abbreviation table, as the service runs
    normalizer.load()
    question = normalizer.normalize("UBND xã, phường xây dựng kế hoạch trước ngày nào?")
    assert {"uy", "ban", "nhan", "dan"} <= set(question.terms)
    answer = composer.compose(question, [make_passage("kh", text)], ANSWERABLE)
    assert "31/01/2026" in lead(answer.text) and len(answer.text.splitlines()) == 1


OLD_ARTICLE_6 = (
    "Điều 6. Quản lý tài khoản và mật khẩu\n"
    "1. Mật khẩu truy cập hệ thống thông tin phải có độ dài tối thiểu 08 ký tự; thay đổi ít nhất 90 ngày một lần.\n"
    "2. Tài khoản bị khóa sau 05 lần đăng nhập sai liên tiếp."
)
AMENDING = (
    "Điều 1. Sửa đổi khoản 1 Điều 6\n"
    "Sửa đổi khoản 1 Điều 6 như sau: Mật khẩu truy cập hệ thống thông tin phải có độ dài tối thiểu 12 ký tự; "
    "thay đổi ít nhất 60 ngày một lần."
)


@pytest.mark.parametrize("old_first", [True, False])
def test_a_clause_an_amendment_rewrites_is_never_quoted_beside_or_before_it(
    composer: ExtractiveComposer, old_first: bool
) -> None:
    old = make_passage("qd-2023", OLD_ARTICLE_6, article="6", number="22/2023/QĐ-UBND",
                       status=Validity.PARTLY_EXPIRED, amended_by=("41/2025/QĐ-UBND",))  # fmt: skip
    new = make_passage("qd-2025", AMENDING, article="1", number="41/2025/QĐ-UBND")
    passages = [old, new] if old_first else [new, old]
    question = make_query("Mật khẩu truy cập hệ thống thông tin phải dài tối thiểu bao nhiêu ký tự?")
    answer = composer.compose(question, passages, ANSWERABLE)
    assert "12 ký tự" in answer.text.splitlines()[0]  # the text in force leads
    assert "08 ký tự" not in answer.text  # the rewritten clause is dead: not quoted at all
    assert answer.citations[0].doc_id == "qd-2025"
    # A clause the amendment leaves alone is still quoted from the old text.
    lockout = composer.compose(make_query("Tài khoản bị khóa sau mấy lần đăng nhập sai?"), passages, ANSWERABLE)
    assert "05 lần" in lockout.text and lockout.citations[0].doc_id == "qd-2023"


def test_a_rewritten_lead_gives_the_lead_to_the_clause_rewriting_it() -> None:
    old = make_passage("qd-2023", OLD_ARTICLE_6, article="6", number="22/2023/QĐ-UBND",
                       status=Validity.PARTLY_EXPIRED, amended_by=("41/2025/QĐ-UBND",))  # fmt: skip
    new = make_passage("qd-2025", AMENDING, article="1", number="41/2025/QĐ-UBND")
    password, lockout = split_units(0, old.chunk.text)
    rewriting = split_units(1, new.chunk.text)[0]
    groups = [[password], [lockout], [rewriting]]  # the old khoản 1 leads, the amendment supports
    assert _without_rewritten([old, new], groups) == [[rewriting], [lockout]]
    assert _without_rewritten([old, new], [[lockout], [rewriting]]) == [[lockout], [rewriting]]  # khoản 2 stands


FEES = """Điều 3. Mức thu lệ phí
1. Cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép.
2. Cấp giấy phép xây dựng các công trình khác: 150.000 đồng/giấy phép."""
PROCEDURE = """Điều 5. Thời hạn giải quyết
1. Cấp giấy phép xây dựng mới: không quá 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
2. Kể từ ngày 01 tháng 7 năm 2025, hồ sơ nộp tại Trung tâm Phục vụ hành chính công."""
TWO_THINGS = "Cấp giấy phép xây dựng các công trình khác mất bao lâu và lệ phí bao nhiêu?"


def _duration_part(passages: list[Passage]) -> AskedPart:
    question = part_asking(TWO_THINGS, AnswerType.DURATION)
    return AskedPart(AnswerType.DURATION, make_query(question), tuple(passages))


def test_each_figure_a_question_asks_gets_its_own_cited_clause(composer: ExtractiveComposer) -> None:
    query = make_query(TWO_THINGS)
    assert query.answer_type is AnswerType.MONEY and query.also_asked == (AnswerType.DURATION,)
    fees = [make_passage("nq-12", FEES, number="12/2023/NQ-HĐND", article="3")]
    alone = composer.compose(query, fees, ANSWERABLE)
    assert "ngày làm việc" not in alone.text  # the fees resolution says nothing of the time limit

    part = _duration_part([make_passage("qd-tthc", PROCEDURE, article="5")])
    answer = composer.compose(query, fees, ANSWERABLE, [part])
    lines = answer.text.splitlines()
    assert lines[0].startswith("150.000 đồng/giấy phép") and lines[0].endswith("[1]")
    # The time limit, from the passage found for that part; not the date line, which states no length of time.
    assert lines[1] == "- Cấp giấy phép xây dựng mới: không quá 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ. [2]"
    assert [c.chunk_id for c in answer.citations] == ["nq-12:dieu-3", "qd-tthc:dieu-5"]


def test_a_part_the_quoted_clauses_already_answer_adds_nothing(composer: ExtractiveComposer) -> None:
    query = make_query(TWO_THINGS)
    text = "Điều 3. Giấy phép\n1. Cấp giấy phép xây dựng các công trình khác: 150.000 đồng/giấy phép, trong 15 ngày."
    both = [make_passage("qd", text, article="3")]
    other = make_passage("qd-tthc", PROCEDURE, article="5")
    with_part = composer.compose(query, both, ANSWERABLE, [_duration_part([other])])
    assert with_part.text == composer.compose(query, both, ANSWERABLE).text
    assert {c.doc_id for c in with_part.citations} == {"qd"}
