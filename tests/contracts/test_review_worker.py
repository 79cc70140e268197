"""A whole contract review through a real Celery worker: classifier, model gate, playbook, findings."""

import pytest
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from reviews.contracts import services
from reviews.contracts.models import ContractReview, Finding
from tests.factories import MatterFactory, UserFactory, grant
from tests.helpers import SHARED_CONTRACT, wait_for_explanations, wait_for_review


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_review_runs_in_a_worker_and_saves_findings_once(celery_worker_process, approved_clause_model, msa_playbook):
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    grant(lawyer, matter, "view_matter")
    data = SHARED_CONTRACT.read_bytes()

    review = services.submit_contract_review(actor=lawyer, matter=matter, name=SHARED_CONTRACT.name, data=data,
                                             playbook=msa_playbook)  # fmt: skip
    review = wait_for_review(review.pk)

    assert review.state == ContractReview.State.DONE, review.status_text
    assert review.progress == 100 and review.classifier["sha256"] == approved_clause_model.weights_sha256
    findings = list(review.findings.all())
    assert findings, "the shared contract breaks at least one MSA position"
    text = review.document.text
    for finding in findings:
        if finding.start is not None:
            assert finding.quote == text[finding.start : finding.end] and finding.quote.strip()
    assert AuditEvent.objects.filter(action="review.completed", object_id=str(review.pk)).count() == 1

    # A second delivery of the same review (a retried task) neither runs again nor duplicates findings.
    from reviews.contracts.tasks import run_contract_review

    assert run_contract_review.delay(review.pk).get(timeout=60) == "not claimed"
    assert Finding.objects.filter(review=review).count() == len(findings)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_unapproved_classifier_blocks_the_review_with_nothing_half_saved(celery_worker_process, registered_clause_model,
                                                                         msa_playbook):  # fmt: skip
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    review = services.submit_contract_review(actor=lawyer, matter=matter, name="c.txt", data=SHARED_CONTRACT.read_bytes(),
                                             playbook=msa_playbook)  # fmt: skip
    review = wait_for_review(review.pk)

    assert review.state == ContractReview.State.BLOCKED
    with translation.override("en"):  # the register's refusal, in the reader's language
        assert "is not approved for clause extraction (status: pending)" in review.status_text
    with translation.override("ja"):
        assert "条項抽出には承認されていません（状態: 承認待ち）" in review.status_text
    assert review.findings.count() == 0
    assert AuditEvent.objects.filter(action="model.gate_refused").exists()
    assert AuditEvent.objects.filter(action="review.blocked", object_id=str(review.pk)).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_japanese_contract_is_reviewed_in_a_worker_from_our_side(celery_worker_process, approved_clause_model):
    from pathlib import Path

    from reviews.contracts.models import Playbook
    from reviews.contracts.playbooks import load_shipped_playbooks

    load_shipped_playbooks()
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    grant(lawyer, matter, "view_matter")
    data = (Path(__file__).parents[1] / "worker" / "data" / "nda_ja_one_sided.txt").read_bytes()

    review = services.submit_contract_review(actor=lawyer, matter=matter, name="秘密保持契約書.txt", data=data,
                                             playbook=Playbook.objects.get(name="NDA (ja)"), our_side="乙")  # fmt: skip
    review = wait_for_review(review.pk)

    assert review.state == ContractReview.State.DONE, review.status_text
    by_rule = {f.rule_id: f for f in review.findings.all()}
    unlimited = by_rule["ja-nda-no-unlimited-damages"]
    assert unlimited.severity == "high" and unlimited.quote == "乙は、本契約に違反した場合、甲に生じた一切の損害を無制限に賠償する。"
    assert unlimited.fallback.startswith("甲及び乙は")  # the playbook's own Japanese wording
    assert "ja-nda-no-auto-renewal" in by_rule
    assert not {"ja-nda-governing-law-present", "ja-nda-term"} & by_rule.keys()
    # The embedded LLM is asked to explain the flags, on masked text, once the review is done.
    wait_for_explanations(review.pk)
    assert AuditEvent.objects.filter(action="llm.called").exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_no_model_answering_the_flags_come_at_once_and_the_explanations_when_one_answers(
    celery_worker_process, worker_llm, approved_clause_model, msa_playbook, client
):
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    grant(lawyer, matter, "view_matter")
    worker_llm.answering = False  # every LLM endpoint is down
    try:
        review = services.submit_contract_review(actor=lawyer, matter=matter, name=SHARED_CONTRACT.name,
                                                 data=SHARED_CONTRACT.read_bytes(), playbook=msa_playbook)  # fmt: skip
        review = wait_for_review(review.pk)
        assert review.state == ContractReview.State.DONE, review.status_text
        assert review.findings.filter(severity__in=["high", "medium"]).exists()
        assert review.findings.filter(explanation_state="queued").exists()
        client.force_login(lawyer)
        page = client.get(review.get_absolute_url()).content.decode()
        assert 'data-testid="explanation-pending"' in page and 'data-testid="finding"' in page
    finally:
        worker_llm.answering = True  # the server is back: the task's next retry writes the explanations

    review = wait_for_explanations(review.pk)
    written = review.findings.filter(explanation_state="written")
    assert written.exists() and all(f.llm_explanation for f in written)
    assert 'data-testid="llm-explanation"' in client.get(review.get_absolute_url()).content.decode()

