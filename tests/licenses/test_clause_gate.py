"""The register is asked about the clause classifier's artifact before a byte of its pickle is unpickled."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from licenses.clause_model import approved_clause_classifier
from worker.clause_gate import clause_artifact
from worker.clauses import ArtifactError
from worker.clauses import artifact as clause_artifacts
from worker.model_gate import ModelNotApproved

pytestmark = pytest.mark.django_db


@pytest.fixture
def copied_artifact(tmp_path):
    """The trained artifact, copied where no process has loaded it yet."""
    folder = tmp_path / "artifact"
    shutil.copytree(clause_artifact().folder, folder)
    return folder


@pytest.fixture
def unpickled(monkeypatch):
    """Every unpickling of an artifact, counted; the real one still runs."""
    calls = []
    real = clause_artifacts.joblib.load

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(clause_artifacts.joblib, "load", counted)
    return calls


def test_an_artifact_the_register_does_not_approve_is_never_unpickled(registered_clause_model, copied_artifact,
                                                                     unpickled):  # fmt: skip
    with pytest.raises(ModelNotApproved):
        approved_clause_classifier(system="tests", folder=copied_artifact)
    assert unpickled == []
    assert AuditEvent.objects.filter(action="model.gate_refused", payload__use="clause_extraction").exists()


def test_an_approved_artifact_is_unpickled_once_checked(approved_clause_model, copied_artifact, unpickled):
    classifier = approved_clause_classifier(system="tests", folder=copied_artifact)
    assert classifier.info.sha256 == approved_clause_model.weights_sha256 and len(unpickled) == 1


def test_a_model_file_that_differs_from_its_record_is_refused_before_the_register_is_asked(
    approved_clause_model, copied_artifact, unpickled
):
    with (copied_artifact / "model.joblib").open("ab") as model_file:
        model_file.write(b"appended")
    with pytest.raises(ArtifactError, match="does not match"):
        approved_clause_classifier(system="tests", folder=copied_artifact)
    assert unpickled == []


def test_extract_clauses_asks_the_register_first(registered_clause_model, copied_artifact, tmp_path, unpickled):
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    (contracts / "a.txt").write_text("This Agreement is governed by the laws of Texas.", encoding="utf-8")
    with pytest.raises(CommandError, match="not approved for clause extraction"):
        call_command("extract_clauses", contracts, "--out", tmp_path / "out.jsonl", "--artifact", copied_artifact)
    assert not (tmp_path / "out.jsonl").exists() and unpickled == []
