"""The counterparty review and access review reports: what each must hold, and who may export them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from audit.access_reviews.models import AccessReviewCampaign, AccessReviewItem
from audit.access_reviews.services import decide_item, start_campaign
from audit.approvals import services as approvals
from audit.models import AuditEvent
from audit.reports.base import BadTarget
from audit.reports.services import export_report
from reviews.counterparties.models import (
    CounterpartyReview,
    ListVersion,
    SanctionsList,
    Screening,
    ScreeningHit,
)
from reviews.counterparties.services import (
    add_related_person,
    create_counterparty,
    rate_counterparty,
    submit_counterparty_review,
)
from tests.factories import MatterFactory, UserFactory, grant
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db
Decision = AccessReviewItem.Decision


def _text(report) -> str:
    return pdf_text(report.path.read_bytes()).replace("\n", " ")


@pytest.fixture
def counterparty_review(lawyer):
    """A screened, rated counterparty review submitted for approval and approved at its first step."""
    matter = MatterFactory(title="Project Kiku 菊")
    grant(lawyer, matter)
    grant(lawyer, matter, "change_matter")
    counterparty = create_counterparty(actor=lawyer, matter=matter, name="Orion Trading 株式会社", kind="organisation",
                                       aliases=["Orion KK"], country="JP")  # fmt: skip
    add_related_person(actor=lawyer, counterparty=counterparty, name="Ivan Petrov", role="director")
    review = submit_counterparty_review(actor=lawyer, counterparty=counterparty)
    # What the worker would write: the screening against a list version, and the proposed rating.
    version = ListVersion.objects.create(sanctions_list=SanctionsList.objects.create(name="OFAC SDN (reports)"),
                                         published="2026-11-01", file_format="ofac-sdn-csv", sha256="d" * 64,
                                         entry_count=1234, is_current=True)  # fmt: skip
    screening = Screening.objects.create(counterparty=counterparty, review=review, decision="review", best_score=0.87,
                                         thresholds={"match": 0.95, "review": 0.8})  # fmt: skip
    screening.list_versions.add(version)
    ScreeningHit.objects.create(
        screening=screening, subject="Ivan Petrov", subject_role="director", list_name="OFAC SDN (reports)",
        entry_id="SDN-4711", name="PETROV, Ivan Ilyich", score=0.87, decision="review",
        why={"name_pair": {"listed": "PETROV, Ivan Ilyich", "listed_as": "primary name", "method": "tokens",
                           "similarity": 0.91},
             "adjustments": [{"kind": "birth", "delta": -0.04, "detail": "birth year unknown on the list"}]},
    )  # fmt: skip
    CounterpartyReview.objects.filter(pk=review.pk).update(
        state=CounterpartyReview.State.DONE, proposed_rating="high",
        rating_basis=["screening: a possible sanctions list hit to review"],
    )  # fmt: skip
    review = rate_counterparty(
        actor=lawyer, review=review, rating="medium", reason="Namesake of the listed director"
    )
    flow = approvals.submit(actor=lawyer, obj=review, note="Please approve the rating")
    risk = UserFactory(role=Role.RISK_OFFICER)
    grant(risk, matter)
    approvals.decide(actor=risk, flow=flow, decision="approve", reason="Cleared against the passport copy")
    return review


def test_counterparty_report_holds_lists_hits_rating_and_approval_trail(counterparty_review, lawyer):
    report = export_report(kind="counterparty", which=str(counterparty_review.pk), user=lawyer)
    text = _text(report)
    for expected in [
        "Counterparty review report", "Orion Trading 株式会社", "Orion KK", "Project Kiku 菊", "Ivan Petrov",
        "OFAC SDN (reports)", "2026-11-01", "1234", "PETROV, Ivan Ilyich", "SDN-4711", "0.8700", "word by word",
        "birth year unknown on the list", "Screening: a possible sanctions list hit to review", "Medium",
        "Namesake of the listed director", "Please approve the rating", "Cleared against the passport copy",
        "counterparty.rated", "Contents",
    ]:  # fmt: skip
        assert expected in text, expected
    assert "d" * 64 in text.replace(" ", "")  # the list file's hash, wrapped in its column
    event = AuditEvent.objects.get(action="report.exported")
    assert event.payload["kind"] == "counterparty" and event.payload["which"] == str(counterparty_review.pk)


def test_counterparty_report_needs_access_to_the_matter(counterparty_review):
    with pytest.raises(Http404):
        export_report(
            kind="counterparty", which=str(counterparty_review.pk), user=UserFactory(role=Role.LAWYER)
        )
    assert not AuditEvent.objects.filter(action="report.exported").exists()


@pytest.fixture
def campaign():
    """A campaign on one matter past its deadline: alice certified and bob revoked in time, carol escalated
    undecided, dave certified late."""
    owner = UserFactory(username="owner", role=Role.LAWYER)
    matter = MatterFactory(owner=owner, title="Project Fuji")
    for permission in ("view_matter", "change_matter", "manage_matter_access"):
        grant(owner, matter, permission)
    people = [UserFactory(username=name, role=Role.LAWYER) for name in ("alice", "bob", "carol", "dave")]
    for user in people:
        grant(user, matter)
    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    campaign = start_campaign(actor=officer, name="Q4 access review")
    items = {item.user.username: item for item in campaign.items.filter(via="direct").select_related("user")}
    decide_item(
        actor=owner, item=items["alice"], decision=Decision.CERTIFIED, reason="Still on the deal team"
    )
    decide_item(actor=owner, item=items["bob"], decision=Decision.REVOKED, reason="Left the deal")
    # The deadline passes just after those two decisions.
    AccessReviewCampaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now())
    AccessReviewItem.objects.filter(pk=items["carol"].pk).update(escalated_at=timezone.now())
    decide_item(actor=owner, item=items["dave"], decision=Decision.CERTIFIED, reason="Back from leave")
    campaign.officer = officer
    return campaign


def test_access_review_report_holds_campaign_decisions_and_overdue_items(campaign):
    text = _text(export_report(kind="access-review", which=str(campaign.pk), user=campaign.officer))
    for expected in ["Access review report", "Q4 access review", "Still on the deal team", "Left the deal",
                     "Certified", "Revoked", "Overdue items", "carol", "Contents"]:  # fmt: skip
        assert expected in text, expected
    overdue = text[text.rindex("Overdue items") :]  # the chapter, after the contents' line
    assert "carol" in overdue and "dave" in overdue and "Left the deal" not in overdue
    assert "alice" not in overdue and "bob" not in overdue  # decided in time: not overdue


def test_access_review_report_is_for_compliance_officers(campaign):
    with pytest.raises(PermissionDenied):
        export_report(kind="access-review", which=str(campaign.pk), user=UserFactory(role=Role.LAWYER))
    assert not AuditEvent.objects.filter(action="report.exported").exists()


def test_unknown_ids_are_refused_clearly(lawyer):
    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    with pytest.raises(BadTarget, match="There is no access review campaign 999999"):
        export_report(kind="access-review", which="999999", user=officer)
    with pytest.raises(BadTarget, match="needs the review's id"):
        export_report(kind="counterparty", which="abc", user=lawyer)
