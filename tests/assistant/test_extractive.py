import dataclasses
import re
from pathlib import Path

import pytest
from support import make_passage, make_query

from assistant.answer.extractive import ExtractiveComposer, evidence_score, split_units
from assistant.answer.prompts import DEFAULT_PROMPTS_DIR, PromptLibrary
from assistant.types import Validity

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
    return ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR), abstain_threshold=0.3)


def test_units_skip_the_heading_and_keep_list_items() -> None:
    units = split_units(0, SIGNERS)
    assert [u.text for u in units][0].startswith("1. Văn bản đi")
    assert units[1].is_lead_in and units[2].text.startswith("a) Chủ tịch")


def test_answer_quotes_the_best_clause_and_cites_it(composer: ExtractiveComposer) -> None:
    passages = [make_passage("qd-30", TIME_LIMIT, number="30/2025/QĐ-UBND"), make_passage("qd-9", SIGNERS, rank=2)]
    answer = composer.compose(make_query("Văn bản khẩn phải được xử lý trong bao lâu?"), passages)
    assert not answer.abstained
    assert "2 giờ làm việc" in answer.text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}  # every marker resolves, every citation is used
    assert answer.citations[0].path == "khoản 2 Điều 2"
    assert answer.citations[0].chunk_id == "qd-30:dieu-2"


def test_a_lead_in_brings_its_list(composer: ExtractiveComposer) -> None:
    answer = composer.compose(make_query("Người ký văn bản đi gồm các chức danh nào?"), [make_passage("qd", SIGNERS)])
    assert "a) Chủ tịch Ủy ban nhân dân tỉnh" in answer.text and "b) Phó Chủ tịch" in answer.text


def test_abstains_without_evidence(composer: ExtractiveComposer) -> None:
    answer = composer.compose(make_query("Giá vé máy bay đi Hà Nội là bao nhiêu?"), [make_passage("qd", TIME_LIMIT,
                              dense=0.74)])  # fmt: skip
    assert answer.abstained and answer.citations == ()
    assert "Không tìm thấy căn cứ" in answer.text


def test_abstains_with_no_passages(composer: ExtractiveComposer) -> None:
    assert composer.compose(make_query("bất kỳ"), []).abstained


def test_superseded_source_carries_a_warning(composer: ExtractiveComposer) -> None:
    old = make_passage("qd-12", TIME_LIMIT, number="12/2024/QĐ-UBND", status=Validity.EXPIRED,
                       superseded_by=("30/2025/QĐ-UBND",))  # fmt: skip
    answer = composer.compose(make_query("Văn bản khẩn phải được xử lý trong bao lâu?"), [old])
    assert "đã được thay thế/bãi bỏ bởi 30/2025/QĐ-UBND" in answer.text
    assert answer.citations[0].warning and not answer.citations[0].current


def test_english_question_gets_english_framing(composer: ExtractiveComposer) -> None:
    answer = composer.compose(make_query("How fast must urgent documents be handled?", "en"),
                              [make_passage("qd", TIME_LIMIT, dense=0.9)])  # fmt: skip
    assert answer.language == "en" and answer.text.startswith("According to")
    assert "[1]" in answer.text


def test_evidence_blends_lexical_and_dense() -> None:
    strong = evidence_score(make_query("văn bản khẩn xử lý"), [make_passage("a", TIME_LIMIT, dense=0.9)])
    weak = evidence_score(make_query("văn bản khẩn xử lý"), [make_passage("a", TIME_LIMIT, dense=0.7)])
    unrelated = evidence_score(make_query("giá vé máy bay"), [make_passage("a", TIME_LIMIT, dense=0.7)])
    assert strong > weak > unrelated == 0.0


def test_prompt_files_exist_for_both_languages() -> None:
    for lang in ("vi", "en"):
        assert (Path(DEFAULT_PROMPTS_DIR) / f"answer.{lang}.yaml").exists()


def lead(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("- "))


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
    answer = composer.compose(make_query("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?"), [guide, fees])
    assert "75.000 đồng" in lead(answer.text) and lead(answer.text).endswith("[1]")
    assert answer.citations[0].doc_id == "nq-12"  # numbered in the order the answer reads


def test_the_best_sentence_leads_even_when_it_comes_later_in_the_clause(composer: ExtractiveComposer) -> None:
    text = ("Điều 9. Báo cáo kết quả thanh tra\n"
            "1. Thành viên Đoàn thanh tra báo cáo kết quả cho Trưởng đoàn chậm nhất 05 ngày làm việc.\n"
            "2. Trưởng đoàn thanh tra trình báo cáo kết quả thanh tra trong thời hạn không quá 20 ngày.")  # fmt: skip
    question = "Trưởng đoàn thanh tra phải trình báo cáo kết quả thanh tra trong thời hạn bao lâu?"
    answer = composer.compose(make_query(question), [make_passage("qt", text)])
    assert "20 ngày" in lead(answer.text)


