"""A whole counterparty review, and a list import started from the UI, through a real Celery worker."""

import time

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from licenses.seed import seed_register
from reviews.counterparties import lists, services
from reviews.counterparties.models import CounterpartyReview, ListVersion, SanctionsImport
from tests.counterparties.lists_data import OFAC_PUBLISHED, OFAC_SMALL, UN_SMALL
from tests.factories import MatterFactory, UserFactory, grant
from tests.helpers import wait_until_finished

EXTRACT = b"""COMPANIES REGISTRY - EXTRACT
Company: Korea Mining Development Trading Corporation (KOMID)
Registered office: Pyongyang. Director: Ri Won Ho, born 17 July 1964, passport 381310014.
Shareholder: undisclosed nominee.
"""


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_counterparty_review_runs_in_a_worker(celery_worker_process):
    seed_register()  # approves the embedded model, for counterparty review too, as the demo does
    lists.import_file("ofac-sdn-csv", OFAC_SMALL, published=OFAC_PUBLISHED, system="tests")
    lists.import_file("un-xml", UN_SMALL, system="tests")
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Korea Mining Development Trading",
                                                kind="organisation", country="KP")  # fmt: skip
    services.add_related_person(actor=lawyer, counterparty=counterparty, name="Ri Won Ho", role="director",
                                date_of_birth="1964-07-17", nationality="KP")  # fmt: skip

    review = services.submit_counterparty_review(actor=lawyer, counterparty=counterparty,
                                                 documents=[("extract.txt", EXTRACT)],
                                                 answers={"ownership_unclear": True})  # fmt: skip
    review = wait_until_finished(CounterpartyReview, review.pk)

    assert review.state == CounterpartyReview.State.DONE, review.status_text
    screening = review.screenings.get()
    assert screening.decision == "match"
    assert {("director", "6908555"), ("name", "110")} <= set(
        screening.hits.values_list("subject_role", "entry_id")
    )
    assert review.proposed_rating == "prohibited"
    assert review.documents.get().sha256
    # Then the documents go to the LLM (masked) for a summary; what it wrote, if valid, is labelled with its model.
    review = _wait_for_summary(review.pk)
    assert review.summary_state in {"written", "failed"}
    called = AuditEvent.objects.filter(action="llm.called", payload__use="counterparty_review")
    assert called.exists()
    assert "Ri Won Ho" not in review.summary
    assert bool(review.summary) == bool(review.llm_model)
    assert (
        AuditEvent.objects.filter(action="counterparty_review.completed", object_id=str(review.pk)).count()
        == 1
    )

    from reviews.counterparties.tasks import run_counterparty_review

    assert run_counterparty_review.delay(review.pk).get(timeout=60) == "not claimed"
    assert review.screenings.count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_import_from_the_ui_runs_in_a_worker_and_a_bad_file_is_refused(celery_worker_process):
    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    good = services.request_sanctions_import(
        actor=officer, file_format="un-xml", name="un.xml", data=UN_SMALL
    )
    bad = services.request_sanctions_import(
        actor=officer, file_format="un-xml", name="bad.xml", data=UN_SMALL[:-30]
    )

    good, bad = wait_until_finished(SanctionsImport, good.pk), wait_until_finished(SanctionsImport, bad.pk)

    assert (good.state, good.progress) == ("done", 100) and good.version.entry_count == 2
    assert bad.state == "failed" and "line 1, column" in bad.status_text
    assert ListVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="sanctions.import_refused").count() == 1


def _wait_for_summary(review_id: int, timeout: float = 180) -> CounterpartyReview:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        review = CounterpartyReview.objects.get(pk=review_id)
        if review.summary_state != "queued":
            return review
        time.sleep(0.3)
    raise TimeoutError(f"the summary of review {review_id} still pending after {timeout:.0f}s")
