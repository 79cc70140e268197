"""Running a contract review in a worker: claim, check the clause model, classify, apply the playbook, save the
flags: the review is done. Then, as a step of its own that the flags never wait for, ask the LLM to explain the
most severe flags on masked text, one flag at a time, each saved as it arrives.

Each state change is one transaction with its audit event. Findings are saved idempotently, so a task that
is delivered twice, or retried after a crash, never duplicates them, and an explanation is written once.
"""

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.services import record_event
from licenses.clause_model import approved_clause_classifier
from licenses.llm import llm_client
from licenses.uses import Use
from reviews import pseudonyms
from reviews.contracts.models import ContractReview, Finding
from reviews.review_runs import ModelText, RunKind, run_claimed
from worker.explanations import Explanation, explain
from worker.model_gate import ModelNotApproved
from worker.pii import shared_masker
from worker.pipeline import ReviewOutcome, review_text
from worker.playbook import Playbook

SYSTEM = "run_contract_review"


def _progress(review_id: int):
    def report(stage: str, percent: int) -> None:
        ContractReview.objects.filter(pk=review_id).update(stage=stage, progress=percent)

    return report


def _fingerprint(rule_id: str, start: int | None, end: int | None) -> str:
    return hashlib.sha256(f"{rule_id}:{start}:{end}".encode()).hexdigest()


def _explanation_states(outcome: ReviewOutcome) -> list[str]:
    """Queued for the REVIEW_LLM_MAX_FLAGS most severe flags that quote the text; skipped for the others."""
    states = [ModelText.SKIPPED] * len(outcome.findings)
    if settings.REVIEW_LLM_EXPLANATIONS:
        quoted = sorted((i for i, d in enumerate(outcome.findings) if d.start is not None),
                        key=lambda i: outcome.findings[i].severity.rank)  # fmt: skip
        for index in quoted[: settings.REVIEW_LLM_MAX_FLAGS]:
            states[index] = ModelText.QUEUED
    return states


@transaction.atomic
def _finish(review: ContractReview, outcome: ReviewOutcome, classifier_info: dict) -> None:
    states = _explanation_states(outcome)
    for draft, state in zip(outcome.findings, states):
        Finding.objects.get_or_create(
            review=review,
            fingerprint=_fingerprint(draft.rule_id, draft.start, draft.end),
            defaults={
                "rule_id": draft.rule_id, "category": draft.category, "kind": str(draft.kind), "title": draft.title,
                "detected_severity": str(draft.severity), "severity": str(draft.severity), "start": draft.start,
                "end": draft.end, "score": draft.score, "explanation": draft.explanation, "fallback": draft.fallback,
                "parsed": draft.parsed, "explanation_state": state,
            },
        )  # fmt: skip
    review.state, review.stage, review.progress = ContractReview.State.DONE, "done", 100
    review.finished_at, review.classifier = timezone.now(), classifier_info
    review.save(update_fields=["state", "stage", "progress", "finished_at", "classifier"])
    by_severity: dict[str, int] = {}
    for draft in outcome.findings:
        by_severity[str(draft.severity)] = by_severity.get(str(draft.severity), 0) + 1
    queued = states.count(ModelText.QUEUED)
    record_event(
        action="review.completed", system=SYSTEM, target=review,
        payload={"findings": len(outcome.findings), "by_severity": by_severity, "spans": len(outcome.spans),
                 "classifier_sha256": classifier_info.get("sha256", ""), "explanations_queued": queued},
    )  # fmt: skip
    if queued:
        from reviews.contracts.tasks import explain_findings  # the tasks module imports this one

        transaction.on_commit(lambda: explain_findings.delay(review.pk))


CONTRACT_REVIEW = RunKind(
    ContractReview.objects.select_related("document", "playbook_version"),
    events="review", system=SYSTEM, stage=gettext_noop("starting"), progress=5,
)  # fmt: skip


def run_contract_review(review_id: int, *, task_id: str) -> str:
    return run_claimed(CONTRACT_REVIEW, review_id, task_id=task_id, work=_review)


def _review(review: ContractReview) -> None:
    classifier = approved_clause_classifier(system=SYSTEM)  # unpickled once per worker process, asked every time
    info = {"name": classifier.info.name, "version": classifier.info.version, "sha256": classifier.info.sha256}
    playbook = Playbook.model_validate(review.playbook_version.rules)
    outcome = review_text(review.document.text, playbook, classifier=classifier, side=review.our_side or None,
                          progress=_progress(review.pk))  # fmt: skip
    _finish(review, outcome, info)


def explain_queued(review_id: int) -> None:
    """Ask the LLM for the review's queued explanations, most severe flag first, saving each as it comes.

    NoModelAvailable propagates with the rest still queued: the task retries later. A register refusal skips
    the rest, with the reason in the audit trail.
    """
    review = ContractReview.objects.select_related("document").get(pk=review_id)
    queued = sorted(review.findings.filter(explanation_state=ModelText.QUEUED),
                    key=lambda f: Finding.Severity.rank(f.severity))  # fmt: skip
    if not queued:
        return
    session = shared_masker().session(pseudonyms.unseal(review.pseudonyms))
    client = llm_client()
    for finding in queued:
        try:
            said = explain(review.document.text, finding, session=session, client=client, use=Use.CONTRACT_REVIEW,
                           matter_id=review.matter_id, user_id=review.requested_by_id)  # fmt: skip
        except ModelNotApproved as refusal:
            settle_explanations(review_id, ModelText.SKIPPED, reason=refusal.message)
            return
        _save_explanation(review, finding, said, session.mapping)


@transaction.atomic
def _save_explanation(review: ContractReview, finding: Finding, said: Explanation | None,
                      mapping: dict[str, str]) -> None:  # fmt: skip
    state = ModelText.WRITTEN if said else ModelText.FAILED
    written = Finding.objects.filter(pk=finding.pk, explanation_state=ModelText.QUEUED).update(
        explanation_state=state, llm_explanation=said.explanation if said else "",
        llm_fallback=said.fallback if said else "", llm_model=said.model if said else "",
    )  # fmt: skip
    if not written:
        return  # another delivery of the task wrote it first
    if mapping:
        ContractReview.objects.filter(pk=review.pk).update(pseudonyms=pseudonyms.seal(mapping))
    record_event(action=f"finding.explanation_{state}", system=SYSTEM, target=finding,
                 payload={"review_id": review.pk, "model": said.model if said else ""})  # fmt: skip


@transaction.atomic
def settle_explanations(review_id: int, state: str, *, reason: str) -> None:
    """End every explanation still queued (no model answered through every retry, or the register refuses)."""
    settled = Finding.objects.filter(review_id=review_id, explanation_state=ModelText.QUEUED).update(
        explanation_state=state
    )
    if settled:
        record_event(action=f"review.explanations_{state}", system=SYSTEM, target=ContractReview.objects.get(pk=review_id),
                     payload={"findings": settled, "reason": reason})  # fmt: skip
