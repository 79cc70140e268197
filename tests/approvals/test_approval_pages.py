"""The approval pages: inbox, object page, submit and decide forms, 404 for people who may not see."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from audit.approvals import services
from audit.approvals.models import ApprovalDecision, ApprovalFlow

pytestmark = pytest.mark.django_db


def test_submit_decide_and_read_the_trail_through_the_pages(client, submitter, lawyer, risk, review):
    client.force_login(submitter)
    object_page = reverse("approvals:object", args=["contract-review", review.pk])
    page = client.get(object_page)
    assert page.status_code == 200 and b'data-testid="submit-approval"' in page.content
    response = client.post(
        reverse("approvals:submit", args=["contract-review", review.pk]), {"note": "Ready"}
    )
    flow = ApprovalFlow.objects.get()
    assert response.status_code == 302 and response.url == reverse("approvals:flow", args=[flow.pk])
    assert client.get(object_page).url == response.url

    refused = client.post(reverse("approvals:decide", args=[flow.pk]), {"decision": "approve", "reason": "mine"},
                          follow=True)  # fmt: skip
    assert b"may not decide" in refused.content and not ApprovalDecision.objects.exists()

    client.force_login(lawyer)
    inbox = client.get(reverse("approvals:inbox"))
    assert reverse("approvals:flow", args=[flow.pk]).encode() in inbox.content
    assert b"Approvals" in inbox.content  # the navigation entry
    no_reason = client.post(
        reverse("approvals:decide", args=[flow.pk]), {"decision": "approve", "reason": ""}
    )
    assert no_reason.status_code == 400 and not ApprovalDecision.objects.exists()
    client.post(
        reverse("approvals:decide", args=[flow.pk]), {"decision": "approve", "reason": "Cap is fine"}
    )
    assert ApprovalDecision.objects.get().actor == lawyer

    client.force_login(risk)
    client.post(
        reverse("approvals:decide", args=[flow.pk]), {"decision": "approve", "reason": "Low exposure"}
    )
    page = client.get(reverse("approvals:flow", args=[flow.pk])).content.decode()
    assert 'data-status="approved"' in page
    trail = page[page.index('data-testid="approval-trail"') :]
    assert trail.index(submitter.username) < trail.index("Cap is fine") < trail.index("Low exposure")

    finding = review.findings.get()
    finding.severity = "high"
    finding.save()
    page = client.get(reverse("approvals:flow", args=[flow.pk])).content.decode()
    assert 'data-status="stale"' in page and "Stale — changed after approval" in page


def test_revoke_through_the_page_needs_a_reason(client, submitter, lawyer, risk, review):
    flow = services.submit(actor=submitter, obj=review)
    for decider in (lawyer, risk):
        services.decide(actor=decider, flow=flow, decision="approve", reason="Fine")
    client.force_login(risk)
    revoke = reverse("approvals:revoke", args=[flow.pk])
    assert client.post(revoke, {"reason": ""}).status_code == 400
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.APPROVED
    page = client.post(revoke, {"reason": "Client changed the deal"}, follow=True).content.decode()
    flow.refresh_from_db()
    assert flow.state == ApprovalFlow.State.REVOKED and "Approval revoked." in page


def test_people_who_may_not_see_the_object_get_404(client, submitter, outsider, review):
    flow = services.submit(actor=submitter, obj=review)
    client.force_login(outsider)
    for url in (
        reverse("approvals:flow", args=[flow.pk]),
        reverse("approvals:object", args=["contract-review", review.pk]),
        reverse("approvals:object", args=["no-such-kind", review.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("approvals:decide", args=[flow.pk]),
                       {"decision": "approve", "reason": "x"}).status_code == 404  # fmt: skip
    assert client.post(reverse("approvals:revoke", args=[flow.pk]), {"reason": "x"}).status_code == 404
    assert flow.decisions.count() == 0
    assert (
        reverse("approvals:flow", args=[flow.pk]).encode()
        not in client.get(reverse("approvals:inbox")).content
    )


def test_the_link_include_for_object_pages(review):
    html = render_to_string("approvals/_link.html", {"kind": "contract-review", "pk": review.pk})
    assert reverse("approvals:object", args=["contract-review", review.pk]) in html
