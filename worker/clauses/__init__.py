"""CUAD clause extraction: find the spans of a contract that answer each of CUAD's 41 categories.

classifier = ClauseClassifier.load()          # once per process; trains on first use if not cached
spans = classifier.classify(text)             # [ClauseSpan(category, start, end, score)]
artifact_info()                               # name, version, sha256, validation metrics
"""

from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Self

from worker.clauses.artifact import ArtifactError, ArtifactInfo, load, train_or_load
from worker.clauses.categories import CATEGORIES
from worker.clauses.dataset import dataset_dir
from worker.clauses.model import ClauseModel, ClauseSpan
from worker.clauses.training import TrainingParams

__all__ = [
    "CATEGORIES",
    "ArtifactError",
    "ArtifactInfo",
    "ClauseClassifier",
    "ClauseSpan",
    "TrainingParams",
    "artifact_info",
]


class ClauseClassifier:
    def __init__(self, model: ClauseModel, info: ArtifactInfo) -> None:
        self._model = model
        self.info = info

    @classmethod
    def load(cls, artifact: Path | None = None) -> Self:
        """The classifier from an artifact folder, or else the cached one trained on the CUAD split."""
        return _load(cls, artifact)

    @classmethod
    def train_or_load(cls, dataset: Path | None = None, params: TrainingParams | None = None) -> Self:
        """Train on a CUAD-format folder (default: the shared split) unless that artifact is cached."""
        return cls(*train_or_load(dataset or dataset_dir(), params))

    def classify(self, text: str) -> list[ClauseSpan]:
        """Ranked candidate spans for every category, each scored in [0, 1]: how likely it finds an answer."""
        return self._model.classify(text)


@cache
def _load(cls: type[ClauseClassifier], artifact: Path | None) -> ClauseClassifier:
    return cls(*load(artifact)) if artifact else cls.train_or_load()


def artifact_info(artifact: Path | None = None) -> dict:
    """Name, version, sha256, training parameters and validation metrics of the loaded classifier."""
    return asdict(ClauseClassifier.load(artifact).info)
