"""What each approvable object is: how it is hashed, its matter, who may see and submit it, its default steps,
who else may not decide on it and what its approval does.

A decision records the hash of the object's snapshot; the same object hashing differently later means it
changed after the decision (the approval is stale).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from licenses.models import ModelVersion, StatusProposal
from licenses.services import apply_proposal, is_steward, may_not_approve, open_proposal, withdraw_approval
from reviews.contracts.models import ContractReview, TriageAction
from reviews.contracts.selectors import reviews_for_user
from reviews.counterparties.models import CounterpartyReview
from reviews.counterparties.selectors import counterparty_reviews_for_user
from reviews.matters import access
from reviews.matters.models import Matter


@dataclass(frozen=True)
class Approvable:
    kind: str  # the short name in URLs
    model: type[models.Model]
    label: Any  # lazy, human-readable
    snapshot: Callable[[Any], Any]  # JSON-serialisable description of what is decided on
    matter_of: Callable[[Any], "Matter | None"]
    visible: Callable[[Any], QuerySet]  # user -> the objects of this kind the user may see
    may_submit: Callable[[Any, Any], bool]  # (user, object) -> bool
    ready: Callable[[Any], bool]  # whether the object is in a state that can be submitted
    steps: tuple[tuple[Role, Any], ...]  # (group, step name) in order
    url: Callable[[Any], str]  # the object's own page
    # Besides the submitter: the ids of people who prepared the object and so may not decide on it.
    may_not_decide: Callable[[Any], set[int]] = lambda obj: set()
    # What the completed flow does (in its transaction, as the last approver): nothing but the record by default.
    on_approved: Callable[[Any, Any], Any] = lambda obj, approver: None
    # What revoking the completed flow undoes (in its transaction): nothing but the record by default.
    on_revoked: Callable[[Any, Any, str], Any] = lambda obj, actor, reason: None


def object_hash(snapshot: Any) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def _contract_review_snapshot(review: ContractReview) -> dict:
    findings = [
        [f.pk, f.rule_id, f.severity, f.status, f.start, f.end] for f in review.findings.order_by("pk")
    ]
    triage = list(
        TriageAction.objects.filter(finding__review=review)
        .order_by("pk")
        .values_list("pk", "finding_id", "action", "from_severity", "to_severity", "reason", "actor_id")
    )
    return {"findings": findings, "triage": [list(row) for row in triage]}


def _counterparty_review_snapshot(review: CounterpartyReview) -> dict:
    hits = sorted(
        [hit.list_name, hit.entry_id, hit.subject, round(hit.score, 6), hit.decision]
        for screening in review.screenings.all()
        for hit in screening.hits.all()
    )
    return {"rating": review.rating, "reason": review.rating_reason, "hits": hits}


def _model_version_snapshot(version: ModelVersion) -> dict:
    """The proposed approval and what it rests on; applying it keeps the hash, a later block or new text does not."""
    proposal = version.proposals.first()
    proposed = proposal and {
        "id": proposal.pk, "to": proposal.to_status, "uses": sorted(proposal.uses),
        "evaluation_run": proposal.evaluation_run_id, "override_reason": proposal.override_reason,
        "stands": proposal.state == StatusProposal.State.OPEN
        or (proposal.state == StatusProposal.State.APPLIED and version.status == proposal.to_status),
    }  # fmt: skip
    latest_text = version.license.texts.order_by("-number").first()
    return {
        "proposal": proposed,
        "weights_sha256": version.weights_sha256,
        "license_text": latest_text.number if latest_text else None,
    }


def _steward_versions(user) -> QuerySet[ModelVersion]:
    return ModelVersion.objects.all() if is_steward(user) else ModelVersion.objects.none()


REGISTRY: dict[str, Approvable] = {
    entry.kind: entry
    for entry in (
        Approvable(
            kind="contract-review", model=ContractReview, label=_("contract review"),
            snapshot=_contract_review_snapshot, matter_of=lambda review: review.matter,
            visible=reviews_for_user,
            may_submit=lambda user, review: access.may_work_in(user, review.matter),
            ready=lambda review: review.state == ContractReview.State.DONE,
            steps=((Role.LAWYER, _("Legal")), (Role.RISK_OFFICER, _("Risk"))),
            url=lambda review: review.get_absolute_url(),
        ),
        Approvable(
            kind="counterparty-rating", model=CounterpartyReview, label=_("counterparty rating"),
            snapshot=_counterparty_review_snapshot, matter_of=lambda review: review.counterparty.matter,
            visible=counterparty_reviews_for_user,
            may_submit=lambda user, review: access.may_work_in(user, review.counterparty.matter),
            ready=lambda review: review.state == CounterpartyReview.State.RATED,
            steps=((Role.RISK_OFFICER, _("Risk")), (Role.COMPLIANCE_OFFICER, _("Compliance"))),
            url=lambda review: review.get_absolute_url(),
        ),
        Approvable(
            kind="model-version", model=ModelVersion, label=_("model version"),
            snapshot=_model_version_snapshot, matter_of=lambda version: None,
            visible=_steward_versions,
            may_submit=lambda user, version: is_steward(user),
            ready=lambda version: open_proposal(version) is not None,  # a steward proposed approving it
            steps=((Role.MODEL_STEWARD, _("Model steward")),),
            url=lambda version: reverse("licenses:version-detail", args=[version.pk]),
            may_not_decide=may_not_approve,
            on_approved=lambda version, approver: apply_proposal(approver=approver, model_version=version),
            on_revoked=lambda version, actor, reason: withdraw_approval(actor=actor, model_version=version,
                                                                          reason=reason),  # fmt: skip
        ),
    )
}  # fmt: skip


def approvable_for(obj: models.Model) -> Approvable:
    for entry in REGISTRY.values():
        if isinstance(obj, entry.model):
            return entry
    raise LookupError(f"{obj._meta.label} is not approvable")


def hash_of(obj: models.Model) -> str:
    return object_hash(approvable_for(obj).snapshot(obj))
