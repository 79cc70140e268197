"""Issue 24: a step whose group loses the last people who could decide it is flagged, whoever removed them."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from accounts.services import change_roles, deactivate_person
from audit.approvals import services
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMIN, email="admin@example.test")


def _flags():
    return list(AuditEvent.objects.filter(action="approval.step_unstaffed").order_by("seq"))


def test_a_leaver_who_was_the_last_lawyer_able_to_decide_leaves_the_step_flagged(
    submitter, lawyer, review, admin, client, django_capture_on_commit_callbacks
):
    flow = services.submit(actor=submitter, obj=review)  # the lawyer step: the submitter may not decide it
    assert not services.is_unstaffed(flow.current_step)

    with django_capture_on_commit_callbacks(execute=True):
        deactivate_person(actor=admin, person=lawyer, reason="left the firm")

    [flag] = _flags()
    assert flag.actor == "system:approvals" and flag.matter_id == review.matter_id
    assert flag.payload | {"left": 0, "missing": 1, "group": Role.LAWYER.value} == flag.payload
    assert flag.payload["people_left"] == [lawyer.username]
    assert [message.to for message in mail.outbox if "No one left" in message.subject] == [[admin.email]]
    assert services.is_unstaffed(flow.current_step)
    client.force_login(submitter)
    page = client.get(reverse("approvals:flow", args=[flow.pk])).content.decode()
    assert 'data-testid="unstaffed-notice"' in page


def test_a_role_change_flags_the_step_only_when_no_one_is_left(submitter, lawyer, review, matter, admin):
    from tests.approvals.conftest import member

    second = member(matter, Role.LAWYER)
    flow = services.submit(actor=submitter, obj=review)

    change_roles(actor=admin, person=lawyer, roles={Role.RISK_OFFICER})
    assert _flags() == [] and not services.is_unstaffed(flow.current_step)  # the second lawyer can still decide

    Group.objects.get(name=Role.LAWYER.value).user_set.remove(second)  # the other direction of the relation
    [flag] = _flags()
    assert flag.payload["people_left"] == [second.username] and flag.payload["step"] == 1


def test_a_closed_flow_is_not_flagged(submitter, lawyer, risk, review, admin):
    flow = services.submit(actor=submitter, obj=review)
    services.decide(actor=lawyer, flow=flow, decision="reject", reason="cap too low")
    deactivate_person(actor=admin, person=lawyer, reason="left the firm")
    assert _flags() == []


def test_someone_who_could_not_decide_the_step_leaves_no_flag(submitter, lawyer, outsider, review, admin):
    flow = services.submit(actor=submitter, obj=review)
    deactivate_person(actor=admin, person=lawyer, reason="left the firm")
    assert len(_flags()) == 1  # the lawyer was the last who could decide
    deactivate_person(actor=admin, person=outsider, reason="left the firm")  # never saw the review
    assert len(_flags()) == 1 and services.is_unstaffed(flow.current_step)
