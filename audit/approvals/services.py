"""Submitting objects for approval and deciding on them; every change is one audit event in its transaction.

Separation of duties is enforced here: the submitter decides on no step, nor does anyone the object's kind
names as having prepared it (a model version's registrar, evaluator and proposer), and nobody decides on two
steps (or twice on one step) of the same flow. A completed flow does what its kind says (a model version's
proposed approval takes effect) in the same transaction.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.approvals.models import ApprovalDecision, ApprovalFlow, ApprovalStep
from audit.approvals.snapshots import approvable_for, hash_of
from audit.services import record_event

Decision = ApprovalDecision.Decision
FlowState = ApprovalFlow.State
StepState = ApprovalStep.State

# What a flow and its deciding step become after a closing decision.
_CLOSING = {
    Decision.REJECT: (FlowState.REJECTED, StepState.REJECTED),
    Decision.REQUEST_CHANGES: (FlowState.CHANGES_REQUESTED, StepState.CHANGES_REQUESTED),
}


def may_see(user, obj: models.Model) -> bool:
    return approvable_for(obj).visible(user).filter(pk=obj.pk).exists()


def _require_visible(user, obj: models.Model) -> None:
    # Someone who may not see the object learns nothing about it, not even that it exists.
    if not may_see(user, obj):
        raise Http404


def _event(action: str, *, flow: ApprovalFlow, obj: models.Model, actor=None, system: str = "", **payload):
    record_event(
        action=action, actor=actor, system=system, target=obj, matter_id=flow.matter_id,
        payload={"flow": flow.pk, **payload},
    )  # fmt: skip


def _notify(step: ApprovalStep, obj: models.Model) -> None:
    """Mail the members of the step's group who may see the object (after commit: only if it happened)."""
    members = [
        user for user in step.group.user_set.filter(is_active=True).exclude(email="") if may_see(user, obj)
    ]
    recipients = [user.email for user in members if user.pk != step.flow.submitted_by_id]
    if not recipients:
        return
    subject = _("Approval awaits your decision: %(kind)s #%(id)s") % {
        "kind": approvable_for(obj).label,
        "id": obj.pk,
    }
    message = _("Step “%(step)s” of approval flow #%(flow)s awaits your decision until %(due)s: %(url)s") % {
        "step": step.name, "flow": step.flow_id, "due": step.due_at.isoformat(timespec="minutes"),
        "url": settings.APPROVAL_BASE_URL + reverse("approvals:flow", args=[step.flow_id]),
    }  # fmt: skip
    transaction.on_commit(lambda: send_mail(subject, message, None, recipients, fail_silently=True))


def _open_step(step: ApprovalStep, obj: models.Model) -> None:
    step.state = StepState.CURRENT
    step.due_at = timezone.now() + timedelta(days=settings.APPROVAL_STEP_DAYS)
    step.save(update_fields=["state", "due_at"])
    step.flow.current_step = step
    step.flow.save(update_fields=["current_step"])
    _notify(step, obj)


def _close(flow: ApprovalFlow, state: str) -> None:
    flow.state = state
    flow.current_step = None
    flow.closed_at = timezone.now()
    flow.save(update_fields=["state", "current_step", "closed_at"])
    flow.steps.filter(state__in=[StepState.WAITING, StepState.CURRENT]).update(state=StepState.CANCELLED)


def open_flow(obj: models.Model) -> ApprovalFlow | None:
    content_type = ContentType.objects.get_for_model(obj)
    return ApprovalFlow.objects.filter(
        content_type=content_type, object_id=obj.pk, state=FlowState.SUBMITTED
    ).first()


@transaction.atomic
def submit(
    *, actor, obj: models.Model, note: str = "", steps: list[tuple[str, str, int]] | None = None
) -> ApprovalFlow:
    """Start a flow for `obj` with its default steps, or `steps` as (group name, step name, approvals needed).

    An open flow for an object that has since changed is revoked and replaced; one for the unchanged object
    is refused.
    """
    entry = approvable_for(obj)
    _require_visible(actor, obj)
    if not entry.may_submit(actor, obj):
        raise PermissionDenied(
            _("Only people who may change this %(kind)s may submit it.") % {"kind": entry.label}
        )
    if not entry.ready(obj):
        raise ValidationError(_("This %(kind)s is not finished: it cannot be submitted yet.") % {"kind": entry.label},
                              code="not_ready")  # fmt: skip
    current_hash = hash_of(obj)
    previous = open_flow(obj)
    if previous is not None:
        if previous.object_hash == current_hash:
            raise ValidationError(
                _("This %(kind)s already awaits approval.") % {"kind": entry.label}, code="open"
            )
        _revoke(previous, obj, actor=actor, reason=_("Changed after submission; submitted again."))
    wanted = steps or [(role.value, str(name), 1) for role, name in entry.steps]
    groups = {
        group.name: group for group in Group.objects.filter(name__in=[group for group, _n, _r in wanted])
    }
    missing = sorted({group for group, _n, _r in wanted} - set(groups))
    if missing:
        raise ValidationError(_("No such group: %(names)s") % {"names": ", ".join(missing)}, code="group")
    if any(required < 1 for _g, _n, required in wanted):
        raise ValidationError(_("A step needs at least one approval."), code="required")
    matter = entry.matter_of(obj)
    flow = ApprovalFlow.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, matter=matter,
        object_hash=current_hash, note=note.strip(), submitted_by=actor,
    )  # fmt: skip
    created = ApprovalStep.objects.bulk_create(
        ApprovalStep(
            flow=flow, position=index, name=name[:100], group=groups[group], required_approvals=required
        )
        for index, (group, name, required) in enumerate(wanted, start=1)
    )
    _event("approval.submitted", flow=flow, obj=obj, actor=actor, hash=current_hash,
           steps=[[step.group.name, step.required_approvals] for step in created])  # fmt: skip
    _open_step(created[0], obj)
    return flow


