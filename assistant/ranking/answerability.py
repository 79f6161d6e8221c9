"""Answer or "no basis": a logistic model over :data:`ANSWERABILITY_FEATURES` of the ranked evidence, trained by
``assistant train ranker`` on the dev splits (real unanswerable questions, and answerable ones whose gold
passages were taken out), with one threshold per language chosen under a false-abstention budget."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

from assistant.ranking.features import ANSWERABILITY_FEATURES
from assistant.ranking.logistic import LogisticModel

ANSWERABILITY_FILE = Path(__file__).resolve().parents[1] / "resources" / "answerability.json"


@dataclass(frozen=True)
class AnswerabilityModel(LogisticModel):
    """P(answerable | evidence); ``thresholds`` maps a language to the probability below which it abstains."""

    FEATURES = ANSWERABILITY_FEATURES
    PURPOSE = "trả lời/từ chối"
    TRAIN_COMMAND = "assistant train ranker"

    @classmethod
    def load(cls, path: Path = ANSWERABILITY_FILE) -> Self:
        return super().load(path)

    def threshold(self, language: str) -> float:
        return self.thresholds.get(language, self.thresholds.get("vi", 0.5))
