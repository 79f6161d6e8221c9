"""Features of question–passage pairs, the answerability model's arithmetic and file format, the ranker's load."""

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from support import make_passage, make_query

from assistant.errors import ConfigurationError
from assistant.ranking.answerability import AnswerabilityModel
from assistant.ranking.features import (
    ANSWERABILITY_FEATURES,
    PASSAGE_FEATURES,
    answerability_features,
    passage_features,
)
from assistant.ranking.ranker import LearnedRanker
from assistant.types import Relation, RelationKind

FEES = "Điều 3. Mức thu\n1. Cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép."
DUTY = "Điều 5. Trực đêm\n1. Sở Y tế tỉnh Lạng Sơn bố trí trực đêm tại trụ sở."


def column(features: np.ndarray, name: str) -> list[float]:
    return [round(float(v), 4) for v in features[:, PASSAGE_FEATURES.index(name)]]


def with_scores(passage, **scores):  # type: ignore[no-untyped-def]
    return dataclasses.replace(passage, scores=scores)


def test_passage_features_measure_coverage_type_and_retrieval_signals() -> None:
    query = make_query("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?")
    fees = with_scores(make_passage("nq", FEES), bm25=8.0, bm25_rank=1.0, dense=0.86, dense_rank=2.0)
    duty = with_scores(make_passage("qc", DUTY, rank=2), dense=0.9, dense_rank=1.0)
    features = passage_features(query, [fees, duty])
    assert features.shape == (2, len(PASSAGE_FEATURES))
    assert column(features, "bm25_norm") == [1.0, 0.0]
    assert column(features, "in_both") == [1.0, 0.0]
    assert column(features, "dense_gap") == [0.04, 0.0]
    assert column(features, "states_type") == [1.0, 0.0]  # an amount is asked, the fee clause states one
    assert column(features, "asks_type") == [1.0, 1.0]
    cover = column(features, "cover_weighted")
    assert cover[0] > 0.7 and cover[1] == 0.0
    assert column(features, "bm25_rank_log")[1] == pytest.approx(
        math.log1p(4), abs=1e-3
    )  # absent: twice the list length


def test_entity_and_year_features_catch_another_unit_or_year() -> None:
    query = make_query("Sở Y tế tỉnh Cao Bằng bố trí trực đêm năm 2023 ở đâu?")
    features = passage_features(query, [make_passage("qc", DUTY)])
    assert column(features, "entity_share") == [0.0] and column(features, "entity_missing") == [1.0]
    assert column(features, "year_share") == [0.0]
    here = passage_features(make_query("Sở Y tế tỉnh Lạng Sơn bố trí trực đêm ở đâu?"), [make_passage("qc", DUTY)])
    assert column(here, "entity_share") == [1.0] and column(here, "year_share") == [1.0]


def test_number_and_type_features() -> None:
    passage = make_passage("nq", FEES, number="12/2023/NQ-HĐND")
    passage = dataclasses.replace(passage, document=dataclasses.replace(passage.document, doc_type="Nghị quyết"))
    named = passage_features(make_query("Nghị quyết 12/2023/NQ-HĐND quy định lệ phí bao nhiêu?"), [passage])
    other = passage_features(make_query("Quyết định 35/2025/QĐ-UBND quy định gì?"), [passage])
    assert column(named, "number_named") == [1.0] and column(named, "type_named") == [1.0]
    assert column(other, "number_other") == [1.0] and column(other, "type_named") == [-1.0]


def test_answerability_features_describe_the_ranked_list() -> None:
    query = make_query("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?")
    ranked = [
        with_scores(make_passage("nq", FEES), bm25=8.0, bm25_rank=1.0, dense=0.86, dense_rank=1.0),
        with_scores(make_passage("qc", DUTY, rank=2), bm25=1.0, bm25_rank=2.0, dense=0.8, dense_rank=2.0),
    ]
    features = passage_features(query, ranked)
    row = answerability_features(query, ranked, features, np.array([2.0, -1.0]), number_found=False)
    values = dict(zip(ANSWERABILITY_FEATURES, row[0].tolist(), strict=True))
    assert values["top_score"] == 2.0 and values["margin"] == 3.0
    assert values["lists_agree"] == 1.0 and values["top_states_type"] == 1.0
    assert values["top_dense_gap_to_second"] == pytest.approx(0.06)
    unknown = make_query("Quyết định 999/QĐ-UBND quy định gì?")
    row = answerability_features(unknown, ranked, passage_features(unknown, ranked), np.zeros(2), number_found=False)
    assert dict(zip(ANSWERABILITY_FEATURES, row[0].tolist(), strict=True))["number_unknown"] == 1.0