def _check_may_decide(actor, flow: ApprovalFlow, step: ApprovalStep, obj: models.Model) -> None:
    if actor.pk == flow.submitted_by_id:
        raise PermissionDenied(_("The person who submitted this may not decide on it."))
    entry = approvable_for(obj)
    if actor.pk in entry.may_not_decide(obj):
        raise PermissionDenied(
            _("You prepared this %(kind)s: another person must decide on it.") % {"kind": entry.label}
        )
    if not actor.groups.filter(pk=step.group_id).exists():
        raise PermissionDenied(
            _("Only members of %(group)s may decide on this step.") % {"group": step.group.name}
        )
    earlier = (
        flow.decisions.filter(actor=actor).exclude(decision=Decision.REVOKE).select_related("step").first()
    )
    if earlier is not None:
        if earlier.step_id == step.pk:
            raise PermissionDenied(_("You have already decided on this step."))
        raise PermissionDenied(
            _("You decided on step “%(step)s” of this flow: one person may not decide on two steps.")
            % {"step": earlier.step.name}
        )


def _barred(step: ApprovalStep) -> set[int]:
    """Who may not decide the step: the submitter, the object's preparers, anyone who decided in this flow."""
    flow, obj = step.flow, step.flow.content_object
    return approvable_for(obj).may_not_decide(obj) | {flow.submitted_by_id} | set(
        flow.decisions.exclude(decision=Decision.REVOKE).values_list("actor_id", flat=True)
    )


def deciders_left(step: ApprovalStep) -> int:
    """How many active members of the step's group could still approve it: members who may see the object and
    are not barred."""
    obj = step.flow.content_object
    members = step.group.user_set.filter(is_active=True).exclude(pk__in=_barred(step))
    return sum(1 for member in members if may_see(member, obj))


def approvals_missing(step: ApprovalStep) -> int:
    return step.required_approvals - step.decisions.filter(decision=Decision.APPROVE).count()


def is_unstaffed(step: ApprovalStep) -> bool:
    """A current step its group can no longer complete: fewer people left to decide than approvals missing."""
    return step.state == StepState.CURRENT and deciders_left(step) < approvals_missing(step)


def flag_unstaffed_steps(*, groups, people) -> list[ApprovalStep]:
    """After `people` left `groups` (a leaver, a role change, an access review's revocation): record and mail the
    admins each waiting step that their leaving left with no one to complete it, so that someone staffs the group.
    A step nobody could decide before they left is not news of their leaving."""
    steps = ApprovalStep.objects.filter(
        state=StepState.CURRENT, flow__state=FlowState.SUBMITTED, group__in=groups
    ).select_related("flow", "group")
    flagged = []
    for step in steps:
        obj, barred = step.flow.content_object, _barred(step)
        deciders = sorted(person.get_username() for person in people
                          if person.pk not in barred and may_see(person, obj))  # fmt: skip
        if not deciders or not is_unstaffed(step):
            continue
        _event("approval.step_unstaffed", flow=step.flow, obj=obj, system="approvals", step=step.position,
               step_name=step.name, group=step.group.name, left=deciders_left(step),
               missing=approvals_missing(step), people_left=deciders)  # fmt: skip
        _mail_admins_unstaffed(step)
        flagged.append(step)
    return flagged


def _mail_admins_unstaffed(step: ApprovalStep) -> None:
    admins = Group.objects.filter(name=Role.ADMIN.value).first()
    recipients = list(admins.user_set.filter(is_active=True).exclude(email="").values_list("email", flat=True)) \
        if admins else []
    if not recipients:
        return
    subject = _("No one left to decide approval flow #%(flow)s") % {"flow": step.flow_id}
    message = _("Step “%(step)s” of approval flow #%(flow)s needs %(missing)s more approval(s), but %(group)s "
                "has no one left who may give them. Add a member to the group, or revoke the flow: %(url)s") % {
        "step": step.name, "flow": step.flow_id, "missing": approvals_missing(step), "group": step.group.name,
        "url": settings.APPROVAL_BASE_URL + reverse("approvals:flow", args=[step.flow_id]),
    }  # fmt: skip
    transaction.on_commit(lambda: send_mail(subject, message, None, recipients, fail_silently=True))


