import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from audit.models import AuditEvent
from licenses import services
from licenses.models import RUNNABLE_STATUSES, Status, StatusChange
from licenses.uses import Task, Use
from tests.factories import UserFactory
from tests.licenses.conftest import approve, make_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.LAWYER, Role.RISK_OFFICER, Role.COMPLIANCE_OFFICER, Role.ADMIN, None])
def test_only_model_stewards_may_change_a_status(llm, role):
    other = UserFactory(role=role, is_superuser=role is None)
    with pytest.raises(PermissionDenied):
        services.change_status(actor=other, model_version=llm, to_status=Status.APPROVED, reason="trust me")
    llm.refresh_from_db()
    assert llm.status == Status.PENDING
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action="model_version.status_changed").exists()


def test_a_person_cannot_pose_as_the_system(llm, lawyer):
    with pytest.raises(PermissionDenied):
        services.change_status(
            actor=lawyer, system="seed", model_version=llm, to_status=Status.APPROVED, reason="x"
        )


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([Status.BLOCKED], Status.APPROVED),  # a blocked version goes back through pending first
        ([Status.BLOCKED], Status.RESTRICTED),
        ([Status.RETIRED], Status.APPROVED),
        ([], Status.PENDING),
    ],
)
def test_transitions_outside_the_table_are_refused(steward, llm, path, target):
    for status in path:
        services.change_status(actor=steward, model_version=llm, to_status=status, reason="step")
    decide = services.propose_status if target in RUNNABLE_STATUSES else services.change_status
    with pytest.raises(ValidationError):
        decide(actor=steward, model_version=llm, to_status=target, reason="jump", uses=[Use.CONTRACT_REVIEW])
    llm.refresh_from_db()
    assert llm.status == (path[-1] if path else Status.PENDING)


def test_blocked_can_be_reconsidered_through_pending(steward, llm):
    for status in (Status.BLOCKED, Status.PENDING):
        services.change_status(actor=steward, model_version=llm, to_status=status, reason="step")
    approve(llm, steward)
    services.change_status(actor=steward, model_version=llm, to_status=Status.RETIRED, reason="superseded")
    llm.refresh_from_db()
    assert llm.status == Status.RETIRED and llm.approved_uses == []
    assert StatusChange.objects.filter(model_version=llm).count() == 4


def test_a_reason_is_required(steward, llm):
    with pytest.raises(ValidationError):
        services.propose_status(actor=steward, model_version=llm, to_status=Status.APPROVED, reason="   ")
    assert not StatusChange.objects.exists()


def test_restricted_names_uses_the_task_can_serve(steward, llm):
    with pytest.raises(ValidationError):
        services.propose_status(actor=steward, model_version=llm, to_status=Status.RESTRICTED, reason="x")
    with pytest.raises(ValidationError):
        services.propose_status(
            actor=steward,
            model_version=llm,
            to_status=Status.RESTRICTED,
            reason="x",
            uses=[Use.CLAUSE_EXTRACTION],
        )
    approve(llm, steward, to_status=Status.RESTRICTED, uses=[Use.COUNTERPARTY_REVIEW])
    assert (llm.status, llm.approved_uses) == (Status.RESTRICTED, [Use.COUNTERPARTY_REVIEW])


def test_the_seed_is_idempotent_and_approves_only_the_embedded_llm():
    from licenses.models import Model, ModelVersion
    from licenses.seed import CLASSIFIER_NAME, seed_register

    assert (
        seed_register() == 10
    )  # SmolLM2, Llama 3 8B/70B, Mixtral, Phi-3 medium 4k/128k, Gemma 2B/7B, ELYZA, rinna
    assert seed_register() == 0
    statuses = dict(ModelVersion.objects.values_list("model__name", "status"))
    assert statuses.pop("SmolLM2-135M-Instruct") == Status.APPROVED
    assert set(statuses.values()) == {Status.PENDING}  # Llama, Mixtral, Phi-3, Gemma, ELYZA, rinna
    embedded = ModelVersion.objects.get(model__name="SmolLM2-135M-Instruct")
    assert embedded.approved_uses == [Use.CONTRACT_REVIEW, Use.COUNTERPARTY_REVIEW]
    seeded = StatusChange.objects.get(model_version=embedded)
    assert (
        seeded.actor is None
        and seeded.system == "seed_model_register"
        and seeded.reason == "seeded for the demo"
    )
    # The classifier's versions are its trained artifacts (see test_license_artifacts); the seed names its data.
    classifier = Model.objects.get(name=CLASSIFIER_NAME)
    assert classifier.task == Task.CLAUSE_CLASSIFICATION and not classifier.versions.exists()
    assert classifier.training_data.get().license.spdx_id == "CC-BY-4.0"
    llama = ModelVersion.objects.get(model__name="Meta-Llama-3-8B-Instruct")
    assert "700 million" in llama.license.obligations.user_limit


def test_approving_keeps_the_text_the_steward_reviewed(steward, apache):
    text = services.add_license_text(
        actor=steward, license=apache, text="Terms v1", retrieved_on="2026-01-01"
    )
    version = approve(make_version(apache), steward)
    assert version.reviewed_text == text
