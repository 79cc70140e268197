"""Issue 24: a matter from the first day to the last: opened, transferred, closed and reopened, held; all audited."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from reviews.contracts import services as contracts
from reviews.contracts.models import ContractReview, Finding, Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from reviews.counterparties import services as counterparties
from reviews.counterparties.models import Counterparty
from reviews.matters import access, services
from reviews.matters.models import Matter
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

CONTRACT = b"MASTER SERVICES AGREEMENT\n\n1. Governing Law. This Agreement is governed by the laws of Texas.\n"
NEW_MATTER = {"reference": "M-2026-003", "title": "Supply agreement", "client": "Acme Corp.",
              "practice_area": "commercial", "confidentiality": "strictly_confidential"}  # fmt: skip


def actions_of(matter: Matter) -> list[str]:
    return list(AuditEvent.objects.filter(matter_id=matter.pk).order_by("seq").values_list("action", flat=True))


def fresh(user):
    """The user again, without the rights cached on the object."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def lawyer():
    return UserFactory(role=Role.LAWYER)


@pytest.fixture
def matter(lawyer) -> Matter:
    return services.create_matter(actor=lawyer, reference="M-2026-100", title="Deal")


@pytest.fixture
def playbook(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_shipped_playbooks()
    return Playbook.objects.get(name="Master services / SaaS")


# Opening a matter


def test_a_lawyer_opens_a_matter_from_the_page_and_owns_it(client, lawyer):
    client.force_login(lawyer)
    assert reverse("matters:matter-open") in client.get(reverse("matters:matter-list")).content.decode()
    assert client.get(reverse("matters:matter-open")).status_code == 200
    response = client.post(reverse("matters:matter-open"), NEW_MATTER)
    matter = Matter.objects.get(reference="M-2026-003")
    assert response.status_code == 302 and response.url == reverse("contracts:matter-detail", args=[matter.pk])
    assert (matter.owner, matter.practice_area, matter.confidentiality) == (lawyer, "commercial",
                                                                             "strictly_confidential")  # fmt: skip
    assert access.rights(fresh(lawyer), matter) == {"view_matter", "change_matter", "manage_matter_access"}
    assert actions_of(matter) == ["matter.created", "permission.granted"]


def test_a_lawyer_opens_a_matter_for_another_lawyer(client, lawyer):
    colleague = UserFactory(role=Role.LAWYER)
    client.force_login(lawyer)
    response = client.post(reverse("matters:matter-open"), {**NEW_MATTER, "owner": colleague.pk})
    assert response.status_code == 302 and response.url == reverse("matters:matter-list")
    matter = Matter.objects.get(reference="M-2026-003")
    assert matter.owner == colleague and access.may_manage_access(colleague, matter)
    assert not access.may_see(fresh(lawyer), matter)  # the owner staffs the matter, as for any other


@pytest.mark.parametrize("role", [Role.RISK_OFFICER, Role.COMPLIANCE_OFFICER, Role.MODEL_STEWARD])
def test_other_roles_may_not_open_a_matter(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("matters:matter-open")).status_code == 403
    assert client.post(reverse("matters:matter-open"), NEW_MATTER).status_code == 403
    assert client.post(reverse("matter-list"), NEW_MATTER, content_type="application/json").status_code == 403
    assert reverse("matters:matter-open") not in client.get(reverse("matters:matter-list")).content.decode()
    assert not Matter.objects.exists() and not AuditEvent.objects.filter(action="matter.created").exists()


@pytest.mark.parametrize(
    ("reference", "message"),
    [("M 2026/3", "3 to 40 letters"), ("M1", "3 to 40 letters"), ("-M-2026", "3 to 40 letters"),
     ("M-2026-100", "exists already")],
)  # fmt: skip
def test_a_bad_or_taken_reference_is_refused_by_field_and_nothing_is_saved(client, lawyer, matter, reference, message):
    client.force_login(lawyer)
    events = AuditEvent.objects.count()
    response = client.post(reverse("matters:matter-open"), {**NEW_MATTER, "reference": reference})
    assert response.status_code == 200 and message in response.content.decode()
    assert Matter.objects.count() == 1 and AuditEvent.objects.count() == events


def test_the_responsible_lawyer_must_be_a_lawyer(lawyer):
    with pytest.raises(ValidationError) as refusal:
        services.create_matter(actor=lawyer, reference="M-2026-004", title="Deal",
                               owner=UserFactory(role=Role.RISK_OFFICER))  # fmt: skip
    assert "owner" in refusal.value.message_dict and not Matter.objects.exists()


def test_the_api_opens_a_matter_and_says_what_is_wrong(client, lawyer):
    client.force_login(lawyer)
    response = client.post(reverse("matter-list"), NEW_MATTER, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["reference"], body["owner"], body["confidentiality"]) == ("M-2026-003", lawyer.username,
                                                                           "strictly_confidential")  # fmt: skip
    again = client.post(reverse("matter-list"), NEW_MATTER, content_type="application/json")
    assert again.status_code == 400 and "reference" in again.json()
    bad = client.post(reverse("matter-list"), {**NEW_MATTER, "reference": "M 1"}, content_type="application/json")
    assert bad.status_code == 400 and "reference" in bad.json()
    assert Matter.objects.count() == 1


def test_an_admin_opens_a_matter_through_the_api_for_a_lawyer(client, lawyer):
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.post(reverse("matter-list"), {**NEW_MATTER, "owner": lawyer.username},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201 and Matter.objects.get().owner == lawyer


# Transferring it


def test_the_owner_transfers_the_matter_from_the_access_page(client, lawyer, matter):
    successor = UserFactory(role=Role.LAWYER)
    client.force_login(lawyer)
    detail = client.get(reverse("contracts:matter-detail", args=[matter.pk])).content.decode()
    assert reverse("matters:matter-access", args=[matter.pk]) in detail
    access_page = client.get(reverse("matters:matter-access", args=[matter.pk])).content.decode()
    assert 'data-testid="transfer-form"' in access_page
    response = client.post(reverse("matters:matter-transfer", args=[matter.pk]),
                           {"new_owner": successor.pk, "reason": "parental leave"})  # fmt: skip
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.owner == successor and access.may_manage_access(successor, matter)
    assert actions_of(matter)[-2:] == ["matter.transferred", "permission.granted"]
    event = AuditEvent.objects.get(matter_id=matter.pk, action="matter.transferred")
    assert event.payload["from"] == lawyer.username and event.payload["to"] == successor.username


def test_a_colleague_who_manages_access_may_not_transfer(client, matter):
    colleague, successor = UserFactory(role=Role.LAWYER), UserFactory(role=Role.LAWYER)
    for permission in ("view_matter", "change_matter", "manage_matter_access"):
        grant(colleague, matter, permission)
    client.force_login(colleague)
    access_page = client.get(reverse("matters:matter-access", args=[matter.pk])).content.decode()
    assert 'data-testid="transfer-form"' not in access_page
    page = client.post(reverse("matters:matter-transfer", args=[matter.pk]), {"new_owner": successor.pk})
    assert page.status_code == 403
    assert client.post(reverse("matter-transfer", args=[matter.pk]), {"new_owner": successor.username},
                       content_type="application/json").status_code == 403  # fmt: skip
    matter.refresh_from_db()
    assert matter.owner != successor and "matter.transferred" not in actions_of(matter)


def test_an_admin_transfers_through_the_api_only_to_a_lawyer(client, lawyer, matter):
    admin = UserFactory(role=Role.ADMIN)
    grant(admin, matter)  # an admin reaches a matter through a grant, like anyone
    client.force_login(admin)
    url = reverse("matter-transfer", args=[matter.pk])
    risk = UserFactory(role=Role.RISK_OFFICER)
    refused = client.post(url, {"new_owner": risk.username}, content_type="application/json")
    assert refused.status_code == 400 and "new_owner" in refused.json()
    successor = UserFactory(role=Role.LAWYER)
    response = client.post(url, {"new_owner": successor.username}, content_type="application/json")
    assert response.status_code == 200 and response.json()["owner"] == successor.username


# Closing and reopening it


def test_the_owner_closes_and_reopens_from_the_matter_page(client, lawyer, matter):
    client.force_login(lawyer)
    response = client.post(reverse("matters:matter-close", args=[matter.pk]), {"reason": "deal signed"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.is_closed
    page = client.get(reverse("contracts:matter-detail", args=[matter.pk])).content.decode()
    assert 'data-testid="closed-notice"' in page and 'data-testid="upload-form"' not in page
    assert client.post(reverse("matters:matter-reopen", args=[matter.pk])).status_code == 302
    matter.refresh_from_db()
    assert not matter.is_closed
    assert actions_of(matter)[-2:] == ["matter.closed", "matter.reopened"]


def test_a_colleague_who_works_in_the_matter_may_not_close_it(client, matter):
    colleague = UserFactory(role=Role.LAWYER)
    grant(colleague, matter)
    grant(colleague, matter, "change_matter")
    client.force_login(colleague)
    assert client.post(reverse("matters:matter-close", args=[matter.pk])).status_code == 403
    api = client.post(reverse("matter-close", args=[matter.pk]), {}, content_type="application/json")
    assert api.status_code == 403
    matter.refresh_from_db()
    assert not matter.is_closed and "matter.closed" not in actions_of(matter)


def test_an_admin_closes_and_reopens_through_the_api(client, matter):
    admin = UserFactory(role=Role.ADMIN)
    grant(admin, matter)
    client.force_login(admin)
    closed = client.post(reverse("matter-close", args=[matter.pk]), {"reason": "done"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    again = client.post(reverse("matter-close", args=[matter.pk]), {}, content_type="application/json")
    assert again.status_code == 400
    reopened = client.post(reverse("matter-reopen", args=[matter.pk]), {}, content_type="application/json")
    assert reopened.status_code == 200 and reopened.json()["closed_at"] is None


def test_a_closed_matter_refuses_an_upload_with_a_clear_message(client, lawyer, matter, playbook):
    services.close_matter(actor=lawyer, matter=matter)
    client.force_login(lawyer)
    response = client.post(reverse("contracts:matter-detail", args=[matter.pk]),
                           {"file": SimpleUploadedFile("msa.txt", CONTRACT), "playbook": playbook.pk})  # fmt: skip
    assert response.status_code == 200 and "M-2026-100 is closed" in response.content.decode()
    api = client.post(reverse("review-list"), {"matter": matter.pk, "playbook": playbook.name,
                                               "file": SimpleUploadedFile("msa.txt", CONTRACT)})  # fmt: skip
    assert api.status_code == 400 and api.json()["code"] == "matter_closed"
    assert not ContractReview.objects.exists() and "document.uploaded" not in actions_of(matter)
    matter.refresh_from_db()
    with translation.override("ja"):
        with pytest.raises(ValidationError) as refusal:
            services.require_work_access(lawyer, matter)
    assert "クローズ" in refusal.value.messages[0]


def test_a_closed_matter_refuses_triage_and_counterparty_work_but_stays_readable(client, lawyer, matter, playbook):
    review = contracts.submit_contract_review(actor=lawyer, matter=matter, name="msa.txt", data=CONTRACT,
                                              playbook=playbook)  # fmt: skip
    finding = Finding.objects.create(review=review, fingerprint="fp", rule_id="r", category="Governing Law",
                                     kind="present", title="t", detected_severity="high", severity="high", start=0,
                                     end=10)  # fmt: skip
    counterparty = counterparties.create_counterparty(actor=lawyer, matter=matter, name="Acme", kind="organisation")
    services.close_matter(actor=lawyer, matter=matter)
    matter.refresh_from_db()
    finding.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        contracts.triage_finding(actor=lawyer, finding=finding, action="confirm")
    with pytest.raises(ValidationError, match="closed"):
        counterparties.create_counterparty(actor=lawyer, matter=matter, name="Other", kind="organisation")
    with pytest.raises(ValidationError, match="closed"):
        counterparties.submit_counterparty_review(actor=lawyer, counterparty=counterparty)
    assert Counterparty.objects.count() == 1 and Finding.objects.get(pk=finding.pk).status == finding.status
    client.force_login(lawyer)
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 200


def test_closed_matters_leave_the_default_lists(client, lawyer, matter):
    still_open = services.create_matter(actor=lawyer, reference="M-2026-101", title="Other")
    services.close_matter(actor=lawyer, matter=matter)
    client.force_login(lawyer)
    page = client.get(reverse("matters:matter-list")).content.decode()
    assert still_open.reference in page and matter.reference not in page
    closed = client.get(reverse("matters:matter-list") + "?state=closed").content.decode()
    assert matter.reference in closed and still_open.reference not in closed
    api = client.get(reverse("matter-list")).json()["results"]
    assert [row["reference"] for row in api] == [still_open.reference]
    every = client.get(reverse("matter-list") + "?state=all").json()["results"]
    assert {row["reference"] for row in every} == {matter.reference, still_open.reference}


# Legal hold


def test_a_compliance_officer_places_a_hold_and_the_matter_cannot_be_closed(client, lawyer, matter):
    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    grant(officer, matter)
    client.force_login(officer)
    hold = reverse("matters:matter-legal-hold", args=[matter.pk])
    client.post(hold, {"hold": "on", "reason": ""})
    matter.refresh_from_db()
    assert not matter.legal_hold  # a hold needs a reason
    client.post(hold, {"hold": "on", "reason": "litigation expected"})
    matter.refresh_from_db()
    assert matter.legal_hold and matter.legal_hold_reason == "litigation expected"

    client.force_login(lawyer)
    response = client.post(reverse("matters:matter-close", args=[matter.pk]), follow=True)
    assert "legal hold" in response.content.decode()
    refused = client.post(reverse("matter-close", args=[matter.pk]), {}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "legal_hold"
    matter.refresh_from_db()
    assert not matter.is_closed

    client.post(hold, {"hold": "off", "reason": "settled"})
    services.close_matter(actor=lawyer, matter=Matter.objects.get(pk=matter.pk))
    assert actions_of(matter)[-3:] == ["matter.legal_hold_placed", "matter.legal_hold_lifted", "matter.closed"]


def test_a_risk_officer_may_not_place_a_hold(client, matter):
    officer = UserFactory(role=Role.RISK_OFFICER)
    grant(officer, matter)
    client.force_login(officer)
    assert client.post(reverse("matters:matter-legal-hold", args=[matter.pk]),
                       {"hold": "on", "reason": "why not"}).status_code == 403  # fmt: skip
    assert client.post(reverse("matter-legal-hold", args=[matter.pk]), {"hold": True, "reason": "why not"},
                       content_type="application/json").status_code == 403  # fmt: skip
    matter.refresh_from_db()
    assert not matter.legal_hold


# History


def test_the_matter_page_shows_its_history_newest_first(client, lawyer, matter):
    services.close_matter(actor=lawyer, matter=matter, reason="deal signed")
    client.force_login(lawyer)
    page = client.get(reverse("contracts:matter-detail", args=[matter.pk])).content.decode()
    history = page[page.index('data-testid="matter-history"'):]
    assert history.index("matter.closed") < history.index("matter.created")
    assert "deal signed" in history