def test_amending_wording_leads_over_the_amended_text(composer: ExtractiveComposer) -> None:
    old = make_passage("qd-22", "Điều 6. Mật khẩu\n1. Mật khẩu phải thay đổi ít nhất 90 ngày một lần.",
                       number="22/2023/QĐ-UBND", amended_by=("41/2025/QĐ-UBND",))  # fmt: skip
    new = make_passage("qd-41", "Điều 1. Sửa đổi khoản 1 Điều 6: \"Mật khẩu phải thay đổi ít nhất 60 ngày một lần.\"",
                       number="41/2025/QĐ-UBND", rank=2, article="1")  # fmt: skip
    answer = composer.compose(make_query("Mật khẩu phải thay đổi bao lâu một lần?"), [old, new])
    assert "60 ngày" in lead(answer.text) and "90 ngày" in answer.text


def test_words_of_the_title_do_not_pick_the_sentence(composer: ExtractiveComposer) -> None:
    plan = make_passage("kh-45", "II. ĐỐI TƯỢNG KIỂM TRA\n"
                        "Sở Xây dựng ban hành Kế hoạch kiểm tra công trường xây dựng năm 2025 như sau:\n"
                        "1. Số lượng: kiểm tra 14 công trình đang thi công trên địa bàn tỉnh.")  # fmt: skip
    plan = dataclasses.replace(
        plan, document=dataclasses.replace(plan.document, title="Kế hoạch kiểm tra công trường xây dựng năm 2025")
    )
    question = "Kế hoạch kiểm tra công trường năm 2025 kiểm tra bao nhiêu công trình?"
    answer = composer.compose(make_query(question), [plan])
    assert "14 công trình" in lead(answer.text)


def test_a_follow_up_is_answered_by_its_own_words(composer: ExtractiveComposer) -> None:
    guide = make_passage("hd-27", "IV. THỜI HẠN VÀ LỆ PHÍ\n"
                         "1. Thời hạn giải quyết: không quá 12 ngày làm việc kể từ ngày nhận đủ hồ sơ.\n"
                         "2. Lệ phí cấp giấy phép xây dựng: 75.000 đồng/giấy phép.")  # fmt: skip
    first = composer.compose(make_query("Thời hạn giải quyết cấp giấy phép xây dựng là bao lâu?"), [guide])
    follow_up = composer.compose(
        make_query("Thời hạn giải quyết cấp giấy phép xây dựng là bao lâu? còn lệ phí thì sao?"), [guide]
    )
    assert "12 ngày" in lead(first.text) and "75.000 đồng" in lead(follow_up.text)


def test_english_questions_have_their_own_threshold() -> None:
    """English evidence is the dense score alone, so it is held to its own (lower) calibrated threshold."""
    composer = ExtractiveComposer(
        PromptLibrary(DEFAULT_PROMPTS_DIR), abstain_threshold=0.54, abstain_threshold_english=0.24
    )
    question = make_query("How fast must urgent documents be handled?", "en")
    fair = composer.compose(question, [make_passage("qd", TIME_LIMIT, dense=0.82)])  # evidence ≈ 0.43
    weak = composer.compose(question, [make_passage("qd", TIME_LIMIT, dense=0.78)])  # evidence ≈ 0.14
    assert not fair.abstained and 0.24 < fair.evidence < 0.54
    assert weak.abstained
    assert composer.threshold_for("vi") == 0.54 and composer.threshold_for("en") == 0.24
    assert ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR), abstain_threshold=0.5).threshold_for("en") == 0.5


def test_a_line_repeating_the_title_counts_as_a_heading() -> None:
    from assistant.answer.extractive import _is_heading
    from assistant.text.tokenize import content_tokens

    plan = set(content_tokens("Kế hoạch kiểm tra công tác quản lý chất lượng tại các công trường xây dựng năm 2025"))
    assert _is_heading("Kiểm tra công tác quản lý chất lượng tại các công trường xây dựng năm 2025 (nội bộ)", plan)
    assert _is_heading("II. ĐỐI TƯỢNG, PHẠM VI KIỂM TRA", plan)
    assert not _is_heading("1. Số lượng: kiểm tra 14 công trình đang thi công trên địa bàn tỉnh.", plan)
