"""The engines' side of the model gate: the refusal they raise and the weights hash they report.

Which version may run for which use is the register's decision (licenses.gate); engines get it as a callable.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from worker.messages import Refusal


class ModelNotApproved(Refusal):
    """The register refuses the version for the use; `model_version_id` is the version when one was found."""

    def __init__(self, template: str, *, model_version_id: int | None = None, **params: object) -> None:
        self.model_version_id = model_version_id
        super().__init__(template, **params)


def file_sha256(path: Path) -> str:
    """SHA-256 of a weights file, streamed (files are gigabytes)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@lru_cache(maxsize=16)
def _cached_sha256(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(Path(path))


def local_weights_sha256(path: Path) -> str:
    """file_sha256, computed once per file content as long as the file's size and mtime stay the same."""
    stat = path.stat()
    return _cached_sha256(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
