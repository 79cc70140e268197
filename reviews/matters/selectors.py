"""Reads of matters: the ones a person may see, who holds which grant on one, and its history."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from audit.models import AuditEvent
from reviews.matters.models import Matter, MatterGroupObjectPermission, MatterUserObjectPermission

# Which matters a list shows: the default leaves the closed ones out.
LIST_STATES = ("open", "closed", "all")
HISTORY_LENGTH = 50


def matters_for_user(user, right: str = "view_matter") -> QuerySet[Matter]:
    """The matters on which the user or their groups hold the right (grants only: see reviews.matters.access)."""
    return get_objects_for_user(
        user, f"matters.{right}", klass=Matter, accept_global_perms=False, with_superuser=False
    ).select_related("owner")


def matter_list_for_user(user, state: str = "open") -> QuerySet[Matter]:
    """The matters a list shows the user: the open ones unless `state` asks for the closed ones or all."""
    matters = matters_for_user(user)
    if state == "closed":
        return matters.filter(closed_at__isnull=False)
    if state == "all":
        return matters
    return matters.filter(closed_at__isnull=True)


def matter_for_user(user, pk: int) -> Matter:
    """One matter the user may see; any other id is a 404, so its existence is not revealed."""
    return get_object_or_404(matters_for_user(user), pk=pk)


def matter_grants(matter: Matter) -> dict[str, list[dict]]:
    """Who holds which permissions directly on a matter, by user and by group (two queries)."""
    def collect(rows, holder: str) -> list[dict]:
        grouped: dict[int, dict] = {}
        for row in rows:
            grantee = getattr(row, holder)
            entry = grouped.setdefault(grantee.pk, {"grantee": grantee, "permissions": []})
            entry["permissions"].append(row.permission.codename)
        return sorted(grouped.values(), key=lambda entry: str(entry["grantee"]))

    users = MatterUserObjectPermission.objects.filter(content_object=matter).select_related("user", "permission")
    groups = MatterGroupObjectPermission.objects.filter(content_object=matter).select_related("group", "permission")
    return {"users": collect(users, "user"), "groups": collect(groups, "group")}


def matter_history(matter: Matter) -> QuerySet[AuditEvent]:
    """The matter's latest audit events, newest first (the audit explorer has the rest)."""
    return AuditEvent.objects.filter(matter_id=matter.pk).order_by("-seq")[:HISTORY_LENGTH]
