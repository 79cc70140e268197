"""Reads of matters: the ones a person may see, and who holds which grant on one."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from reviews.matters.models import Matter, MatterGroupObjectPermission, MatterUserObjectPermission


def matters_for_user(user, right: str = "view_matter") -> QuerySet[Matter]:
    """The matters on which the user or their groups hold the right (grants only: see reviews.matters.access)."""
    return get_objects_for_user(
        user, f"matters.{right}", klass=Matter, accept_global_perms=False, with_superuser=False
    ).select_related("owner")


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
