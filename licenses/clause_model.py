"""The clause classifier, loaded only once the register approves the artifact it would load."""

from pathlib import Path

from licenses.gate import require_model
from licenses.uses import Use
from worker.clause_gate import clause_artifact
from worker.clauses import ClauseClassifier


def approved_clause_classifier(*, system: str, folder: Path | None = None) -> ClauseClassifier:
    """The classifier of `folder` (default: the one trained on the CUAD split). The register is asked first, with the
    artifact's checked hash, so an artifact it does not approve is never unpickled: ModelNotApproved, audited."""
    artifact = clause_artifact(folder)
    info = artifact.info
    require_model(model_name=info.name, version=info.version, use=Use.CLAUSE_EXTRACTION, weights_sha256=info.sha256,
                  system=system)  # fmt: skip
    return ClauseClassifier.load(artifact.folder)
