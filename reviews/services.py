from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import record_event
from reviews.models import Matter

# What a grant may give on a matter: see it and its contents, work in it, or manage who else may.
MATTER_PERMISSIONS = ("view_matter", "change_matter", "manage_matter_access")


def _grantee_fields(grantee) -> dict:
    kind = "group" if isinstance(grantee, Group) else "user"
    label = grantee.name if kind == "group" else grantee.get_username()
    return {"grantee_type": kind, "grantee_id": grantee.pk, "grantee": label}


def _require_access_manager(actor, matter: Matter) -> None:
    if not (actor.is_superuser or actor.has_perm("reviews.manage_matter_access", matter)):
        raise PermissionDenied("Only a matter's access managers may change who can see it.")


@transaction.atomic
def create_matter(*, actor, reference: str, title: str, owner, client: str = "") -> Matter:
    """Open a matter; its owner may see it, work in it and manage its access from the start."""
    matter = Matter(reference=reference, title=title, client=client, owner=owner)
    matter.full_clean()
    matter.save()
    record_event(action="matter.created", actor=actor, target=matter, payload={"reference": reference})
    for permission in MATTER_PERMISSIONS:
        assign_perm(f"reviews.{permission}", owner, matter)
    record_event(
        action="permission.granted",
        actor=actor,
        target=matter,
        payload={**_grantee_fields(owner), "permissions": list(MATTER_PERMISSIONS), "reason": "owner"},
    )
    return matter


@transaction.atomic
def grant_matter_access(*, actor, matter: Matter, grantee, permissions: tuple[str, ...] = ("view_matter",)) -> None:
    _require_access_manager(actor, matter)
    unknown = set(permissions) - set(MATTER_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown matter permissions: {sorted(unknown)}")
    for permission in permissions:
        assign_perm(f"reviews.{permission}", grantee, matter)
    record_event(
        action="permission.granted",
        actor=actor,
        target=matter,
        payload={**_grantee_fields(grantee), "permissions": list(permissions)},
    )


@transaction.atomic
def revoke_matter_access(*, actor, matter: Matter, grantee, reason: str = "") -> None:
    """Remove every permission the user or group holds directly on the matter."""
    _require_access_manager(actor, matter)
    for permission in MATTER_PERMISSIONS:
        remove_perm(f"reviews.{permission}", grantee, matter)
    record_event(
        action="permission.revoked",
        actor=actor,
        target=matter,
        payload={**_grantee_fields(grantee), "reason": reason[:500]},
    )
