"""What a person's leaving does to matters: their grants go, the matters they own get a new owner or a flag.

Called by accounts.services.deactivate_person, inside its transaction. It lives here because grants and owners
are the matters' business; accounts stays unaware of how they are stored.
"""

from dataclasses import dataclass

from django.db import transaction

from audit.services import record_event
from reviews.matters.models import Matter, MatterUserObjectPermission
from reviews.matters.services import _grantee_fields, transfer_matter


@dataclass(frozen=True)
class Handover:
    owned: list[Matter]  # the matters the leaver was responsible for
    transferred: bool  # True: all went to the successor; False: each is flagged as needing a new owner
    revoked: list[Matter]  # the matters whose direct grants to the leaver were removed


@transaction.atomic
def hand_over_matters(*, actor, leaver, successor=None, reason: str) -> Handover:
    """Transfer the leaver's matters to the successor (or flag each one), then remove every grant they held.

    The actor is an administrator acting on matters they may not see themselves: the grants are removed directly
    (the rows revoke_matter_access removes, without its access-manager check), one audit event per matter.
    """
    owned = list(Matter.objects.filter(owner=leaver).order_by("reference"))
    for matter in owned:
        if successor is not None:
            transfer_matter(actor=actor, matter=matter, new_owner=successor, reason=reason)
        else:
            record_event(action="matter.needs_owner", actor=actor, target=matter, payload={
                "reference": matter.reference, "previous_owner_id": leaver.pk,
                "previous_owner": leaver.get_username(), "reason": reason[:500],
            })  # fmt: skip
    grants = MatterUserObjectPermission.objects.filter(user=leaver)
    revoked = list(Matter.objects.filter(pk__in=grants.values("content_object")).order_by("reference"))
    grants.delete()  # every codename, not only the ones the grant form offers
    for matter in revoked:
        record_event(action="permission.revoked", actor=actor, target=matter,
                     payload={**_grantee_fields(leaver), "reason": reason[:500]})  # fmt: skip
    return Handover(owned=owned, transferred=successor is not None and bool(owned), revoked=revoked)
