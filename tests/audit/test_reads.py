"""Reading is recorded: the findings through the API, a counterparty review with its unmasked summary, the model
register's CSV; once per request, and the explorer can leave the reads out."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import record_event
from reviews.contracts import services as contracts
from reviews.contracts.models import Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from reviews.counterparties import services as counterparties
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(client):
    user = UserFactory(role=Role.LAWYER)
    client.force_login(user)
    return user


@pytest.fixture
def matter(lawyer):
    matter = MatterFactory()
    grant(lawyer, matter, "view_matter")
    grant(lawyer, matter, "change_matter")
    return matter


def _reads(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_the_findings_read_through_the_api_are_one_event_per_request(client, lawyer, matter):
    load_shipped_playbooks()
    review = contracts.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", playbook=Playbook.objects.get(
        name="NDA"), data=b"MUTUAL NON-DISCLOSURE AGREEMENT\n\n1. Term. Two years.\n")  # fmt: skip
    assert client.get(reverse("review-findings", args=[review.pk])).status_code == 200
    [read] = _reads("document.viewed")
    assert (read.actor, read.matter_id, read.payload["review_id"], read.payload["via"]) == (
        lawyer.get_username(), matter.pk, review.pk, "api")


def test_a_counterparty_review_read_on_its_page_and_through_the_api_is_recorded(client, lawyer, matter):
    counterparty = counterparties.create_counterparty(actor=lawyer, matter=matter, name="Northwind", kind="organisation")
    review = counterparties.submit_counterparty_review(actor=lawyer, counterparty=counterparty)
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(reverse("counterparty-review-detail", args=[review.pk])).status_code == 200
    assert [(e.payload["via"], e.matter_id) for e in _reads("counterparty_review.viewed")] == [
        ("page", matter.pk), ("api", matter.pk)]


def test_the_register_csv_export_is_recorded(client):
    client.force_login(UserFactory(role=Role.MODEL_STEWARD))
    assert client.get(reverse("licenses:register-csv")).status_code == 200
    [export] = _reads("model_register.exported")
    assert export.payload["format"] == "csv"


def test_the_explorer_can_leave_the_reads_out(client):
    client.force_login(UserFactory(role=Role.COMPLIANCE_OFFICER))
    change = record_event(action="review.submitted", system="tests")
    read = record_event(action="document.viewed", system="tests")
    listed = lambda **params: [e.seq for e in client.get(reverse("audit:event-list"), params).context["page"].events]  # noqa: E731
    assert read.seq in listed() and change.seq in listed()
    assert change.seq in listed(hide_reads="on") and read.seq not in listed(hide_reads="on")
