"""Hashes of what was decided on, staleness after a change, expiry, and the other approvable objects."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from audit.approvals import selectors, services
from audit.approvals.models import ApprovalFlow
from audit.approvals.snapshots import hash_of
from audit.approvals.tasks import expire_approvals
from audit.models import AuditEvent
from licenses.models import License, Model, ModelVersion, Status
from licenses.services import propose_status
from licenses.uses import Task, Use
from reviews.contracts.services import triage_finding
from reviews.counterparties.models import Counterparty, CounterpartyReview, Screening, ScreeningHit
from tests.approvals.conftest import member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def approve_all(flow, *people):
    for person in people:
        services.decide(actor=person, flow=flow, decision="approve", reason="ok")
    flow.refresh_from_db()
    return flow


def test_triage_after_approval_makes_it_stale_until_approved_again(submitter, lawyer, risk, review, matter):
    flow = approve_all(services.submit(actor=submitter, obj=review), lawyer, risk)
    decided_hash = flow.decisions.last().object_hash
    assert decided_hash == hash_of(review) == flow.object_hash

    triage_finding(actor=submitter, finding=review.findings.get(), action="change_severity", severity="high",
                   reason="Uncapped in practice")  # fmt: skip
    status = selectors.approval_status(review)
    assert status.stale and status.label == "Stale — changed after approval"

    again = services.submit(actor=submitter, obj=review)
    second_lawyer, second_risk = member(matter, Role.LAWYER), member(matter, Role.RISK_OFFICER)
    approve_all(again, second_lawyer, second_risk)
    assert selectors.approval_status(review).code == "approved"


def test_a_change_during_the_flow_blocks_decisions_until_submitted_again(submitter, lawyer, review):
    flow = services.submit(actor=submitter, obj=review)
    finding = review.findings.get()
    finding.status = finding.Status.DISMISSED
    finding.save()
    assert selectors.approval_status(review).stale
    with pytest.raises(ValidationError, match="changed after it was submitted"):
        services.decide(actor=lawyer, flow=flow, decision="approve", reason="ok")
    replacement = services.submit(actor=submitter, obj=review)  # revokes the outdated flow
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.REVOKED and replacement.object_hash == hash_of(review)


def test_overdue_steps_expire_with_an_audit_event(submitter, lawyer, review):
    flow = services.submit(actor=submitter, obj=review)
    step = flow.current_step
    assert step.due_at - timezone.now() > timedelta(days=settings.APPROVAL_STEP_DAYS) - timedelta(minutes=1)
    assert services.expire_overdue() == 0
    step.due_at = timezone.now() - timedelta(seconds=1)
    step.save()
    with pytest.raises(ValidationError, match="deadline"):
        services.decide(actor=lawyer, flow=flow, decision="approve", reason="late")
    assert expire_approvals() == 1  # the beat task
    flow.refresh_from_db()
    step.refresh_from_db()
    assert flow.state == ApprovalFlow.State.EXPIRED and step.state == step.State.EXPIRED
    event = AuditEvent.objects.get(action="approval.expired")
    assert event.actor == "system:approvals.expire" and event.payload["flow"] == flow.pk
    assert selectors.approval_status(review).code == "expired"
    assert [str(entry.what) for entry in selectors.trail(review)] == ["Submitted", "Expired"]
    assert (
        settings.CELERY_BEAT_SCHEDULE["approvals-expiry"]["task"] == "audit.approvals.tasks.expire_approvals"
    )


def test_counterparty_rating_goes_to_risk_then_compliance_and_its_hash_covers_rating_and_hits(
    matter, submitter
):
    counterparty = Counterparty.objects.create(
        matter=matter, name="Acme", kind="organisation", created_by=submitter
    )
    rating = CounterpartyReview.objects.create(
        counterparty=counterparty, requested_by=submitter, state=CounterpartyReview.State.RATED, rating="medium",
        rating_reason="Listed director's namesake, cleared",
    )  # fmt: skip
    screening = Screening.objects.create(
        counterparty=counterparty, review=rating, decision="review", best_score=0.8
    )
    hit = ScreeningHit.objects.create(screening=screening, subject="Acme", subject_role="name", list_name="EU",
                                      entry_id="1", name="Acme Ltd", score=0.8, decision="review")  # fmt: skip
    risk, compliance = member(matter, Role.RISK_OFFICER), member(matter, Role.COMPLIANCE_OFFICER)
    flow = services.submit(actor=submitter, obj=rating)
    assert [s.group.name for s in flow.steps.all()] == ["Risk officer", "Compliance officer"]
    approve_all(flow, risk, compliance)
    assert flow.state == ApprovalFlow.State.APPROVED and flow.matter_id == matter.pk

    hit.decision = "match"
    hit.save()
    assert selectors.approval_status(rating).stale
    hit.decision = "review"
    hit.save()
    assert selectors.approval_status(rating).code == "approved"
    rating.rating = "high"
    rating.save()
    assert selectors.approval_status(rating).stale


def test_model_version_is_approved_by_another_steward(lawyer):
    license = License.objects.create(name="Apache (approvals test)", spdx_id="Apache-2.0")
    model = Model.objects.create(name="ApprovalsLLM", provider="Test", task=Task.TEXT_GENERATION)
    version = ModelVersion.objects.create(model=model, version="1", license=license, weights_sha256="a" * 64)
    steward, other = UserFactory(role=Role.MODEL_STEWARD), UserFactory(role=Role.MODEL_STEWARD)
    with pytest.raises(ValidationError, match="not finished"):
        services.submit(actor=steward, obj=version)  # nothing proposed yet
    propose_status(actor=steward, model_version=version, to_status=Status.RESTRICTED, reason="summaries",
                   uses=[Use.COUNTERPARTY_REVIEW])  # fmt: skip
    with pytest.raises(Http404):
        services.submit(actor=lawyer, obj=version)  # only stewards see the register
    flow = services.submit(actor=steward, obj=version)
    with pytest.raises(PermissionDenied):
        services.decide(actor=steward, flow=flow, decision="approve", reason="mine")
    assert list(selectors.inbox(other)) == [flow]
    approve_all(flow, other)
    assert flow.state == ApprovalFlow.State.APPROVED
    version.refresh_from_db()
    assert (version.status, version.approved_uses) == (Status.RESTRICTED, [Use.COUNTERPARTY_REVIEW])
    assert selectors.approval_status(version).code == ApprovalFlow.State.APPROVED
    version.weights_sha256 = "b" * 64
    version.save()
    assert selectors.approval_status(version).stale
