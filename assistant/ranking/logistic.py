"""A small logistic model stored as JSON: P(y = 1 | x) = sigmoid(coef · standardised features + intercept), with
named thresholds on that probability. The answerability and support models are two of these."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from assistant.errors import ConfigurationError


@dataclass(frozen=True)
class LogisticModel:
    """The features it was trained on, their standardisation, coefficients and thresholds; subclasses name the
    features they expect (``FEATURES``), what the model decides (``PURPOSE``) and the command that rebuilds it."""

    FEATURES: ClassVar[tuple[str, ...]] = ()
    PURPOSE: ClassVar[str] = ""
    TRAIN_COMMAND: ClassVar[str] = ""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: dict[str, float]
    info: dict[str, Any]

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.coef) == n):
            raise ValueError(f"{self.PURPOSE} model: features, mean, scale and coef must have the same length")

    @classmethod
    def fitted(cls, scaler: Any, model: Any, thresholds: dict[str, float], info: dict[str, Any]) -> Self:
        """From a fitted scikit-learn ``StandardScaler`` and binary ``LogisticRegression`` over ``FEATURES``."""
        return cls(
            features=cls.FEATURES,
            mean=tuple(float(v) for v in scaler.mean_),
            scale=tuple(float(v) if v > 0 else 1.0 for v in scaler.scale_),
            coef=tuple(float(v) for v in model.coef_[0]),
            intercept=float(model.intercept_[0]),
            thresholds=thresholds,
            info=info,
        )

    @classmethod
    def load(cls, path: Path) -> Self:
        if not path.is_file():
            raise ConfigurationError(f"Không thấy mô hình {cls.PURPOSE} {path}: chạy `{cls.TRAIN_COMMAND}` để tạo lại.")
        data = json.loads(path.read_text(encoding="utf-8"))
        model = cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            info=dict(data.get("info", {})),
        )
        if model.features != cls.FEATURES:
            raise ConfigurationError(
                f"Mô hình {path} được huấn luyện với đặc trưng khác: chạy lại `{cls.TRAIN_COMMAND}`."
            )
        return model

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "thresholds": {k: round(v, 4) for k, v in self.thresholds.items()},
            "info": self.info,
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def probability(self, row: npt.NDArray[np.float32]) -> float:
        x = (np.asarray(row, dtype=np.float64).reshape(-1) - np.array(self.mean)) / np.array(self.scale)
        z = float(x @ np.array(self.coef) + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
