import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.approvals import services as approvals
from audit.models import AuditEvent
from licenses import services
from licenses.models import Status
from licenses.selectors import DiffSegment, word_diff
from tests.factories import UserFactory
from tests.licenses.conftest import approve, make_version

pytestmark = pytest.mark.django_db


def test_word_diff_marks_changed_words_and_keeps_spacing():
    segments = word_diff("You may use the model.\nNo more.", "You may not use the model.\nNo more.")
    assert DiffSegment("insert", "not ") in segments or DiffSegment("insert", " not") in segments
    assert "".join(s.text for s in segments if s.op != "insert") == "You may use the model.\nNo more."
    assert "".join(s.text for s in segments if s.op != "delete") == "You may not use the model.\nNo more."


def test_word_diff_of_a_replaced_word():
    assert word_diff("700M users", "500M users") == [
        DiffSegment("delete", "700M"), DiffSegment("insert", "500M"), DiffSegment("equal", " users")
    ]  # fmt: skip


def test_punctuation_does_not_hide_an_unchanged_word():
    assert word_diff("the Materials.", "the Materials freely.") == [
        DiffSegment("equal", "the Materials"), DiffSegment("insert", " freely"), DiffSegment("equal", ".")
    ]  # fmt: skip


def test_a_new_text_sends_running_versions_back_to_review(steward, apache):
    services.add_license_text(actor=steward, license=apache, text="Use freely.", retrieved_on="2026-01-01")
    running = approve(make_version(apache, version="1"), steward)
    blocked = make_version(apache, version="2")
    services.change_status(actor=steward, model_version=blocked, to_status=Status.BLOCKED, reason="no")

    text = services.add_license_text(
        actor=steward, license=apache, text="Use freely, except to train rivals.", retrieved_on="2026-02-01"
    )

    running.refresh_from_db()
    blocked.refresh_from_db()
    assert text.number == 2 and len(text.sha256) == 64
    assert (running.status, running.approved_uses) == (Status.PENDING, [])
    assert blocked.status == Status.BLOCKED  # only runnable versions fall back
    assert AuditEvent.objects.filter(action="license.text_added", payload__number=2).exists()
    fallback = AuditEvent.objects.filter(
        action="model_version.status_changed", object_id=str(running.pk)
    ).first()
    assert fallback.payload["to"] == "pending" and "version 2" in fallback.payload["reason"]


def test_an_identical_or_empty_text_changes_nothing(steward, apache):
    services.add_license_text(actor=steward, license=apache, text="Same.", retrieved_on="2026-01-01")
    for text in ("Same.", "  "):
        with pytest.raises(ValidationError):
            services.add_license_text(actor=steward, license=apache, text=text, retrieved_on="2026-01-02")
    assert apache.texts.count() == 1


def test_the_diff_page_escapes_the_texts(client, steward, apache):
    services.add_license_text(actor=steward, license=apache, text="Plain terms.", retrieved_on="2026-01-01")
    services.add_license_text(
        actor=steward,
        license=apache,
        text="Plain <script>alert(1)</script> terms.",
        retrieved_on="2026-01-02",
    )
    client.force_login(steward)
    page = client.get(reverse("licenses:license-diff", args=[apache.pk])).content.decode()
    assert "<script>alert" not in page
    assert '<ins class="severity-bg-low"> &lt;script&gt;alert(1)&lt;/script&gt;</ins>' in page


def test_the_version_page_flags_a_changed_text_until_reviewed(client, steward, apache):
    services.add_license_text(actor=steward, license=apache, text="v1", retrieved_on="2026-01-01")
    version = approve(make_version(apache), steward)
    client.force_login(steward)
    url = reverse("licenses:version-detail", args=[version.pk])
    assert 'data-testid="text-changed"' not in client.get(url).content.decode()

    response = client.post(
        reverse("licenses:license-text-add", args=[apache.pk]), {"text": "v2", "retrieved_on": "2026-02-01"}
    )
    assert response.status_code == 302 and response.url == reverse("licenses:license-diff", args=[apache.pk])
    assert 'data-testid="text-changed"' in client.get(url).content.decode()

    client.post(
        reverse("licenses:version-status", args=[version.pk]),
        {"to_status": "approved", "reason": "diff ok", "evaluation_run": version.evaluation_runs.get().pk},
    )
    assert 'data-testid="text-changed"' in client.get(url).content.decode()  # reviewed once a second steward approves
    client.post(reverse("approvals:submit", args=["model-version", version.pk]), {"note": "new text"})
    approvals.decide(
        actor=UserFactory(role=Role.MODEL_STEWARD), flow=approvals.open_flow(version), decision="approve", reason="ok"
    )
    version.refresh_from_db()
    assert version.status == Status.APPROVED and version.reviewed_text.number == 2
    assert 'data-testid="text-changed"' not in client.get(url).content.decode()
