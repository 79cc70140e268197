import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from reviews.contracts import selectors, services
from reviews.contracts.models import ContractReview, Finding, Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from reviews.matters.models import Document
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

CONTRACT = (
    "MASTER SERVICES AGREEMENT\n\n1. Governing Law. This Agreement is governed by the laws of Texas.\n\n"
    "2. Liability. Liability shall not exceed the fees paid in the three (3) months preceding the claim.\n"
).encode()


@pytest.fixture
def playbook():
    load_shipped_playbooks()
    return Playbook.objects.get(name="Master services / SaaS")


@pytest.fixture
def lawyer():
    return UserFactory(role=Role.LAWYER)


@pytest.fixture
def matter(lawyer):
    matter = MatterFactory()
    grant(lawyer, matter, "view_matter")
    grant(lawyer, matter, "change_matter")
    return matter


def _finding(review, **fields) -> Finding:
    defaults = {"fingerprint": f"fp-{Finding.objects.count()}", "rule_id": "r", "category": "Governing Law", "kind": "present",
                "title": "t", "detected_severity": "high", "severity": "high", "start": 0, "end": 10}  # fmt: skip
    return Finding.objects.create(review=review, **(defaults | fields))


def test_upload_stores_the_document_once_and_queues_a_review(lawyer, matter, playbook):
    first = services.submit_contract_review(actor=lawyer, matter=matter, name="msa.txt", data=CONTRACT, playbook=playbook)
    second = services.submit_contract_review(actor=lawyer, matter=matter, name="renamed.pdf", data=CONTRACT, playbook=playbook)
    assert first.state == ContractReview.State.QUEUED and first.playbook_version == playbook.current
    assert first.document == second.document and Document.objects.count() == 1
    assert first.document.kind == "txt" and first.document.text.startswith("MASTER SERVICES AGREEMENT")
    assert first.document.file.read() == CONTRACT
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions.count("document.uploaded") == 1 and actions.count("review.submitted") == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"\x00\x01\x02binary\x00" * 10, "unsupported_type"), (b"%PDF-1.7 garbage", "corrupt"),
     (b"PK\x03\x04 not really a zip", "corrupt")],
)  # fmt: skip
def test_bad_uploads_are_refused_and_change_nothing(lawyer, matter, playbook, data, code):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.submit_contract_review(actor=lawyer, matter=matter, name="x.pdf", data=data, playbook=playbook)
    assert refusal.value.code in {code, "unsupported_type", "corrupt"} and refusal.value.messages[0]
    assert Document.objects.count() == 0 and ContractReview.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_upload_form_shows_the_reason(client, lawyer, matter, playbook):
    client.force_login(lawyer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("contracts:matter-detail", args=[matter.pk]),
                           {"file": SimpleUploadedFile("scan.pdf", b""), "playbook": playbook.pk})  # fmt: skip
    assert response.status_code == 200 and ContractReview.objects.count() == 0
    assert "upload-error" in response.content.decode() or "empty" in response.content.decode().lower()


def test_seeing_a_matter_is_not_enough_to_upload(matter, playbook):
    viewer = UserFactory(role=Role.RISK_OFFICER)
    grant(viewer, matter, "view_matter")
    with pytest.raises(PermissionDenied):
        services.submit_contract_review(actor=viewer, matter=matter, name="a.txt", data=CONTRACT, playbook=playbook)
    assert Document.objects.count() == 0


def test_triage_actions_are_recorded_and_checked(lawyer, matter, playbook):
    review = services.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=CONTRACT, playbook=playbook)
    finding = _finding(review)
    with pytest.raises(ValidationError):
        services.triage_finding(actor=lawyer, finding=finding, action="dismiss", reason="  ")
    services.triage_finding(actor=lawyer, finding=finding, action="change_severity", severity="low")
    services.triage_finding(actor=lawyer, finding=finding, action="dismiss", reason="standard clause for us")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED and finding.severity == "low" and finding.detected_severity == "high"
    events = AuditEvent.objects.filter(object_type="contracts.finding", object_id=str(finding.pk)).order_by("seq")
    assert [e.action for e in events] == ["finding.severity_changed", "finding.dismissed"]
    assert events[0].payload["to_severity"] == "low" and events[0].matter_id == matter.pk


def test_missed_finding_must_quote_the_text(lawyer, matter, playbook):
    review = services.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=CONTRACT, playbook=playbook)
    with pytest.raises(ValidationError):
        services.add_missed_finding(actor=lawyer, review=review, category="Insurance", start=5, end=10**6, severity="low", comment="x")
    text = review.document.text
    start = text.index("Liability shall")
    finding = services.add_missed_finding(actor=lawyer, review=review, category="Cap on Liability", start=start,
                                          end=start + 20, severity="medium", comment="cap too low")  # fmt: skip
    assert finding.quote == text[start : start + 20] and finding.source == Finding.Source.LAWYER
    # Every category the form offers is accepted, Japanese practice's and an NDA's too.
    services.add_missed_finding(actor=lawyer, review=review, category="Anti-Social Forces", start=0, end=9,
                                severity="high", comment="反社条項がない")  # fmt: skip
    with pytest.raises(ValidationError):
        services.add_missed_finding(actor=lawyer, review=review, category="Made Up", start=0, end=9, severity="low",
                                    comment="x")  # fmt: skip


