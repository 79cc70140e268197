"""Reads of approval flows: what a user may see, their inbox, an object's status and trail."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from audit.approvals.models import ApprovalDecision, ApprovalFlow
from audit.approvals.snapshots import REGISTRY, hash_of


def flows_for_user(user) -> QuerySet[ApprovalFlow]:
    """The flows on objects the user may see (each kind decides its own visibility, in SQL)."""
    visible = Q(pk__in=[])
    for entry in REGISTRY.values():
        content_type = ContentType.objects.get_for_model(entry.model)
        visible |= Q(content_type=content_type, object_id__in=entry.visible(user).values("pk"))
    return ApprovalFlow.objects.filter(visible).select_related(
        "content_type", "submitted_by", "current_step__group"
    )


def flow_for_user(user, pk: int) -> ApprovalFlow:
    return get_object_or_404(flows_for_user(user), pk=pk)


def inbox(user) -> QuerySet[ApprovalFlow]:
    """Open flows whose current step is for one of the user's groups, not submitted by them nor decided by them."""
    return (
        flows_for_user(user)
        .filter(state=ApprovalFlow.State.SUBMITTED, current_step__group__in=user.groups.all())
        .exclude(submitted_by=user)
        .exclude(decisions__actor=user)
        .order_by("current_step__due_at", "pk")
    )


def flows_of(obj: models.Model) -> QuerySet[ApprovalFlow]:
    return ApprovalFlow.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


@dataclass(frozen=True)
class ApprovalStatus:
    code: str  # "none", a flow state, or "stale"
    label: str
    flow: ApprovalFlow | None

    @property
    def stale(self) -> bool:
        return self.code == "stale"


def approval_status(obj: models.Model) -> ApprovalStatus:
    """The state of the object's latest flow; "stale" when the object no longer hashes as it was decided on."""
    flow = flows_of(obj).first()
    if flow is None:
        return ApprovalStatus("none", _("Not submitted for approval"), None)
    if flow.state == ApprovalFlow.State.APPROVED:
        last = flow.decisions.exclude(decision=ApprovalDecision.Decision.REVOKE).last()
        if last is not None and last.object_hash != hash_of(obj):
            return ApprovalStatus("stale", _("Stale — changed after approval"), flow)
    elif flow.state == ApprovalFlow.State.SUBMITTED and flow.object_hash != hash_of(obj):
        return ApprovalStatus("stale", _("Stale — changed after submission"), flow)
    return ApprovalStatus(flow.state, flow.get_state_display(), flow)


@dataclass(frozen=True)
class TrailEntry:
    when: datetime
    who: str
    what: str
    why: str
    flow_id: int
    step: str
    object_hash: str


def trail(obj: models.Model) -> list[TrailEntry]:
    """Every submission, decision and expiry on the object, oldest first."""
    entries = []
    flows = (
        flows_of(obj)
        .select_related("submitted_by")
        .prefetch_related("steps", "decisions__actor", "decisions__step")
    )
    for flow in flows:
        entries.append(TrailEntry(flow.submitted_at, flow.submitted_by.get_username(), _("Submitted"), flow.note,
                                  flow.pk, "", flow.object_hash))  # fmt: skip
        for decision in flow.decisions.all():
            entries.append(TrailEntry(
                decision.decided_at, decision.actor.get_username(), decision.get_decision_display(), decision.reason,
                flow.pk, decision.step.name if decision.step else "", decision.object_hash,
            ))  # fmt: skip
        if flow.state == ApprovalFlow.State.EXPIRED:
            expired = [step for step in flow.steps.all() if step.state == step.State.EXPIRED]
            for step in expired:
                entries.append(TrailEntry(flow.closed_at, "system", _("Expired"), _("The deadline passed."), flow.pk,
                                          step.name, ""))  # fmt: skip
    return sorted(entries, key=lambda entry: entry.when)


def object_for_user(user, kind: str, pk: int) -> models.Model:
    """An approvable object by its kind's short name; unknown kinds and objects the user may not see are 404."""
    entry = REGISTRY.get(kind)
    if entry is None:
        raise Http404
    return get_object_or_404(entry.visible(user), pk=pk)
