"""The clause classifier's side of the model gate: its artifact read and its hash checked, nothing of it unpickled.

The artifact's model file is a pickle, which runs code as it loads; the register (licenses.gate) is asked about
the artifact this returns before ClauseClassifier.load unpickles a byte of it.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from worker.clauses import ArtifactError, ArtifactInfo, ClauseClassifier, TrainingParams
from worker.clauses.artifact import INFO_FILE, MODEL_FILE, cache_key, model_dir
from worker.clauses.dataset import dataset_dir
from worker.model_gate import local_weights_sha256


@dataclass(frozen=True)
class ClauseArtifact:
    folder: Path
    info: ArtifactInfo  # as artifact.json records it; the model file's SHA-256 was checked against it


def clause_artifact(folder: Path | None = None) -> ClauseArtifact:
    """The artifact in `folder` (default: the one trained on the CUAD split, trained now if this machine has none),
    its model file hashed and compared with its record."""
    if folder is None:
        folder = _default_folder()
        if not (folder / INFO_FILE).exists():
            ClauseClassifier.train_or_load()  # this process's own training output, not a file from elsewhere
    try:
        info = ArtifactInfo(**json.loads((folder / INFO_FILE).read_text(encoding="utf-8")))
        sha256 = local_weights_sha256(folder / MODEL_FILE)  # hashed once per file content, not once per review
    except (OSError, ValueError, TypeError) as error:
        raise ArtifactError(f"cannot read the clause model artifact in {folder}: {error}") from error
    if sha256 != info.sha256:
        raise ArtifactError(f"{folder / MODEL_FILE} does not match the sha256 recorded in {INFO_FILE}")
    return ClauseArtifact(folder, info)


@lru_cache(maxsize=1)
def _default_folder() -> Path:
    """Where worker.clauses.artifact.train_or_load keeps the artifact of the default inputs."""
    return model_dir() / f"cuad-clauses-{cache_key(dataset_dir(), TrainingParams())[:16]}"
