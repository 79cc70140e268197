import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import record_event
from tests.audit.test_ledger import _as_superuser
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = UserFactory(role=Role.COMPLIANCE_OFFICER, username="officer")
    client.force_login(user)
    return user


def _listed(client, **params) -> list[int]:
    response = client.get(reverse("audit:event-list"), params)
    assert response.status_code == 200
    page = response.context["page"]
    return [event.seq for event in page.events] if page else []


@pytest.mark.parametrize("role", [Role.LAWYER, Role.RISK_OFFICER, Role.MODEL_STEWARD, Role.ADMIN])
def test_other_roles_get_403(client, role):
    client.force_login(UserFactory(role=role))
    event = record_event(action="test.happened", system="tests")
    assert client.get(reverse("audit:event-list")).status_code == 403
    assert client.get(reverse("audit:event-detail", args=[event.seq])).status_code == 403
    assert client.post(reverse("audit:event-verify", args=[event.seq])).status_code == 403
    assert client.post(reverse("audit:export"), {"format": "jsonl"}).status_code == 403
    assert "Audit trail" not in client.get(reverse("home")).content.decode()


def test_compliance_officer_sees_the_trail_in_the_navigation(client, officer):
    assert reverse("audit:event-list") in client.get(reverse("home")).content.decode()


def test_filters_narrow_the_list(client, officer):
    login = record_event(action="auth.login_failed", payload={"username": "mallory"})
    matter_event = record_event(action="review.submitted", system="intake", matter_id=7,
                                object_type="reviews.review", object_id=3, payload={"playbook": "nda-standard"})  # fmt: skip
    other = record_event(action="review.approved", system="approvals", matter_id=8, payload={"step": "legal"})
    assert _listed(client, action="auth.login_failed") == [login.seq]
    assert _listed(client, action="review.") == [other.seq, matter_event.seq]
    assert _listed(client, actor="system:intake") == [matter_event.seq]
    assert _listed(client, matter=8) == [other.seq]
    assert _listed(client, object_type="reviews.review", object_id="3") == [matter_event.seq]
    assert _listed(client, q="mallory") == [login.seq]  # full text over the payload
    assert _listed(client, q="approved") == [other.seq]  # and over the action
    assert _listed(client, q="nda standard") == [matter_event.seq]
    assert set(_listed(client)) >= {login.seq, matter_event.seq, other.seq}


def test_an_object_type_filter_finds_the_events_written_before_its_model_moved_app(client, officer):
    before = record_event(action="finding.triaged", system="tests", object_type="reviews.finding", object_id=5)
    after = record_event(action="finding.triaged", system="tests", object_type="contracts.finding", object_id=5)
    other = record_event(action="finding.triaged", system="tests", object_type="contracts.finding", object_id=6)
    assert _listed(client, object_type="contracts.finding", object_id="5") == [after.seq, before.seq]
    assert _listed(client, object_type="contracts.finding") == [other.seq, after.seq, before.seq]
    assert _listed(client, object_type="reviews.finding") == [before.seq]  # an old label means only itself


def test_time_range_filter(client, officer):
    event = record_event(action="test.happened", system="tests")
    day = event.occurred_at.strftime("%Y-%m-%d")
    assert event.seq in _listed(client, since=f"{day}T00:00", until=f"{day}T23:59:59")
    assert _listed(client, until="2000-01-01T00:00") == []


def test_bad_filter_shows_an_error_and_no_events(client, officer):
    record_event(action="test.happened", system="tests")
    response = client.get(
        reverse("audit:event-list"), {"action": "DROP TABLE", "since": "2026-01-02", "until": "2026-01-01"}
    )
    assert response.status_code == 200 and response.context["page"] is None
    assert response.context["form"].errors["action"] and "must come before" in response.content.decode()


def test_keyset_pagination_walks_back_without_gaps(client, officer):
    for i in range(120):
        record_event(action="test.paged", system="tests", payload={"i": i})
    seen, params = [], {"action": "test.paged"}
    while True:
        response = client.get(reverse("audit:event-list"), params)
        page = response.context["page"]
        seen += [event.seq for event in page.events]
        if page.older_than is None:
            break
        assert f"before={page.older_than}" in response.content.decode()
        params = {"action": "test.paged", "before": page.older_than}
    expected = list(
        AuditEvent.objects.filter(action="test.paged").order_by("-seq").values_list("seq", flat=True)
    )
    assert seen == expected and len(seen) == 120


def test_detail_shows_chain_position_and_the_verify_button_records_an_event(client, officer):
    first = record_event(action="test.happened", system="tests")
    second = record_event(action="test.happened", system="tests")
    page = client.get(reverse("audit:event-detail", args=[first.seq])).content.decode()
    assert first.hash in page and first.prev_hash in page and f"#{second.seq}" in page
    assert "hash and links agree" in page
    response = client.post(reverse("audit:event-verify", args=[first.seq]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "intact" in response.content.decode()
    verified = AuditEvent.objects.filter(action="audit.verified").get()
    assert (
        verified.actor == "officer"
        and verified.payload["seq"] == first.seq
        and verified.payload["intact"] is True
    )


def test_verify_button_finds_an_altered_event(client, officer):
    events = [record_event(action="test.happened", system="tests", payload={"n": i}) for i in range(3)]
    _as_superuser("UPDATE audit_auditevent SET actor = 'someone else' WHERE seq = %s", [events[1].seq])
    assert (
        "content does not match its hash"
        in client.get(reverse("audit:event-detail", args=[events[1].seq])).content.decode()
    )
    body = client.post(
        reverse("audit:event-verify", args=[events[2].seq]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"broken at #{events[1].seq}" in body
    assert AuditEvent.objects.get(action="audit.verified").payload["broken_seq"] == events[1].seq


def test_unknown_event_is_404(client, officer):
    assert client.get(reverse("audit:event-detail", args=[999_999])).status_code == 404


def test_download_is_an_export_event(client, officer):
    record_event(action="auth.login_failed", payload={"username": "a|b=c"})
    response = client.post(reverse("audit:export"), {"format": "cef"})
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert body.startswith("CEF:0|Workbench|Workbench|0.1|") and "a|b\\=c" in body
    exported = AuditEvent.objects.get(action="audit.exported")
    assert (
        exported.actor == "officer" and exported.payload["format"] == "cef" and exported.payload["count"] >= 1
    )


def test_download_with_a_bad_range_changes_nothing(client, officer):
    response = client.post(reverse("audit:export"), {"format": "xml"})
    assert response.status_code == 302 and not AuditEvent.objects.filter(action="audit.exported").exists()


def test_full_text_pages_reach_past_the_newest_window(client, officer, monkeypatch):
    monkeypatch.setattr("audit.selectors.FULLTEXT_WINDOW", 5)
    old = [record_event(action="test.happened", system="tests", payload={"word": "zebra"}) for _ in range(3)]
    for i in range(8):
        record_event(action="test.happened", system="tests", payload={"word": "filler", "i": i})
    recent = record_event(action="test.happened", system="tests", payload={"word": "zebra"})
    expected = [recent.seq] + [event.seq for event in reversed(old)]
    assert _listed(client, q="zebra") == expected
    from audit.selectors import events_page

    first = events_page({"q": "zebra"}, size=2)
    second = events_page({"q": "zebra"}, before=first.older_than, size=2)
    assert [e.seq for e in first.events + second.events] == expected and second.older_than is None
