"""The learned ranker: a LightGBM lambdarank model over :data:`PASSAGE_FEATURES`, trained by
``assistant train ranker`` (eval/training.py) on the dev splits and shipped as a small text file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.errors import ConfigurationError
from assistant.ranking.features import PASSAGE_FEATURES

logger = logging.getLogger(__name__)

RANKER_FILE = Path(__file__).resolve().parents[1] / "resources" / "ranker.lgb.txt"


class LearnedRanker:
    """Scores candidate passages; ``load()`` reads the model file and checks it was trained on these features."""

    def __init__(self, path: Path = RANKER_FILE) -> None:
        self.path = path
        self._booster: Any = None

    @property
    def loaded(self) -> bool:
        return self._booster is not None

    def load(self) -> None:
        import lightgbm

        if not self.path.is_file():
            raise ConfigurationError(
                f"Không thấy mô hình xếp hạng {self.path}: chạy `assistant train ranker` để tạo lại, "
                "hoặc đặt ASSISTANT_RANKER=none để xếp theo điểm kết hợp BM25 + vectơ."
            )
        booster = lightgbm.Booster(model_file=str(self.path))
        names = tuple(booster.feature_name())
        if names != PASSAGE_FEATURES:
            raise ConfigurationError(
                f"Mô hình xếp hạng {self.path} được huấn luyện với đặc trưng khác ({len(names)} so với "
                f"{len(PASSAGE_FEATURES)}): chạy lại `assistant train ranker`."
            )
        self._booster = booster
        logger.info("learned ranker loaded from %s (%d trees)", self.path, booster.num_trees())

    def score(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        if self._booster is None:
            raise RuntimeError("LearnedRanker.load() must be called before score()")
        if len(features) == 0:
            return np.zeros(0, dtype=np.float64)
        return np.asarray(self._booster.predict(features, num_threads=1), dtype=np.float64)
