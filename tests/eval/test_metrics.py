"""Metrics pinned on small hand-worked examples."""

from __future__ import annotations

import math
import unicodedata

import pytest

from eval.metrics import (
    abstention_metrics,
    answer_metrics,
    bootstrap_ci,
    choice_accuracy,
    citation_metrics,
    confidence_intervals,
    dedupe,
    exact_match,
    figure_recall,
    figures,
    first_gold_rank,
    latency_summary,
    lead_line,
    metrics_by_category,
    normalize_choice,
    retrieval_metrics,
    retrieval_scores,
    token_f1,
    token_recall,
)

# Three questions whose first gold id is at rank 1, rank 2 and nowhere.
RANKED = [["g1", "x", "y"], ["x", "g2", "y"], ["x", "y", "z"]]
GOLD = [{"g1"}, {"g2"}, {"g3"}]


def test_dedupe_keeps_first_occurrence() -> None:
    assert dedupe(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_first_gold_rank_counts_after_dedupe() -> None:
    assert first_gold_rank(["x", "a", "x", "b"], {"b"}) == 3
    assert first_gold_rank(["x"], {"b"}) is None


def test_retrieval_metrics_exact_values() -> None:
    m = retrieval_metrics(RANKED, GOLD, ks=(1, 3))
    assert m["n"] == 3
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@3"] == pytest.approx(2 / 3)
    assert m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@3"] == pytest.approx(2 / 3)
    assert m["precision@1"] == pytest.approx(1 / 3)
    assert m["precision@3"] == pytest.approx((1 / 3 + 1 / 3 + 0) / 3)
    assert m["mrr@10"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3) + 0) / 3)


def test_retrieval_metric_keys_are_stable() -> None:
    keys = set(retrieval_metrics(RANKED, GOLD))
    expected = {f"{m}@{k}" for m in ("recall", "precision", "hit") for k in (1, 3, 5, 10)}
    assert keys == expected | {"mrr@10", "ndcg@10", "n"}


def test_ndcg_of_single_gold_at_rank_two() -> None:
    assert retrieval_scores(["x", "g"], {"g"})["ndcg@10"] == pytest.approx(1 / math.log2(3))


def test_multiple_gold_ids() -> None:
    s = retrieval_scores(["a", "x", "b", "y"], {"a", "b", "c"}, ks=(1, 3))
    assert s["recall@1"] == pytest.approx(1 / 3)
    assert s["recall@3"] == pytest.approx(2 / 3)
    assert s["precision@3"] == pytest.approx(2 / 3)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert s["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / ideal)


def test_precision_divides_by_k_even_for_short_lists() -> None:
    assert retrieval_scores(["g"], {"g"}, ks=(5,))["precision@5"] == pytest.approx(0.2)


def test_duplicates_count_once() -> None:
    s = retrieval_scores(["d1", "d1", "d2"], {"d2"}, ks=(1, 2))
    assert s["mrr@10"] == pytest.approx(0.5)
    assert s["recall@2"] == 1.0
    assert s["precision@2"] == pytest.approx(0.5)


def test_questions_without_gold_are_skipped() -> None:
    m = retrieval_metrics([*RANKED, ["g1"]], [*GOLD, set()], ks=(1, 3))
    assert m == retrieval_metrics(RANKED, GOLD, ks=(1, 3))


def test_missing_gold_counts_as_a_miss() -> None:
    m = retrieval_metrics([["a", "b"]], [{"MISSING:LTT-64"}], ks=(1,))
    assert m["n"] == 1
    assert m["recall@1"] == 0.0 and m["mrr@10"] == 0.0


def test_no_questions_gives_zeros() -> None:
    m = retrieval_metrics([], [], ks=(1,))
    assert m["n"] == 0 and m["recall@1"] == 0.0


def test_input_validation() -> None:
    with pytest.raises(ValueError, match="one entry per question"):
        retrieval_metrics([["a"]], [])
    with pytest.raises(ValueError, match="positive"):
        retrieval_metrics([["a"]], [{"a"}], ks=(0,))


def test_citation_metrics_micro_average() -> None:
    cited = [{"a", "b"}, set(), {"c"}, {"x"}]
    gold = [{"a"}, {"d"}, {"c", "e"}, set()]  # the last question is unanswerable: skipped
    m = citation_metrics(cited, gold)
    assert m["citation_precision"] == pytest.approx(2 / 3)  # a and c right, b wrong
    assert m["citation_recall"] == pytest.approx(2 / 4)  # a, c of a, d, c, e
    assert m["n"] == 3 and m["n_cited"] == 2


def test_abstention_metrics() -> None:
    abstained = [True, True, False, False, True, False]
    answerable = [False, True, False, True, False, True]
    m = abstention_metrics(abstained, answerable)  # TP 2, FP 1, FN 1, TN 2
    assert m["abstain_precision"] == pytest.approx(2 / 3)
    assert m["abstain_recall"] == pytest.approx(2 / 3)
    assert m["abstain_f1"] == pytest.approx(2 / 3)
    assert m["false_abstain_rate"] == pytest.approx(1 / 3)
    assert m["n_unanswerable"] == 3


def test_abstention_metrics_without_positives_are_zero() -> None:
    m = abstention_metrics([False, False], [True, True])
    assert m == {
        "abstain_precision": 0.0,
        "abstain_recall": 0.0,
        "abstain_f1": 0.0,
        "false_abstain_rate": 0.0,
        "n_unanswerable": 0,
    }


def test_token_f1_exact_value() -> None:
    # pred tokens: thời hạn là 45 ngày (5); gold: 45 ngày (2); overlap 2 → P 2/5, R 1 → F1 4/7
    assert token_f1("Thời hạn là 45 ngày.", "45 ngày") == pytest.approx(4 / 7)


def test_answer_normalisation_is_vietnamese_aware() -> None:
    nfd = unicodedata.normalize("NFD", "Hòa giải")
    assert token_f1(nfd, "hoà giải") == 1.0  # NFD vs NFC, new vs old tone placement, case
    assert exact_match("Đúng!", "đúng") == 1.0
    assert token_f1("sai", "sài") == 0.0  # diacritics are kept: different words
    assert token_f1("", "") == 1.0 and token_f1("x", "") == 0.0


def test_answer_metrics_skip_empty_gold() -> None:
    m = answer_metrics(["45 ngày", "30 ngày", "x"], ["45 ngày", "45 ngày", ""])
    assert m["token_f1"] == pytest.approx((1.0 + 0.5) / 2)
    assert m["exact_match"] == pytest.approx(0.5)
    assert m["n"] == 2


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Đúng", "Đúng"), ("dung", "Đúng"), ("SAI.", "Sai"), ("(b)", "B"), ("Đáp án C", "C"), ("d", "D"), ("E", None)],
)
def test_normalize_choice(label: str, expected: str | None) -> None:
    assert normalize_choice(label) == expected


