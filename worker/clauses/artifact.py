"""Versioned model artifacts, cached outside the checkout and keyed by everything that shapes them.

An artifact is a folder `<CLAUSE_MODEL_DIR>/cuad-clauses-<key>/` holding `model.joblib` and
`artifact.json` (name, version, the model file's sha256, training parameters, validation metrics).
The key hashes the dataset files, the source of the code that trains and runs the model, and the
parameters, so the same inputs reuse the cached artifact and any change trains a new one. The
model file is a pickle, so its sha256 is checked against artifact.json before it is unpickled.
"""

import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import joblib
import sklearn

from worker.clauses.dataset import dataset_sha256, load_contracts
from worker.clauses.model import ClauseModel
from worker.clauses.training import TrainingParams, train

log = logging.getLogger(__name__)

ARTIFACT_NAME = "cuad-clause-classifier"
MODEL_FILE = "model.joblib"
INFO_FILE = "artifact.json"
_PACKAGE = Path(__file__).resolve().parent
# The code whose behaviour is baked into an artifact: candidates, features, model and training.
_SOURCES = (_PACKAGE.parent / "segmentation.py", *sorted(_PACKAGE.glob("*.py")))


class ArtifactError(Exception):
    """The artifact is missing, unreadable or does not match its recorded sha256."""


@dataclass(frozen=True, slots=True)
class ArtifactInfo:
    name: str
    version: str
    sha256: str
    key: str
    dataset_sha256: str
    params: dict
    metrics: dict
    training_seconds: float


def model_dir() -> Path:
    return Path(os.environ.get("CLAUSE_MODEL_DIR", Path.home() / ".cache" / "workbench" / "models"))


def cache_key(dataset: Path, params: TrainingParams) -> str:
    digest = hashlib.sha256()
    digest.update(dataset_sha256(dataset).encode())
    for source in _SOURCES:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    digest.update(json.dumps(asdict(params), sort_keys=True).encode())
    digest.update(sklearn.__version__.encode())
    return digest.hexdigest()


def train_or_load(dataset: Path, params: TrainingParams | None = None) -> tuple[ClauseModel, ArtifactInfo]:
    """The artifact for these inputs: loaded from the cache when present, trained and stored otherwise."""
    params = params or TrainingParams()
    if not (dataset / "labels.jsonl").is_file():
        raise ArtifactError(f"no CUAD dataset in {dataset} (set CUAD_DIR) to train or find the clause model")
    key = cache_key(dataset, params)
    folder = model_dir() / f"cuad-clauses-{key[:16]}"
    if (folder / INFO_FILE).exists():
        return load(folder)
    log.info("training the clause model (artifact %s)", folder.name)
    result = train(load_contracts(dataset), params)
    info = ArtifactInfo(
        ARTIFACT_NAME,
        key[:16],
        "",
        key,
        dataset_sha256(dataset),
        asdict(params),
        result.metrics,
        round(result.seconds, 1),
    )
    _save(folder, result.model, info)
    return load(folder)


def load(folder: Path) -> tuple[ClauseModel, ArtifactInfo]:
    try:
        info = ArtifactInfo(**json.loads((folder / INFO_FILE).read_text(encoding="utf-8")))
        payload = (folder / MODEL_FILE).read_bytes()
    except (OSError, ValueError, TypeError) as error:
        raise ArtifactError(f"cannot read the clause model artifact in {folder}: {error}") from error
    if hashlib.sha256(payload).hexdigest() != info.sha256:
        raise ArtifactError(f"{folder / MODEL_FILE} does not match the sha256 recorded in {INFO_FILE}")
    model = joblib.load(io.BytesIO(payload))  # exactly the bytes that were verified
    if not isinstance(model, ClauseModel):
        raise ArtifactError(f"{folder / MODEL_FILE} does not hold a clause model")
    return model, info


def _save(folder: Path, model: ClauseModel, info: ArtifactInfo) -> None:
    """Write into a temporary folder and rename it, so readers never see a half-written artifact."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        joblib.dump(model, staging / MODEL_FILE)
        sha256 = hashlib.sha256((staging / MODEL_FILE).read_bytes()).hexdigest()
        recorded = ArtifactInfo(**{**asdict(info), "sha256": sha256})
        (staging / INFO_FILE).write_text(json.dumps(asdict(recorded), indent=1), encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp made it private; the artifact is shared by every worker
        staging.rename(folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (folder / INFO_FILE).exists():  # another process may have won the race
            raise
