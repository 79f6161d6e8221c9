import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.index.bm25 import Bm25Index

DOCS = ["thủ tục cấp giấy phép xây dựng", "đăng ký kết hôn tại xã", "cấp lại giấy phép hành nghề y"]


def test_scores_match_the_okapi_formula() -> None:
    index = Bm25Index(k1=1.2, b=0.75)
    index.build(DOCS)
    scores = index.scores("kết hôn")
    # Features are syllables plus bigrams: "ket", "hon" and "ket_hon" occur once, only in doc 1, which has
    # 6 syllables + 5 bigrams = 11 features; avgdl = (13 + 11 + 13) / 3.
    idf = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    tf_part = 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 11 / (37 / 3)))
    assert scores[1] == pytest.approx(3 * idf * tf_part, rel=1e-6)
    assert scores[0] == 0 and scores[2] == 0


def test_matching_is_diacritic_insensitive() -> None:
    index = Bm25Index()
    index.build(DOCS)
    assert index.search("dang ky ket hon", 3)[0][0] == 1
    assert index.search("GIẤY PHÉP XÂY DỰNG", 3)[0][0] == 0


def test_mask_excludes_rows_whatever_their_score() -> None:
    index = Bm25Index()
    index.build(DOCS)
    mask = np.array([False, True, True])
    hits = index.search("cấp giấy phép", 3, allowed_mask=mask)
    assert [row for row, _ in hits] == [2]


def test_no_match_returns_nothing() -> None:
    index = Bm25Index()
    index.build(DOCS)
    assert index.search("máy bay", 5) == []


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = Bm25Index()
    index.build(DOCS)
    index.save(tmp_path / "bm25.npz")
    loaded = Bm25Index.load(tmp_path / "bm25.npz")
    assert len(loaded) == 3
    assert np.array_equal(loaded.scores("giấy phép"), index.scores("giấy phép"))


def test_the_postings_are_mapped_from_the_file_and_answer_as_read_ones(tmp_path: Path) -> None:
    index = Bm25Index()
    index.build(["Thời hạn giải quyết là 15 ngày làm việc", "Lệ phí 75.000 đồng", "Thời hạn lưu trữ 10 năm"] * 40)
    index.save(tmp_path / "bm25.npz")
    mapped, read = Bm25Index.load(tmp_path / "bm25.npz", mapped=True), Bm25Index.load(tmp_path / "bm25.npz")
    assert isinstance(mapped.rows, np.memmap) and isinstance(mapped.weights, np.memmap)
    assert not isinstance(read.rows, np.memmap)
    for query in ("thời hạn", "lệ phí bao nhiêu", "không có"):
        assert mapped.search(query, 7) == read.search(query, 7)
    before = mapped.search("lưu trữ", 3)
    index.build(["Văn bản mới"])
    index.save(tmp_path / "bm25.npz")  # a new file: the mapped one is read whole to the end
    assert mapped.search("lưu trữ", 3) == before and Bm25Index.load(tmp_path / "bm25.npz").search("lưu trữ", 3) == []


def test_compressed_postings_are_read_not_mapped(tmp_path: Path) -> None:
    index = Bm25Index()
    index.build(["Thời hạn giải quyết", "Lệ phí"])
    index.save(tmp_path / "plain.npz")
    with np.load(tmp_path / "plain.npz") as data:
        np.savez_compressed(tmp_path / "packed.npz", **{name: data[name] for name in data.files})
    packed = Bm25Index.load(tmp_path / "packed.npz", mapped=True)
    assert not isinstance(packed.rows, np.memmap) and packed.search("lệ phí", 1)[0][0] == 1


def test_uncounted_rows_change_no_score_of_the_others() -> None:
    """Statistics from counted (public) rows only: adding a hidden text leaves every visible score as it was."""
    alone = Bm25Index()
    alone.build(DOCS)
    with_hidden = Bm25Index()
    with_hidden.build([*DOCS, "kết hôn kết hôn giấy phép mật"], counted=[True, True, True, False])
    for query in ("kết hôn", "cấp giấy phép", "giấy phép mật"):
        np.testing.assert_allclose(with_hidden.scores(query)[:3], alone.scores(query), rtol=1e-6)
    assert with_hidden.search("mật", 5) == [(3, pytest.approx(with_hidden.scores("mật")[3]))]  # still findable


def test_counted_flags_must_match_the_texts() -> None:
    with pytest.raises(ValueError, match="3 texts"):
        Bm25Index().build(DOCS, counted=[True])


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(["ho", "so", "cap", "phep", "xa", "tinh"]), max_size=6), min_size=1,
                   max_size=40).map(lambda rows: [" ".join(r) for r in rows]),
    k=st.integers(1, 12),
    seed=st.integers(0, 2**16),
)  # fmt: skip
def test_the_top_k_is_the_stable_full_sort_ties_included(texts: list[str], k: int, seed: int) -> None:
    index = Bm25Index()
    index.build(texts)
    mask = np.random.default_rng(seed).random(len(texts)) < 0.7
    for query in ("ho so", "cap phep xa", "tinh"):
        scores = np.where(mask, index.scores(query), 0.0)
        expected = [int(r) for r in np.argsort(-scores, kind="stable") if scores[r] > 0][:k]
        assert [row for row, _ in index.search(query, k, mask)] == expected


def _reference_scores(texts: list[str], counted: list[bool], query: str) -> np.ndarray:
    """Okapi BM25 written out term by term (statistics from the counted rows; all rows when none is)."""
    from collections import Counter

    from assistant.text.tokenize import lexical_features

    docs = [Counter(lexical_features(t)) for t in texts]
    rows = [i for i, c in enumerate(counted) if c] or list(range(len(texts)))
    avgdl = (sum(sum(docs[i].values()) for i in rows) / len(rows)) or 1.0
    out = np.zeros(len(texts))
    for term, qtf in Counter(lexical_features(query)).items():
        df = sum(1 for i in rows if term in docs[i])
        idf = math.log(1 + (len(rows) - df + 0.5) / (df + 0.5))
        for i, doc in enumerate(docs):
            if term in doc:
                tf = doc[term]
                out[i] += qtf * idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * sum(doc.values()) / avgdl))
    return out


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.lists(st.sampled_from(["ho", "so", "cap", "phep", "xa", "tinh", "mat"]), max_size=7),
                  st.booleans()),
        min_size=1, max_size=30,
    ),
)  # fmt: skip
def test_scores_equal_the_formula_written_out(rows: list[tuple[list[str], bool]]) -> None:
    texts, counted = [" ".join(words) for words, _ in rows], [flag for _, flag in rows]
    index = Bm25Index()
    index.build(texts, counted=counted)
    for query in ("ho so", "cap phep xa", "mat mat tinh", "khong co"):
        np.testing.assert_allclose(index.scores(query), _reference_scores(texts, counted, query), rtol=1e-5, atol=1e-6)
