import math
from pathlib import Path

import numpy as np
import pytest

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
