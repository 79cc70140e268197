"""The approval flow of a contract review: legal then risk, separation of duties, audit trail, mail, inbox."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.roles import Role
from audit.approvals import selectors, services
from audit.approvals.models import ApprovalDecision, ApprovalFlow
from audit.models import AuditEvent
from tests.approvals.conftest import member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def approve(user, flow, reason="Looks right"):
    return services.decide(actor=user, flow=flow, decision="approve", reason=reason)


def test_legal_then_risk_approve_with_mail_audit_events_and_trail(
    submitter, lawyer, risk, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.submit(actor=submitter, obj=review, note="Please approve")
    assert [(s.group.name, s.state) for s in flow.steps.all()] == [
        ("Lawyer", "current"),
        ("Risk officer", "waiting"),
    ]
    assert [message.to for message in mail.outbox] == [[lawyer.email]]  # not the submitter, not risk yet
    assert selectors.approval_status(review).code == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        approve(lawyer, flow, "Cap acceptable")
    assert mail.outbox[-1].to == [risk.email]
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.SUBMITTED and flow.current_step.group.name == "Risk officer"

    approve(risk, flow, "Within appetite")
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.APPROVED and flow.current_step is None
    assert selectors.approval_status(review).code == "approved"

    events = AuditEvent.objects.filter(
        object_type="contracts.contractreview", object_id=str(review.pk)
    ).order_by("seq")
    assert [(e.action, e.actor) for e in events] == [
        ("approval.submitted", submitter.username),
        ("approval.approve", lawyer.username),
        ("approval.approve", risk.username),
        ("approval.completed", risk.username),
    ]
    assert events[1].payload["reason"] == "Cap acceptable" and events[1].matter_id == review.matter_id
    trail = selectors.trail(review)
    assert [(entry.who, str(entry.what), entry.why) for entry in trail] == [
        (submitter.username, "Submitted", "Please approve"),
        (lawyer.username, "Approve", "Cap acceptable"),
        (risk.username, "Approve", "Within appetite"),
    ]


def test_the_submitter_may_not_decide_on_any_step(submitter, review):
    flow = services.submit(actor=submitter, obj=review)
    for decision in ("approve", "reject", "request_changes"):
        with pytest.raises(PermissionDenied, match="submitted"):
            services.decide(actor=submitter, flow=flow, decision=decision, reason="mine")
    assert not ApprovalDecision.objects.exists()
    assert not services.may_decide(submitter, flow)


def test_one_person_may_not_approve_two_steps(submitter, review, matter):
    both = member(matter, Role.LAWYER, Role.RISK_OFFICER)
    flow = services.submit(actor=submitter, obj=review)
    approve(both, flow)
    flow.refresh_from_db()
    assert flow.current_step.group.name == "Risk officer"
    with pytest.raises(PermissionDenied, match="two steps"):
        approve(both, flow)
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.SUBMITTED and flow.decisions.count() == 1
    assert not selectors.inbox(both).exists()


def test_a_step_needing_two_approvals_needs_two_different_people(submitter, lawyer, review, matter):
    second = member(matter, Role.LAWYER)
    flow = services.submit(actor=submitter, obj=review, steps=[("Lawyer", "Legal", 2)])
    approve(lawyer, flow)
    with pytest.raises(PermissionDenied, match="already decided"):
        approve(lawyer, flow)
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.SUBMITTED
    approve(second, flow)
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.APPROVED


def test_deciders_must_be_in_the_group_and_see_the_object(submitter, risk, outsider, review):
    flow = services.submit(actor=submitter, obj=review)
    with pytest.raises(PermissionDenied, match="Lawyer"):
        approve(risk, flow)  # can see the matter, but the current step is legal's
    with pytest.raises(Http404):
        approve(outsider, flow)  # in the group, but not in the matter
    with pytest.raises(Http404):
        selectors.flow_for_user(outsider, flow.pk)
    assert not selectors.inbox(outsider).exists()
    assert not ApprovalDecision.objects.exists()


def test_submitting_needs_work_access_and_a_finished_review(lawyer, outsider, submitter, review):
    with pytest.raises(PermissionDenied):
        services.submit(actor=lawyer, obj=review)  # may see, may not work in the matter
    with pytest.raises(Http404):
        services.submit(actor=outsider, obj=review)
    review.state = review.State.RUNNING
    review.save()
    with pytest.raises(ValidationError, match="not finished"):
        services.submit(actor=submitter, obj=review)
    assert not ApprovalFlow.objects.exists()


def test_every_decision_needs_a_reason(submitter, lawyer, review):
    flow = services.submit(actor=submitter, obj=review)
    with pytest.raises(ValidationError, match="reason"):
        services.decide(actor=lawyer, flow=flow, decision="approve", reason="   ")
    with pytest.raises(ValidationError, match="reason"):
        services.revoke(actor=submitter, flow=flow, reason="")
    assert not ApprovalDecision.objects.exists()


def test_changes_requested_closes_the_flow_and_it_can_be_submitted_again(submitter, lawyer, review):
    flow = services.submit(actor=submitter, obj=review)
    with pytest.raises(ValidationError, match="already awaits"):
        services.submit(actor=submitter, obj=review)
    services.decide(actor=lawyer, flow=flow, decision="request_changes", reason="Add the indemnity finding")
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.CHANGES_REQUESTED
    assert [s.state for s in flow.steps.all()] == ["changes_requested", "cancelled"]
    with pytest.raises(ValidationError, match="no more decisions"):
        approve(lawyer, flow)
    again = services.submit(actor=submitter, obj=review)
    assert again.pk != flow.pk and selectors.approval_status(review).flow == again


def test_reject_and_revoke(submitter, lawyer, risk, review):
    flow = services.submit(actor=submitter, obj=review)
    services.decide(actor=lawyer, flow=flow, decision="reject", reason="Unacceptable cap")
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.REJECTED
    flow = services.submit(actor=submitter, obj=review)
    approve(lawyer, flow)
    approve(risk, flow)
    other = UserFactory()
    with pytest.raises(Http404):
        services.revoke(actor=other, flow=flow, reason="no")
    services.revoke(actor=risk, flow=flow, reason="Client changed the deal")
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.REVOKED
    assert selectors.approval_status(review).code == "revoked"
    assert AuditEvent.objects.filter(
        action="approval.revoked", payload__reason="Client changed the deal"
    ).exists()


def test_inbox_shows_what_awaits_the_user(submitter, lawyer, risk, review, outsider):
    flow = services.submit(actor=submitter, obj=review)
    assert list(selectors.inbox(lawyer)) == [flow]
    assert not selectors.inbox(submitter).exists()
    assert not selectors.inbox(risk).exists()
    approve(lawyer, flow)
    assert not selectors.inbox(lawyer).exists()
    assert list(selectors.inbox(risk)) == [flow]


def test_mail_goes_only_to_members_who_may_see_the_object(
    submitter, lawyer, outsider, review, django_capture_on_commit_callbacks
):
    Group.objects.get(name="Lawyer").user_set.add(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=submitter, obj=review)
    assert [message.to for message in mail.outbox] == [[lawyer.email]]
    assert "/audit/approvals/" in mail.outbox[0].body
