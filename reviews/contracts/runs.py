"""Running a contract review in a worker: claim, check the model, classify, apply the playbook, ask the LLM
for explanations on masked text, save.

Each state change is one transaction with its audit event. Findings are saved idempotently, so a task that
is delivered twice, or retried after a crash, never duplicates them.
"""

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.services import record_event
from licenses.gate import require_model
from licenses.llm import llm_client
from licenses.uses import Use
from reviews import pseudonyms
from reviews.contracts.models import ContractReview, Finding
from reviews.review_runs import RunKind, give_up, run_claimed
from worker.clauses import ClauseClassifier
from worker.explanations import Explanation, explain
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


@transaction.atomic
def _finish(review: ContractReview, outcome: ReviewOutcome, classifier_info: dict,
            explanations: dict[int, Explanation], mapping: dict[str, str]) -> None:  # fmt: skip
    for index, draft in enumerate(outcome.findings):
        said = explanations.get(index)
        Finding.objects.get_or_create(
            review=review,
            fingerprint=_fingerprint(draft.rule_id, draft.start, draft.end),
            defaults={
                "rule_id": draft.rule_id, "category": draft.category, "kind": str(draft.kind), "title": draft.title,
                "detected_severity": str(draft.severity), "severity": str(draft.severity), "start": draft.start,
                "end": draft.end, "score": draft.score, "explanation": draft.explanation, "fallback": draft.fallback,
                "parsed": draft.parsed, "llm_explanation": said.explanation if said else "",
                "llm_fallback": said.fallback if said else "", "llm_model": said.model if said else "",
            },
        )  # fmt: skip
    review.state, review.stage, review.progress = ContractReview.State.DONE, "done", 100
    review.finished_at, review.classifier = timezone.now(), classifier_info
    review.pseudonyms = pseudonyms.seal(mapping) if mapping else None
    review.save(update_fields=["state", "stage", "progress", "finished_at", "classifier", "pseudonyms"])
    by_severity: dict[str, int] = {}
    for draft in outcome.findings:
        by_severity[str(draft.severity)] = by_severity.get(str(draft.severity), 0) + 1
    record_event(
        action="review.completed", system=SYSTEM, target=review,
        payload={"findings": len(outcome.findings), "by_severity": by_severity, "spans": len(outcome.spans),
                 "classifier_sha256": classifier_info.get("sha256", ""), "explained": len(explanations)},
    )  # fmt: skip


CONTRACT_REVIEW = RunKind(
    ContractReview.objects.select_related("document", "playbook_version"),
    events="review", system=SYSTEM, stage=gettext_noop("starting"), progress=5,
)  # fmt: skip


def run_contract_review(review_id: int, *, task_id: str) -> str:
    return run_claimed(CONTRACT_REVIEW, review_id, task_id=task_id, work=_review)


def _review(review: ContractReview) -> None:
    classifier = ClauseClassifier.load()  # once per worker process
    info = {"name": classifier.info.name, "version": classifier.info.version, "sha256": classifier.info.sha256}
    require_model(
        model_name=info["name"], version=info["version"], use=Use.CLAUSE_EXTRACTION, weights_sha256=info["sha256"],
        system=SYSTEM,
    )  # fmt: skip
    report = _progress(review.pk)
    playbook = Playbook.model_validate(review.playbook_version.rules)
    outcome = review_text(review.document.text, playbook, classifier=classifier, side=review.our_side or None,
                          progress=report)  # fmt: skip
    explanations, mapping = {}, {}
    if settings.REVIEW_LLM_EXPLANATIONS and outcome.findings:
        report(gettext_noop("explaining flags"), 85)
        session = shared_masker().session()
        explanations = explain(review.document.text, outcome.findings, session=session, client=llm_client(),
                               use=Use.CONTRACT_REVIEW, matter_id=review.matter_id,
                               limit=settings.REVIEW_LLM_MAX_FLAGS)  # fmt: skip
        mapping = dict(session.mapping)
    _finish(review, outcome, info, explanations, mapping)


def give_up_waiting(review_id: int) -> None:
    give_up(CONTRACT_REVIEW, review_id)
