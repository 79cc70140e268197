"""Access-review campaigns: snapshot every matter grant, let owners certify or revoke, escalate, close.

Rights to a matter come only from grants, to the person or to a group (reviews.matters.access: no role and no
flag opens a matter), so the snapshot of both is every route there is. Nobody certifies their own access: an
owner's own grants go to a compliance officer. The snapshot is a few set-based statements whatever the number of
matters; a direct revocation goes through reviews.matters.services.revoke_matter_access, audited like any other
revoke; revoking a group route takes that person out of the group, never the group's grant from everyone in it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.access_reviews.models import AccessReviewCampaign, AccessReviewItem
from audit.services import record_event
from reviews.matters.models import Matter, MatterGroupObjectPermission, MatterUserObjectPermission
from reviews.matters.services import revoke_matter_access

Decision = AccessReviewItem.Decision


def is_campaign_manager(user) -> bool:
    return has_role(user, Role.COMPLIANCE_OFFICER)


def _require_campaign_manager(actor) -> None:
    if actor is not None and not is_campaign_manager(actor):
        raise PermissionDenied(_("Only compliance officers may run access-review campaigns."))


def _snapshot_sql() -> str:
    """One INSERT ... SELECT: direct grants, and group grants expanded through group membership."""
    User = get_user_model()
    tables = {
        "item": AccessReviewItem._meta.db_table,
        "matter": Matter._meta.db_table,
        "user_perm": MatterUserObjectPermission._meta.db_table,
        "group_perm": MatterGroupObjectPermission._meta.db_table,
        "membership": User.groups.through._meta.db_table,
        "group": Group._meta.db_table,
    }
    return """
        INSERT INTO {item} (campaign_id, matter_id, user_id, group_id, via, permissions, reviewer_id, decision,
                            reason)
        SELECT %(campaign)s, grants.matter_id, grants.user_id, grants.group_id, grants.via, grants.permissions,
               CASE WHEN grants.user_id = m.owner_id THEN COALESCE(%(officer)s, m.owner_id) ELSE m.owner_id END,
               %(pending)s, ''
        FROM (
            SELECT p.content_object_id AS matter_id, p.user_id, NULL::integer AS group_id, 'direct' AS via,
                   jsonb_agg(perm.codename ORDER BY perm.codename) AS permissions
            FROM {user_perm} p JOIN auth_permission perm ON perm.id = p.permission_id
            GROUP BY p.content_object_id, p.user_id
            UNION ALL
            SELECT gp.matter_id, ug.user_id, gp.group_id, 'group:' || g.name, gp.permissions
            FROM (
                SELECT p.content_object_id AS matter_id, p.group_id,
                       jsonb_agg(perm.codename ORDER BY perm.codename) AS permissions
                FROM {group_perm} p JOIN auth_permission perm ON perm.id = p.permission_id
                GROUP BY p.content_object_id, p.group_id
            ) gp
            JOIN {group} g ON g.id = gp.group_id
            JOIN {membership} ug ON ug.group_id = gp.group_id
        ) grants
        JOIN {matter} m ON m.id = grants.matter_id
    """.format(**tables)


def _officer_for_owners(actor) -> int | None:
    """Who reviews the owners' own access: the officer starting the campaign, or (scheduled) the first active one.
    With none, those items stay undecided and escalate."""
    if actor is not None:
        return actor.pk
    officers = get_user_model().objects.filter(groups__name=Role.COMPLIANCE_OFFICER.value, is_active=True)
    return officers.order_by("pk").values_list("pk", flat=True).first()


def may_decide(actor, item: AccessReviewItem) -> bool:
    """Its reviewer decides an item: the matter's owner for others' access to it, a compliance officer for the
    owner's own access or a leaver's items; nobody their own."""
    if item.reviewer_id != actor.pk or item.user_id == actor.pk:
        return False
    return (item.matter.owner_id == actor.pk and item.user_id != actor.pk) or is_campaign_manager(actor)


def _flags(campaign: AccessReviewCampaign) -> dict:
    """Dormant accounts and accounts reaching many matters, among the people in the snapshot."""
    User = get_user_model()
    in_campaign = User.objects.filter(pk__in=campaign.items.values("user_id"))
    since = campaign.started_at - timedelta(days=settings.ACCESS_REVIEW_DORMANT_DAYS)
    dormant = in_campaign.filter(Q(last_login__isnull=True) | Q(last_login__lt=since)).order_by("username")
    many = (
        campaign.items.values("user_id", "user__username")
        .annotate(matters=Count("matter_id", distinct=True))
        .filter(matters__gt=settings.ACCESS_REVIEW_MANY_MATTERS)
        .order_by("-matters", "user__username")
    )
    return {
        "dormant": [
            {"user_id": u.pk, "username": u.get_username(),
             "last_login": u.last_login.isoformat(timespec="minutes") if u.last_login else None}
            for u in dormant.only("pk", "username", "last_login")
        ],
        "many_matters": [
            {"user_id": row["user_id"], "username": row["user__username"], "matters": row["matters"]} for row in many
        ],
    }  # fmt: skip


@transaction.atomic
def request_campaign(*, actor, name: str = "") -> AccessReviewCampaign:
    """A campaign a compliance officer starts: recorded at once, its snapshot taken by a worker (tasks.py)."""
    from audit.access_reviews.tasks import take_snapshot  # the tasks module imports this one

    _require_campaign_manager(actor)
    campaign = _new_campaign(actor, name, state=AccessReviewCampaign.State.STARTING)
    record_event(action="access_review.requested", actor=actor, target=campaign, payload={"name": campaign.name})
    transaction.on_commit(lambda: take_snapshot.delay(campaign.pk))
    return campaign


@transaction.atomic
def start_campaign(*, actor=None, name: str = "", system: str = "") -> AccessReviewCampaign:
    """Create a campaign and take its snapshot in this process (the schedule's job, and the tests').

    `actor` is a compliance officer, or None when the schedule starts it (then `system` names the job).
    """
    _require_campaign_manager(actor)
    return snapshot(_new_campaign(actor, name, state=AccessReviewCampaign.State.STARTING), system=system)


def _new_campaign(actor, name: str, *, state: str) -> AccessReviewCampaign:
    now = timezone.now()
    name = name.strip() or _("Access review %(date)s") % {"date": now.date().isoformat()}
    return AccessReviewCampaign.objects.create(
        name=name[:200], started_by=actor, started_at=now, state=state,
        deadline=now + timedelta(days=settings.ACCESS_REVIEW_DAYS),
    )  # fmt: skip


@transaction.atomic
def snapshot(campaign: AccessReviewCampaign, *, system: str = "") -> AccessReviewCampaign:
    """Who can access which matter and why, each item to its reviewer; then the campaign is open."""
    campaign = AccessReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != AccessReviewCampaign.State.STARTING:
        return campaign  # a second delivery of the task
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql(), {"campaign": campaign.pk, "pending": Decision.PENDING,
                                         "officer": _officer_for_owners(campaign.started_by)})  # fmt: skip
        items = cursor.rowcount
    campaign.flags = _flags(campaign)
    campaign.state = AccessReviewCampaign.State.OPEN
    campaign.save(update_fields=["flags", "state"])
    record_event(
        action="access_review.started", actor=campaign.started_by, system=system, target=campaign,
        payload={"name": campaign.name, "items": items, "deadline": campaign.deadline.isoformat(),
                 "dormant": len(campaign.flags["dormant"]), "many_matters": len(campaign.flags["many_matters"])},
    )  # fmt: skip
    return campaign


def _locked_item(item: AccessReviewItem) -> AccessReviewItem:
    return (
        AccessReviewItem.objects.select_for_update(of=("self",))
        .select_related("campaign", "matter", "user", "group")
        .get(pk=item.pk)
    )


@transaction.atomic
def decide_item(*, actor, item: AccessReviewItem, decision: str, reason: str) -> AccessReviewItem:
    """Certify or revoke one item; a revocation ends that access before this returns.

    A group route is revoked by taking the person out of the group (the event lists the other matters the group
    reaches, which they leave too); the group's grant stays for its other members. A role's group is refused: that
    would change the person's role.
    """
    item = _locked_item(item)
    if not may_decide(actor, item):
        raise PermissionDenied(_("Only the matter's owner may decide this access, and nobody their own."))
    if item.campaign.state != AccessReviewCampaign.State.OPEN:
        raise ValidationError(_("This campaign is closed."), code="closed")
    if item.decision != Decision.PENDING:
        raise ValidationError(_("This access has already been decided."), code="decided")
    if decision not in {Decision.CERTIFIED, Decision.REVOKED}:
        raise ValidationError(_("Choose to certify or to revoke."), code="decision")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the decision."), code="reason")
    if decision == Decision.REVOKED:
        if item.via == "direct":
            revoke_matter_access(actor=actor, matter=item.matter, grantee=item.user, reason=reason)
        else:
            _remove_from_group(actor, item, reason)
    now = timezone.now()
    AccessReviewItem.objects.filter(pk=item.pk).update(
        decision=decision, reason=reason[:2000], decided_by=actor, decided_at=now
    )
    item.decision, item.reason, item.decided_by, item.decided_at = decision, reason[:2000], actor, now
    record_event(
        action=f"access_review.{decision}", actor=actor, target=item, matter_id=item.matter_id,
        payload={"campaign": item.campaign_id, "user_id": item.user_id, "user": item.user.get_username(),
                 "via": item.via, "permissions": item.permissions, "reason": reason[:500]},
    )  # fmt: skip
    return item


def _remove_from_group(actor, item: AccessReviewItem, reason: str) -> None:
    group = item.group
    if group is None:
        raise ValidationError(_("This group no longer exists."), code="group_gone")
    if group.name in {role.value for role in Role}:
        raise ValidationError(
            _("This access comes through the role group %(group)s: revoking it here would change the person's role. "
              "Ask an administrator to change the role, or the group's grant on the matter.") % {"group": group.name},
            code="role_group",
        )  # fmt: skip
    reached = sorted(MatterGroupObjectPermission.objects.filter(group=group).values_list("content_object_id", flat=True)
                     .distinct())  # fmt: skip
    item.user.groups.remove(group)
    record_event(action="group.member_removed", actor=actor, target=item.matter,
                 payload={"group": group.name, "user": item.user.get_username(), "user_id": item.user_id,
                          "reason": reason[:500], "matters_left": reached})  # fmt: skip


def hand_over_from_leaver(*, person, actor, **_signal) -> None:
    """accounts.services.person_deactivated: what waits on the leaver in open campaigns. Items about their access
    are decided as revoked (the deactivation removed it); items they were to review go to the matter's new owner,
    or to a compliance officer."""
    pending = AccessReviewItem.objects.filter(decision=Decision.PENDING, campaign__state=AccessReviewCampaign.State.OPEN)
    revoked = pending.filter(user=person).update(decision=Decision.REVOKED, reason="account deactivated",
                                                 decided_by=actor, decided_at=timezone.now())  # fmt: skip
    officer = _officer_for_owners(None)
    handed: dict[str, int] = {}
    for item in pending.filter(reviewer=person).select_related("matter__owner"):
        owner = item.matter.owner
        reviewer = owner.pk if owner.is_active and owner.pk not in (person.pk, item.user_id) else officer
        if reviewer is not None:
            AccessReviewItem.objects.filter(pk=item.pk).update(reviewer_id=reviewer)
            handed[str(reviewer)] = handed.get(str(reviewer), 0) + 1
    if revoked or handed:
        record_event(action="access_review.leaver_handed_over", actor=actor, target=person,
                     payload={"own_items_revoked": revoked, "items_handed_to": handed})  # fmt: skip


def _mail_compliance_officers(campaign: AccessReviewCampaign, overdue: int) -> None:
    recipients = list(
        get_user_model().objects.filter(groups__name=Role.COMPLIANCE_OFFICER.value, is_active=True)
        .exclude(email="").values_list("email", flat=True)
    )  # fmt: skip
    if not recipients:
        return
    subject = _("Access review overdue: %(name)s") % {"name": campaign.name}
    message = _("%(count)s access review items of “%(name)s” passed their deadline (%(due)s) undecided: %(url)s") % {
        "count": overdue, "name": campaign.name, "due": campaign.deadline.isoformat(timespec="minutes"),
        "url": settings.APPROVAL_BASE_URL + reverse("access_reviews:campaign", args=[campaign.pk]),
    }  # fmt: skip
    transaction.on_commit(lambda: send_mail(subject, message, None, recipients, fail_silently=True))


@transaction.atomic
def escalate_overdue(*, now=None) -> int:
    """Undecided items of open campaigns past their deadline: mark escalated, audit, mail compliance."""
    now = now or timezone.now()
    escalated = 0
    for campaign in AccessReviewCampaign.objects.select_for_update().filter(
        state=AccessReviewCampaign.State.OPEN, deadline__lt=now
    ):
        count = campaign.items.filter(decision=Decision.PENDING, escalated_at__isnull=True).update(
            escalated_at=now
        )
        if not count:
            continue
        record_event(
            action="access_review.escalated", system="access_reviews.escalate", target=campaign,
            payload={"items": count, "deadline": campaign.deadline.isoformat()},
        )  # fmt: skip
        _mail_compliance_officers(campaign, count)
        escalated += count
    return escalated


@transaction.atomic
def close_campaign(*, actor, campaign: AccessReviewCampaign) -> AccessReviewCampaign:
    """Close: undecided items become "not reviewed"; the record of every decision is counted and audited."""
    _require_campaign_manager(actor)
    campaign = AccessReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != AccessReviewCampaign.State.OPEN:
        raise ValidationError(_("This campaign is already closed."), code="closed")
    now = timezone.now()
    campaign.items.filter(decision=Decision.PENDING).update(decision=Decision.NOT_REVIEWED, decided_at=now)
    counts = dict(campaign.items.values_list("decision").annotate(n=Count("id")).order_by())
    campaign.summary = {value: counts.get(value, 0) for value in
                        (Decision.CERTIFIED, Decision.REVOKED, Decision.NOT_REVIEWED)}  # fmt: skip
    campaign.state, campaign.closed_by, campaign.closed_at = AccessReviewCampaign.State.CLOSED, actor, now
    campaign.save(update_fields=["summary", "state", "closed_by", "closed_at"])
    record_event(
        action="access_review.closed", actor=actor, target=campaign,
        payload={"name": campaign.name, **campaign.summary,
                 "escalated": campaign.items.filter(escalated_at__isnull=False).count()},
    )  # fmt: skip
    return campaign