def test_the_version_a_rule_replaced_is_no_rival_of_it() -> None:
    """The 2025 clause passed the 2024 one it amends and took over its score: the margin is read against the next
    passage that is not an earlier version of the same rule."""
    query = make_query("Văn bản khẩn phải được xử lý trong bao lâu?")
    new = make_passage("qd-2025", FEES, number="30/2025/QĐ-UBND")
    old = make_passage("qd-2024", FEES, rank=2, number="12/2024/QĐ-UBND", amended_by=("30/2025/QĐ-UBND",))
    other = make_passage("qc", DUTY, rank=3)
    ranked = [new, old, other]
    row = answerability_features(
        query, ranked, passage_features(query, ranked), np.array([2.0, 2.0, 0.5]), number_found=False
    )
    values = dict(zip(ANSWERABILITY_FEATURES, row[0].tolist(), strict=True))
    assert values["margin"] == 1.5 and values["spread"] == pytest.approx(2.0 - (2.0 + 0.5) / 2)
    unrelated = [new, dataclasses.replace(old, document=dataclasses.replace(old.document, amended_by=())), other]
    row = answerability_features(
        query, unrelated, passage_features(query, unrelated), np.array([2.0, 2.0, 0.5]), number_found=False
    )
    assert dict(zip(ANSWERABILITY_FEATURES, row[0].tolist(), strict=True))["margin"] == 0.0  # a rival: a tie


def model(coef_top: float = 2.0) -> AnswerabilityModel:
    n = len(ANSWERABILITY_FEATURES)
    coef = [0.0] * n
    coef[ANSWERABILITY_FEATURES.index("top_score")] = coef_top
    return AnswerabilityModel(
        ANSWERABILITY_FEATURES, (0.0,) * n, (1.0,) * n, tuple(coef), -1.0, {"vi": 0.4, "en": 0.3}, {"k": 1}
    )


def test_answerability_probability_is_a_logistic_of_standardised_features(tmp_path: Path) -> None:
    row = np.zeros(len(ANSWERABILITY_FEATURES), dtype=np.float32)
    row[ANSWERABILITY_FEATURES.index("top_score")] = 1.5
    assert model().probability(row) == pytest.approx(1 / (1 + math.exp(-2.0)))
    path = tmp_path / "a.json"
    model().save(path)
    loaded = AnswerabilityModel.load(path)
    assert loaded.probability(row) == pytest.approx(model().probability(row))
    assert loaded.threshold("en") == 0.3 and loaded.threshold("fr") == 0.4


def test_a_model_trained_on_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    model().save(path)
    path.write_text(path.read_text(encoding="utf-8").replace('"top_score"', '"old_feature"'), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="train ranker"):
        AnswerabilityModel.load(path)
    with pytest.raises(ConfigurationError, match="train ranker"):
        LearnedRanker(tmp_path / "missing.txt").load()


def test_the_shipped_ranker_loads_and_scores(tmp_path: Path) -> None:
    ranker = LearnedRanker()
    ranker.load()
    query = make_query("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?")
    fees = with_scores(make_passage("nq", FEES), bm25=8.0, bm25_rank=1.0, dense=0.88, dense_rank=1.0)
    duty = with_scores(make_passage("qc", DUTY, rank=2), bm25=0.5, bm25_rank=9.0, dense=0.78, dense_rank=30.0)
    scores = ranker.score(passage_features(query, [duty, fees]))
    assert scores[1] > scores[0]  # the clause that covers the question and states the fee ranks first


def test_a_replacement_among_the_candidates_is_a_feature_of_both_sides() -> None:
    old = make_passage("qd-12", FEES, number="12/2024/QĐ-UBND", superseded_by=("30/2025/QĐ-UBND",))
    new = make_passage("qd-30", FEES, number="30/2025/QĐ-UBND", rank=2)
    new = dataclasses.replace(
        new, document=dataclasses.replace(new.document, relations=(Relation(RelationKind.REPLACES, "12/2024/QĐ-UBND"),))
    )
    other = make_passage("qc", DUTY, rank=3)
    features = passage_features(make_query("Lệ phí cấp giấy phép là bao nhiêu?"), [old, new, other])
    assert column(features, "replaced_here") == [1.0, 0.0, 0.0]
    assert column(features, "replaces_here") == [0.0, 1.0, 0.0]
    alone = passage_features(make_query("Lệ phí cấp giấy phép là bao nhiêu?"), [old, other])
    assert column(alone, "replaced_here") == [0.0, 0.0]  # the newer text is not among the candidates


