import pytest
from django.core.exceptions import ValidationError

from licenses import services
from licenses.artifacts import register_clause_artifact
from licenses.gate import check_model
from licenses.models import Status, StatusChange
from licenses.seed import seed_register
from licenses.uses import Use

pytestmark = pytest.mark.django_db


def _info(version: str, sha: str, aupr: float) -> dict:
    """What worker.clauses.artifact_info() returns, reduced to what the register reads."""
    return {
        "name": "cuad-clause-classifier",
        "version": version,
        "sha256": sha * 64,
        "dataset_sha256": "d" * 64,
        "metrics": {
            "contracts": 51,
            "overall": {"aupr": aupr, "p_at_80r": 0.3, "p_at_90r": 0.2, "max_recall": 0.95},
        },
    }


@pytest.fixture
def seeded():
    seed_register()


def test_the_first_artifact_is_approved_for_the_demo_with_its_figures(seeded):
    version = register_clause_artifact(_info("k1", "1", 0.41), approve_first=True)
    assert version.status == Status.APPROVED and version.approved_uses == [Use.CLAUSE_EXTRACTION]
    assert version.weights_sha256 == "1" * 64 and version.served_name == "cuad-clause-classifier"
    change = StatusChange.objects.get(model_version=version)
    assert change.system == "register_clause_model" and change.evaluation_run.metrics["aupr"] == 0.41
    # The clause pipeline gates with the artifact's own name, version and hash.
    gate = {"model_name": "cuad-clause-classifier", "version": "k1", "use": Use.CLAUSE_EXTRACTION}
    assert check_model(**gate, weights_sha256="1" * 64).allowed
    assert not check_model(**gate, weights_sha256="2" * 64).allowed
    assert register_clause_artifact(_info("k1", "1", 0.41), approve_first=True) == version  # idempotent
    assert version.evaluation_runs.count() == 1


def test_a_retrained_artifact_waits_for_a_steward_with_both_figures(seeded, steward):
    register_clause_artifact(_info("k1", "1", 0.41), approve_first=True)
    retrained = register_clause_artifact(_info("k2", "2", 0.30), approve_first=True)
    assert retrained.status == Status.PENDING
    assert not check_model(
        model_name="cuad-clause-classifier", version="k2", use=Use.CLAUSE_EXTRACTION
    ).allowed

    run = retrained.evaluation_runs.get()
    assert run.computed and run.state == run.State.DONE  # measured by worker.clauses, not typed in
    comparison = services.compare_evaluation(retrained, run)
    assert comparison.previous.metrics["aupr"] == 0.41 and comparison.drop_exceeds
    with pytest.raises(ValidationError, match="override reason"):
        services.propose_status(
            actor=steward,
            model_version=retrained,
            to_status=Status.APPROVED,
            reason="retrained",
            evaluation_run=run,
        )