def may_decide(user, flow: ApprovalFlow) -> bool:
    """Whether the user may decide on the flow's current step now (for showing the form)."""
    if flow.state != FlowState.SUBMITTED or flow.current_step is None:
        return False
    try:
        _check_may_decide(user, flow, flow.current_step, flow.content_object)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def decide(*, actor, flow: ApprovalFlow, decision: str, reason: str) -> ApprovalDecision:
    """A decision on the flow's current step: approve, reject or request changes, always with a reason."""
    flow = ApprovalFlow.objects.select_for_update().get(pk=flow.pk)
    obj = flow.content_object
    _require_visible(actor, obj)
    decision = Decision(decision)
    if decision is Decision.REVOKE:
        raise ValidationError(_("Revoke a flow with its own action."), code="decision")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the decision."), code="reason")
    if flow.state != FlowState.SUBMITTED or flow.current_step is None:
        raise ValidationError(_("This flow is %(state)s: it takes no more decisions.")
                              % {"state": flow.get_state_display()}, code="closed")  # fmt: skip
    step = flow.current_step
    _check_may_decide(actor, flow, step, obj)
    current_hash = hash_of(obj)
    if current_hash != flow.object_hash:
        raise ValidationError(
            _("The %(kind)s changed after it was submitted: it must be submitted again.")
            % {"kind": approvable_for(obj).label}, code="stale",
        )  # fmt: skip
    if step.due_at is not None and step.due_at <= timezone.now():
        raise ValidationError(_("The deadline of this step has passed."), code="expired")
    made = ApprovalDecision.objects.create(
        flow=flow, step=step, decision=decision, actor=actor, reason=reason, object_hash=current_hash
    )
    _event(f"approval.{decision.value}", flow=flow, obj=obj, actor=actor, step=step.position,
           step_name=step.name, reason=reason[:500], hash=current_hash)  # fmt: skip
    if decision in _CLOSING:
        flow_state, step_state = _CLOSING[decision]
        step.state = step_state
        step.save(update_fields=["state"])
        _close(flow, flow_state)
        return made
    if step.decisions.filter(decision=Decision.APPROVE).count() < step.required_approvals:
        return made
    step.state = StepState.APPROVED
    step.save(update_fields=["state"])
    following = flow.steps.filter(position__gt=step.position).first()
    if following is not None:
        _open_step(following, obj)
    else:
        _close(flow, FlowState.APPROVED)
        _event("approval.completed", flow=flow, obj=obj, actor=actor, hash=current_hash)
        approvable_for(obj).on_approved(obj, actor)
    return made


def _revoke(flow: ApprovalFlow, obj: models.Model, *, actor, reason: str) -> ApprovalDecision:
    was_approved = flow.state == FlowState.APPROVED
    made = ApprovalDecision.objects.create(
        flow=flow, step=flow.current_step, decision=Decision.REVOKE, actor=actor, reason=reason,
        object_hash=hash_of(obj),
    )  # fmt: skip
    _close(flow, FlowState.REVOKED)
    _event("approval.revoked", flow=flow, obj=obj, actor=actor, reason=reason[:500], hash=made.object_hash)
    if was_approved:
        approvable_for(obj).on_revoked(obj, actor, reason)
    return made


def may_revoke(user, flow: ApprovalFlow) -> bool:
    """The submitter may withdraw an open flow; a member of any of its groups may revoke an open or approved one."""
    if flow.state == FlowState.SUBMITTED and user.pk == flow.submitted_by_id:
        return True
    return (
        flow.state in {FlowState.SUBMITTED, FlowState.APPROVED}
        and user.groups.filter(pk__in=flow.steps.values("group_id")).exists()
    )


@transaction.atomic
def revoke(*, actor, flow: ApprovalFlow, reason: str) -> ApprovalDecision:
    flow = ApprovalFlow.objects.select_for_update().get(pk=flow.pk)
    obj = flow.content_object
    _require_visible(actor, obj)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the revocation."), code="reason")
    if not may_revoke(actor, flow):
        raise PermissionDenied(_("You may not revoke this approval."))
    return _revoke(flow, obj, actor=actor, reason=reason)


@transaction.atomic
def expire_overdue(*, now=None) -> int:
    """Mark flows whose current step passed its deadline as expired (the beat job); returns how many."""
    now = now or timezone.now()
    overdue = (
        ApprovalFlow.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=FlowState.SUBMITTED, current_step__due_at__lte=now)
        .select_related("current_step")
    )
    count = 0
    for flow in overdue:
        step = flow.current_step
        step.state = StepState.EXPIRED
        step.save(update_fields=["state"])
        _close(flow, FlowState.EXPIRED)
        _event("approval.expired", flow=flow, obj=flow.content_object, system="approvals.expire",
               step=step.position, step_name=step.name, due_at=step.due_at.isoformat())  # fmt: skip
        count += 1
    return count