def test_results_spread_over_documents() -> None:
    from assistant.retrieval.hybrid import _spread

    passages = [make_passage(doc, FEES, rank=i) for i, doc in enumerate(["a", "a", "a", "b", "a", "c"], start=1)]
    assert _spread(list(range(6)), passages, 2, keep=0) == [0, 1, 3, 5, 2, 4]
    assert _spread(list(range(6)), passages, 2, keep=3) == [0, 1, 2, 3, 5, 4]  # pinned positions stay
    assert _spread(list(range(6)), passages, 0, keep=0) == list(range(6))


def test_the_article_whose_own_heading_the_question_restates_is_told_from_its_neighbour() -> None:
    """Both articles hold every word of the question; only one is *about* what it asks (its heading)."""
    rights = make_passage("blds-312", "Điều 312. Quyền của bên cầm giữ\n1. Yêu cầu bên nhận chấm dứt việc sử dụng.")
    duties = make_passage(
        "blds-311", "Điều 311. Nghĩa vụ của bên cầm giữ\n1. Giao tài sản; báo về quyền của người thứ ba.", rank=2
    )
    query = make_query("Điều nào sau đây không đúng về quyền của bên cầm giữ?")
    features = passage_features(query, [rights, duties])
    assert column(features, "caption_in_question") == [1.0, 0.6]  # "nghĩa vụ" is not asked about
    assert column(features, "caption_bigrams_in_question") == [1.0, 0.5]
    untitled = make_passage("plan", "Phổ cập kỹ năng số cho người dân.")
    untitled = dataclasses.replace(untitled, chunk=dataclasses.replace(untitled.chunk, heading=""))
    assert column(passage_features(query, [untitled]), "caption_in_question") == [0.0]  # its first line, no words asked


def test_a_rare_word_of_the_question_the_best_passages_lack_is_seen_however_much_else_they_share() -> None:
    """"di dời" is what the question turns on: the permit passages share every other word but not that one."""
    permit = "Điều 4. Thời hạn giải quyết\nCấp giấy phép xây dựng công trình: 15 ngày làm việc."
    ranked = [
        make_passage("gpxd", permit),
        make_passage("gpxd-2", permit.replace("Điều 4", "Điều 5"), rank=2),
        make_passage("ddct", "Điều 2. Phạm vi\nDi dời công trình theo quy hoạch.", rank=3),
    ]
    asked = make_query("Thời hạn cấp giấy phép di dời công trình là bao lâu?")
    row = answerability_features(asked, ranked, passage_features(asked, ranked), np.zeros(3), number_found=False)
    values = dict(zip(ANSWERABILITY_FEATURES, row[0].tolist(), strict=True))
    assert values["top_missing_rare"] == 1.0  # "di dời" is in one candidate of three, not the best one
    assert values["top3_missing_rare"] == pytest.approx(math.log(4 / 2.5) / math.log(4 / 1.5))  # that one lacks "cấp"…
    covered = make_query("Thời hạn cấp giấy phép xây dựng công trình là bao lâu?")
    row = answerability_features(covered, ranked, passage_features(covered, ranked), np.zeros(3), number_found=False)
    values = dict(zip(ANSWERABILITY_FEATURES, row[0].tolist(), strict=True))
    assert values["top_missing_rare"] == 0.0 and values["top3_missing_rare"] == 0.0  # "lâu" is in none: not counted


def test_a_passage_dating_its_fact_to_another_year_than_the_one_asked_is_seen() -> None:
    """The shelf ranks the province for 2022; a question about 2021 finds that sentence, which answers nothing."""
    ranking = make_passage("kh", "2. Xếp hạng: Năm 2022, tỉnh Lạng Sơn xếp thứ 6/63 về Chỉ số chuyển đổi số (DTI).")
    fee = make_passage("nq", FEES, rank=2)

    def other_year(question: str, ranked: list) -> float:  # type: ignore[type-arg]
        asked = make_query(question)
        row = answerability_features(asked, ranked, passage_features(asked, ranked), np.zeros(2), number_found=False)
        return float(row[0][ANSWERABILITY_FEATURES.index("top_other_year")])

    assert other_year("Năm 2021 tỉnh Lạng Sơn xếp thứ mấy về DTI?", [ranking, fee]) == 1.0
    assert other_year("Năm 2022 tỉnh Lạng Sơn xếp thứ mấy về DTI?", [ranking, fee]) == 0.0
    assert other_year("Tỉnh Lạng Sơn xếp thứ mấy về DTI?", [ranking, fee]) == 0.0  # no year asked
    assert other_year("Năm 2025 lệ phí cấp giấy phép xây dựng là bao nhiêu?", [fee, ranking]) == 0.0  # names no year