def test_choice_accuracy() -> None:
    m = choice_accuracy(["Đúng", "b", "sai", "xyz", "A"], ["Đúng", "B", "Đúng", "A", "free text"])
    assert m == {"choice_accuracy": pytest.approx(2 / 4), "n": 4}


def test_latency_summary_uses_linear_interpolation() -> None:
    m = latency_summary([0.1, 0.2, 0.3, 0.4])
    assert m["p50_ms"] == pytest.approx(250.0)
    assert m["p95_ms"] == pytest.approx(385.0)  # 300 + 0.85 × 100
    assert m["max_ms"] == pytest.approx(400.0)
    assert m["mean_ms"] == pytest.approx(250.0)
    assert latency_summary([]) == {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0, "mean_ms": 0.0}


def test_bootstrap_ci_is_deterministic_and_brackets_the_mean() -> None:
    values = [0.0, 1.0] * 50
    lo, hi = bootstrap_ci(values, seed=0)
    assert (lo, hi) == bootstrap_ci(values, seed=0)
    assert 0.38 < lo < 0.5 < hi < 0.62  # standard error 0.05 → about ±0.098
    assert bootstrap_ci([0.7, 0.7, 0.7]) == pytest.approx((0.7, 0.7))
    assert bootstrap_ci([]) == (0.0, 0.0)
    with pytest.raises(ValueError):
        bootstrap_ci(values, alpha=1.5)


def test_confidence_intervals_keys() -> None:
    rows = [{"recall@5": 1.0}, {"recall@5": 0.0}]
    result = confidence_intervals(rows, ["recall@5", "mrr@10"], n_resamples=50)
    assert list(result) == ["recall@5_ci"]
    lo, hi = result["recall@5_ci"]
    assert 0.0 <= lo <= hi <= 1.0


def test_metrics_by_category() -> None:
    rows = [{"recall@5": 1.0}, {"recall@5": 0.0}, {"recall@5": 1.0}]
    result = metrics_by_category(rows, [["a"], ["a", "b"], []])
    assert result == {
        "(none)": {"recall@5": 1.0, "n": 1},
        "a": {"recall@5": 0.5, "n": 2},
        "b": {"recall@5": 0.0, "n": 1},
    }


def test_token_recall_rewards_carrying_the_fact_not_brevity() -> None:
    quoted = "Theo các văn bản tìm được:\n- Văn bản khẩn được xử lý trong vòng 04 giờ làm việc. [1]"
    assert token_recall(quoted, "04 giờ làm việc") == 1.0
    assert token_recall("trong ngày", "04 giờ làm việc") == 0.0
    assert token_f1(quoted, "04 giờ làm việc") < 0.5


def test_figures_ignore_markers_leading_zeros_and_thousand_separators() -> None:
    assert figures("- Lệ phí 75.000 đồng [1], xử lý trong 04 giờ [2]") == {"75000", "4"}
    assert figure_recall("trong 4 giờ, phí 75000 đồng [3]", "04 giờ; 75.000 đồng") == 1.0
    assert figure_recall("trong 4 giờ [1]", "04 giờ; 75.000 đồng") == 0.5
    assert figure_recall("bất kỳ", "Sở Xây dựng") is None


def test_answer_metrics_report_recall_length_and_figures() -> None:
    m = answer_metrics(["Mất 45 ngày [1]", "Sở Y tế [1]", "x"], ["45 ngày", "Sở Xây dựng", ""])
    assert m["n"] == 2 and m["n_figures"] == 1.0 and m["figure_recall"] == 1.0 == m["lead_figure_recall"]
    assert m["token_recall"] == pytest.approx((1.0 + 1 / 3) / 2)  # "sở" of "Sở Xây dựng"
    assert m["chars"] == pytest.approx((len("Mất 45 ngày [1]") + len("Sở Y tế [1]")) / 2)


def test_lead_metrics_read_only_the_first_cited_line() -> None:
    answer = "Theo các văn bản:\n- Thành viên báo cáo trong 05 ngày. [1]\n- Trưởng đoàn trình trong 20 ngày. [1]"
    assert lead_line(answer) == "- Thành viên báo cáo trong 05 ngày. [1]"
    m = answer_metrics([answer], ["Không quá 20 ngày"])
    assert m["figure_recall"] == 1.0 and m["lead_figure_recall"] == 0.0
    assert m["lead_token_recall"] < m["token_recall"]
