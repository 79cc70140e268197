"""Four eyes: a steward's approval waits for a second steward in the approval flow; stopping use does not wait."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.approvals import selectors as approval_selectors
from audit.approvals import services as approvals
from audit.approvals.models import ApprovalFlow
from audit.models import AuditEvent
from licenses import services
from licenses.gate import check_model
from licenses.models import Model, Status, StatusChange, StatusProposal
from licenses.uses import Task, Use
from tests.factories import UserFactory
from tests.licenses.conftest import approve, computed_run, make_version

pytestmark = pytest.mark.django_db
SPLIT = "cuad-v1-validation"


@pytest.fixture
def second_steward():
    return UserFactory(role=Role.MODEL_STEWARD)


def _run(version, steward, value, split=SPLIT):
    return computed_run(version, value, split=split, created_by=steward)


def _propose(version, steward, run):
    return services.propose_status(
        actor=steward, model_version=version, to_status=Status.APPROVED, reason="license reviewed", evaluation_run=run
    )


def _allowed(version) -> bool:
    return check_model(model_name=version.model.name, version=version.version, use=Use.CONTRACT_REVIEW).allowed


def test_one_steward_alone_cannot_approve(steward, llm):
    run = _run(llm, steward, 0.5)
    with pytest.raises(PermissionDenied, match="second steward"):
        services.change_status(
            actor=steward, model_version=llm, to_status=Status.APPROVED, reason="mine", evaluation_run=run
        )
    _propose(llm, steward, run)
    flow = approvals.submit(actor=steward, obj=llm)
    with pytest.raises(PermissionDenied):
        approvals.decide(actor=steward, flow=flow, decision="approve", reason="mine")
    llm.refresh_from_db()
    assert llm.status == Status.PENDING and llm.approved_uses == []
    assert not StatusChange.objects.exists()
    assert not _allowed(llm)


def test_the_second_stewards_approval_in_the_flow_applies_the_status(steward, second_steward, llm):
    run = _run(llm, steward, 0.5)
    proposal = _propose(llm, steward, run)
    flow = approvals.submit(actor=steward, obj=llm)
    assert list(approval_selectors.inbox(second_steward)) == [flow]

    approvals.decide(actor=second_steward, flow=flow, decision="approve", reason="checked the license")

    llm.refresh_from_db()
    # Approved means every use the model's task can serve; the clause classifier's use is not one of them.
    assert (llm.status, llm.approved_uses) == (Status.APPROVED, [Use.CONTRACT_REVIEW, Use.COUNTERPARTY_REVIEW])
    assert _allowed(llm)
    change = StatusChange.objects.get(model_version=llm)
    assert (change.actor, change.approved_by, change.evaluation_run) == (steward, second_steward, run)
    proposal.refresh_from_db()
    assert proposal.state == StatusProposal.State.APPLIED and proposal.status_change == change
    event = AuditEvent.objects.get(action="model_version.status_changed", object_id=str(llm.pk))
    assert event.actor == steward.get_username() and event.payload["approved_by"] == second_steward.get_username()
    assert event.payload["from"] == "pending" and event.payload["to"] == "approved"
    assert AuditEvent.objects.filter(action="model_version.status_proposed", object_id=str(llm.pk)).exists()
    # Applying the approval is what was decided on: the flow does not look stale.
    assert approval_selectors.approval_status(llm).code == ApprovalFlow.State.APPROVED


def test_the_registering_steward_cannot_approve(steward, second_steward, apache):
    registrar = UserFactory(role=Role.MODEL_STEWARD)
    model = Model.objects.create(name="RegisteredLLM", provider="Test", task=Task.TEXT_GENERATION)
    version = services.create_model_version(actor=registrar, model=model, version="1", license=apache)
    _propose(version, steward, _run(version, steward, 0.5))
    flow = approvals.submit(actor=second_steward, obj=version)

    assert not approvals.may_decide(registrar, flow)
    with pytest.raises(PermissionDenied, match="prepared"):
        approvals.decide(actor=registrar, flow=flow, decision="approve", reason="mine")
    with pytest.raises(PermissionDenied, match="registered the version"):
        services.apply_proposal(approver=registrar, model_version=version)
    version.refresh_from_db()
    assert version.status == Status.PENDING and not _allowed(version)


def test_the_evaluating_steward_cannot_approve(steward, second_steward, llm):
    evaluator = UserFactory(role=Role.MODEL_STEWARD)
    _propose(llm, steward, _run(llm, evaluator, 0.5))
    flow = approvals.submit(actor=steward, obj=llm)
    with pytest.raises(PermissionDenied):
        approvals.decide(actor=evaluator, flow=flow, decision="approve", reason="my figures are fine")
    llm.refresh_from_db()
    assert llm.status == Status.PENDING

    approvals.decide(actor=second_steward, flow=flow, decision="approve", reason="figures checked")
    llm.refresh_from_db()
    assert llm.status == Status.APPROVED


def test_a_low_run_added_to_the_previous_version_does_not_dodge_the_override(steward, apache, settings):
    settings.LICENSE_EVAL_MAX_DROP = 0.02
    v1 = make_version(apache, name="Classifier", version="1", task=Task.CLAUSE_CLASSIFICATION)
    approved_on = _run(v1, steward, 0.40)
    approve(v1, steward, evaluation_run=approved_on)
    _run(v1, steward, 0.30)  # added after the approval, to make the new version look no worse
    v2 = make_version(apache, name="Classifier", version="2", task=Task.CLAUSE_CLASSIFICATION)
    run = _run(v2, steward, 0.30)

    comparison = services.compare_evaluation(v2, run)
    assert comparison.previous == approved_on and comparison.drop == pytest.approx(0.10)
    with pytest.raises(ValidationError, match="override reason"):
        _propose(v2, steward, run)


def test_blocking_by_one_steward_is_immediate_and_ends_a_waiting_approval(steward, second_steward, llm):
    approve(llm, steward)
    assert _allowed(llm)
    services.change_status(actor=steward, model_version=llm, to_status=Status.BLOCKED, reason="license withdrawn")
    llm.refresh_from_db()
    assert (llm.status, llm.approved_uses) == (Status.BLOCKED, [])
    assert not _allowed(llm)
    assert approval_selectors.approval_status(llm).stale  # the approval no longer stands

    services.change_status(actor=steward, model_version=llm, to_status=Status.PENDING, reason="reconsider")
    _propose(llm, steward, _run(llm, steward, 0.5))
    flow = approvals.submit(actor=steward, obj=llm)
    services.change_status(actor=second_steward, model_version=llm, to_status=Status.RETIRED, reason="superseded")
    assert llm.proposals.filter(state=StatusProposal.State.OPEN).count() == 0
    with pytest.raises(ValidationError, match="changed after it was submitted"):
        approvals.decide(actor=second_steward, flow=flow, decision="approve", reason="late")
    llm.refresh_from_db()
    assert llm.status == Status.RETIRED


def test_the_status_page_and_api_propose_instead_of_approving(client, steward, llm):
    run = _run(llm, steward, 0.5)
    client.force_login(steward)
    response = client.post(
        reverse("licenses:version-status", args=[llm.pk]),
        {"to_status": "approved", "reason": "ok", "evaluation_run": run.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:object", args=["model-version", llm.pk])
    assert 'data-testid="submit-approval"' in client.get(response["Location"]).content.decode()
    assert 'data-testid="proposal"' in client.get(reverse("licenses:version-detail", args=[llm.pk])).content.decode()
    response = client.post(
        reverse("model-version-status", args=[llm.pk]),
        {"to_status": "approved", "reason": "ok", "evaluation_run": run.pk},
        content_type="application/json",
    )
    assert response.status_code == 202 and response.json()["state"] == "open"
    llm.refresh_from_db()
    assert llm.status == Status.PENDING
    assert llm.proposals.filter(state=StatusProposal.State.OPEN).count() == 1  # the API's replaced the page's


def test_revoking_the_completed_approval_sends_the_version_back_to_pending(steward, second_steward, llm):
    _propose(llm, steward, _run(llm, steward, 0.5))
    flow = approvals.submit(actor=steward, obj=llm)
    approvals.decide(actor=second_steward, flow=flow, decision="approve", reason="checked the license")
    assert _allowed(llm)

    approvals.revoke(actor=second_steward, flow=flow, reason="the vendor changed the terms")

    llm.refresh_from_db()
    assert (llm.status, llm.approved_uses) == (Status.PENDING, []) and not _allowed(llm)
    back = StatusChange.objects.filter(model_version=llm).latest("created_at")
    assert (back.from_status, back.to_status) == (Status.APPROVED, Status.PENDING)
    assert "the vendor changed the terms" in back.reason
    event = AuditEvent.objects.filter(action="model_version.status_changed", object_id=str(llm.pk)).latest("seq")
    assert event.actor == second_steward.get_username() and event.payload["to"] == "pending"


def test_revoking_an_approval_that_a_later_block_overrode_leaves_the_block(steward, second_steward, llm):
    _propose(llm, steward, _run(llm, steward, 0.5))
    flow = approvals.submit(actor=steward, obj=llm)
    approvals.decide(actor=second_steward, flow=flow, decision="approve", reason="checked the license")
    services.change_status(actor=steward, model_version=llm, to_status=Status.BLOCKED, reason="weights leaked")

    approvals.revoke(actor=second_steward, flow=flow, reason="no longer valid")

    llm.refresh_from_db()
    assert llm.status == Status.BLOCKED
