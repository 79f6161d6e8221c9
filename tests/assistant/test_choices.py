"""A multiple-choice question pasted with its options (assistant.text.choices) and the ranker's reading of them."""

import numpy as np
from support import make_passage, make_query

from assistant.ranking.features import PASSAGE_FEATURES, passage_features
from assistant.text.choices import listed_options

QUESTION = (
    "Khi đơn phương chấm dứt hợp đồng làm việc, người đứng đầu đơn vị phải báo trước ít nhất bao nhiêu ngày?\n"
    "A. 30 ngày đối với tất cả hợp đồng\n"
    "B. 45 ngày đối với hợp đồng làm việc không xác định thời hạn"
)
NOTICE = (
    "Điều 29. Đơn phương chấm dứt hợp đồng làm việc\n"
    "Người đứng đầu đơn vị phải báo trước ít nhất 45 ngày đối với hợp đồng làm việc không xác định thời hạn."
)
OTHER = "Điều 28. Chấm dứt hợp đồng làm việc\nHợp đồng làm việc chấm dứt khi hết thời hạn, báo trước 30 ngày."


def test_options_are_the_lettered_lines_after_the_question() -> None:
    assert listed_options(QUESTION) == (
        ("30", "ngay", "doi", "tat", "ca", "hop", "dong"),
        ("45", "ngay", "doi", "hop", "dong", "lam", "viec", "xac", "dinh", "thoi", "han"),
    )
    assert make_query(QUESTION).options == listed_options(QUESTION)
    # a list of clauses, a single lettered line or letters out of order are no options
    assert listed_options("Hồ sơ gồm:\na) Đơn đề nghị\nb) Bản sao") == ()
    assert listed_options("Câu hỏi?\nA. Chỉ một phương án") == ()
    assert listed_options("Câu hỏi?\nB. một\nC. hai") == ()
    assert make_query("Văn bản khẩn xử lý trong bao lâu?").options == ()


def test_the_passage_holding_one_options_own_words_leads_the_others() -> None:
    features = passage_features(make_query(QUESTION), [make_passage("lvc", OTHER), make_passage("lvc", NOTICE)])
    best = features[:, PASSAGE_FEATURES.index("option_best")]
    margin = features[:, PASSAGE_FEATURES.index("option_margin")]
    assert best[1] == 1.0 and margin[1] > 0.5  # every own word of option B ("45", "làm việc" …), none of A's
    assert best[0] < best[1] and margin[0] < margin[1]
    plain = passage_features(make_query("Phải báo trước bao nhiêu ngày?"), [make_passage("lvc", NOTICE)])
    assert not np.any(plain[:, [PASSAGE_FEATURES.index("option_best"), PASSAGE_FEATURES.index("option_margin")]])