def test_dashboard_rates_from_triage(client, lawyer, matter, playbook):
    review = services.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=CONTRACT, playbook=playbook)
    kept, wrong, also_kept = _finding(review), _finding(review), _finding(review, category="Insurance")
    for finding in (kept, also_kept):
        services.triage_finding(actor=lawyer, finding=finding, action="confirm")
    services.triage_finding(actor=lawyer, finding=wrong, action="dismiss", reason="not a problem")
    services.add_missed_finding(actor=lawyer, review=review, category="Governing Law", start=0, end=9, severity="low", comment="missed")

    rates = selectors.triage_rates(lawyer)
    law = next(row for row in rates["by_category"] if row["category"] == "Governing Law")
    assert (law["confirmed"], law["dismissed"], law["missed"]) == (1, 1, 1)
    assert law["false_positive_rate"] == 0.5 and law["miss_rate"] == 0.5
    playbook_row = rates["by_playbook"][0]
    assert playbook_row["false_positive_rate"] == pytest.approx(1 / 3) and playbook_row["miss_rate"] == pytest.approx(1 / 3)
    # Someone without the matter sees none of it.
    assert selectors.triage_rates(UserFactory())["by_category"] == []
    client.force_login(lawyer)
    page = client.get(reverse("contracts:dashboard")).content.decode()
    assert "50%" in page and "33%" in page


def test_api_upload_status_findings_and_triage_respect_matter_access(client, lawyer, matter, playbook):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lawyer)
    response = client.post(reverse("review-list"), {"matter": matter.pk, "playbook": playbook.name,
                                                    "file": SimpleUploadedFile("msa.txt", CONTRACT)})  # fmt: skip
    assert response.status_code == 201, response.content
    review_id = response.json()["id"]
    assert client.get(reverse("review-detail", args=[review_id])).json()["state"] == "queued"
    finding = _finding(ContractReview.objects.get(pk=review_id))
    assert client.get(reverse("review-findings", args=[review_id])).json()[0]["quote"] == CONTRACT.decode()[:10]
    triaged = client.post(reverse("finding-triage", args=[finding.pk]), {"action": "dismiss", "reason": "fine"},
                          content_type="application/json")  # fmt: skip
    assert triaged.status_code == 200 and triaged.json()["status"] == "dismissed"
    bad = client.post(reverse("finding-triage", args=[finding.pk]), {"action": "dismiss"}, content_type="application/json")
    assert bad.status_code == 400

    bad_upload = client.post(reverse("review-list"), {"matter": matter.pk, "playbook": playbook.name,
                                                      "file": SimpleUploadedFile("e.txt", b"\x00\x00binary\x00")})  # fmt: skip
    assert bad_upload.status_code == 400 and ContractReview.objects.count() == 1

    outsider = UserFactory(role=Role.LAWYER)
    client.force_login(outsider)
    for url in [reverse("review-detail", args=[review_id]), reverse("review-findings", args=[review_id]),
                reverse("finding-detail", args=[finding.pk])]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("finding-triage", args=[finding.pk]), {"action": "confirm"}).status_code == 404
    assert client.post(reverse("review-list"), {"matter": matter.pk, "playbook": playbook.name,
                                                "file": SimpleUploadedFile("m.txt", CONTRACT)}).status_code == 404  # fmt: skip
    for name in ["contracts:review-detail", "contracts:review-progress"]:
        assert client.get(reverse(name, args=[review_id])).status_code == 404


def test_review_page_escapes_contract_text(client, lawyer, matter, playbook):
    hostile = b"<script>alert(1)</script> MASTER AGREEMENT governed by the laws of Texas."
    review = services.submit_contract_review(actor=lawyer, matter=matter, name="x.txt", data=hostile, playbook=playbook)
    review.state = ContractReview.State.DONE
    review.save()
    _finding(review, start=0, end=20)
    client.force_login(lawyer)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert AuditEvent.objects.filter(action="document.viewed", object_id=str(review.document_id)).exists()


def test_our_side_is_stored_shown_and_audited(client, lawyer, matter, playbook):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lawyer)
    response = client.post(reverse("contracts:matter-detail", args=[matter.pk]),
                           {"file": SimpleUploadedFile("nda.txt", CONTRACT), "playbook": playbook.pk, "our_side": " 乙 "})  # fmt: skip
    review = ContractReview.objects.get()
    assert response.status_code == 302 and review.our_side == "乙"
    assert AuditEvent.objects.get(action="review.submitted").payload["our_side"] == "乙"
    page = client.get(reverse("contracts:review-detail", args=[review.pk])).content.decode()
    assert "乙" in page


def test_an_unexpected_failure_tells_the_reader_in_their_language_and_the_trail_its_type(lawyer, matter, playbook):
    from django.utils import translation

    from reviews.contracts.runs import CONTRACT_REVIEW
    from reviews.review_runs import run_claimed

    review = services.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=CONTRACT, playbook=playbook)

    def broken(_review):
        raise ValueError("a bug")

    assert run_claimed(CONTRACT_REVIEW, review.pk, task_id="t-1", work=broken) == "failed"
    review.refresh_from_db()
    assert review.state == ContractReview.State.FAILED
    event = AuditEvent.objects.get(action="review.failed")
    assert event.payload["error_type"] == "ValueError" and "a bug" not in event.payload["reason"]
    with translation.override("ja"):
        assert review.status_text.startswith("予期しないエラー")
