"""Writes to matters: open, transfer, close and reopen one, hold it, grant and revoke access, store a document.

Each is audited.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import record_event
from reviews.matters import access
from reviews.matters.models import Document, Matter
from worker.extraction import ExtractionError, extract_text

# What a grant may give on a matter: see it and its contents, work in it, or manage who else may.
MATTER_PERMISSIONS = ("view_matter", "change_matter", "manage_matter_access")


def _grantee_fields(grantee) -> dict:
    kind = "group" if isinstance(grantee, Group) else "user"
    label = grantee.name if kind == "group" else grantee.get_username()
    return {"grantee_type": kind, "grantee_id": grantee.pk, "grantee": label}


def _require_access_manager(actor, matter: Matter) -> None:
    if not access.may_manage_access(actor, matter):
        raise PermissionDenied("Only a matter's access managers may change who can see it.")


def require_work_access(actor, matter: Matter) -> None:
    """The check every write into a matter goes through: the right to work in it, and the matter still open."""
    if not access.may_work_in(actor, matter):
        raise PermissionDenied("Only people who work in this matter may change its reviews.")
    require_open(matter)


def require_open(matter: Matter) -> None:
    """A closed matter is read-only: also for writes that need a role rather than the right to work in it."""
    if matter.is_closed:  # a ValidationError: callers show its message, as they do for other refused input
        raise ValidationError(
            gettext("Matter %(reference)s is closed: it can be read but not changed. Its owner or an administrator "
                    "may reopen it.") % {"reference": matter.reference},
            code="matter_closed",
        )  # fmt: skip


def require_may_open_matters(actor) -> None:
    if not access.may_open_matters(actor):
        raise PermissionDenied(gettext("Only lawyers and administrators may open a matter."))


def require_owner_or_admin(actor, matter: Matter) -> None:
    """Transferring, closing and reopening a matter."""
    if not access.may_transfer_close_or_reopen(actor, matter):
        raise PermissionDenied(gettext("Only the matter's owner or an administrator may do this."))


def require_legal_hold_right(actor, matter: Matter) -> None:
    if not access.may_set_legal_hold(actor, matter):
        raise PermissionDenied(gettext("Only the matter's owner, an administrator or a compliance officer may "
                                       "place or lift a legal hold."))  # fmt: skip


def _require_responsible_lawyer(owner, field: str = "owner") -> None:
    if not access.may_be_responsible_lawyer(owner):
        raise ValidationError({field: gettext("The responsible lawyer must be an active lawyer.")})


def _grant_owner_rights(*, actor, matter: Matter, owner) -> None:
    for permission in MATTER_PERMISSIONS:
        assign_perm(f"matters.{permission}", owner, matter)
    record_event(
        action="permission.granted",
        actor=actor,
        target=matter,
        payload={**_grantee_fields(owner), "permissions": list(MATTER_PERMISSIONS), "reason": "owner"},
    )


@transaction.atomic
def create_matter(*, actor, reference: str, title: str, owner=None, client: str = "", practice_area: str = "",
                  confidentiality: str = Matter.Confidentiality.CONFIDENTIAL) -> Matter:  # fmt: skip
    """Open a matter, owned by the actor unless another lawyer is named responsible for it.

    Its owner may see it, work in it and manage its access from the start. Bad input raises ValidationError by
    field and saves nothing.
    """
    require_may_open_matters(actor)
    owner = owner or actor
    if owner.pk != actor.pk:
        _require_responsible_lawyer(owner)
    matter = Matter(reference=reference.strip(), title=title.strip(), client=client.strip(), owner=owner,
                    practice_area=practice_area, confidentiality=confidentiality)  # fmt: skip
    matter.full_clean()
    try:
        with transaction.atomic():
            matter.save()
    except IntegrityError as error:  # opened by someone else since full_clean looked
        raise ValidationError({"reference": matter.unique_error_message(Matter, ("reference",))}) from error
    record_event(action="matter.created", actor=actor, target=matter, payload={
        "reference": matter.reference, "owner": owner.get_username(), "practice_area": practice_area,
        "confidentiality": confidentiality,
    })  # fmt: skip
    _grant_owner_rights(actor=actor, matter=matter, owner=owner)
    return matter


def _locked(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().select_related("owner").get(pk=matter.pk)


@transaction.atomic
def transfer_matter(*, actor, matter: Matter, new_owner, reason: str = "") -> Matter:
    """Make another lawyer responsible for the matter. The previous owner keeps their grants until revoked."""
    matter = _locked(matter)
    require_owner_or_admin(actor, matter)
    _require_responsible_lawyer(new_owner, "new_owner")
    if new_owner.pk == matter.owner_id:
        raise ValidationError({"new_owner": gettext("This lawyer is responsible for the matter already.")})
    previous = matter.owner
    matter.owner = new_owner
    matter.save(update_fields=["owner"])
    record_event(action="matter.transferred", actor=actor, target=matter, payload={
        "from_id": previous.pk, "from": previous.get_username(), "to_id": new_owner.pk,
        "to": new_owner.get_username(), "reason": reason.strip()[:500],
    })  # fmt: skip
    _grant_owner_rights(actor=actor, matter=matter, owner=new_owner)
    return matter


@transaction.atomic
def close_matter(*, actor, matter: Matter, reason: str = "") -> Matter:
    """Close the matter: from now on it is read-only (require_work_access), its reports and trail stay readable."""
    matter = _locked(matter)
    require_owner_or_admin(actor, matter)
    if matter.is_closed:
        raise ValidationError(gettext("The matter is closed already."), code="closed_already")
    if matter.legal_hold:
        raise ValidationError(gettext("The matter is on legal hold and cannot be closed until the hold is lifted."),
                              code="legal_hold")  # fmt: skip
    matter.closed_at = timezone.now()
    matter.save(update_fields=["closed_at"])
    record_event(action="matter.closed", actor=actor, target=matter, payload={"reason": reason.strip()[:500]})
    return matter


@transaction.atomic
def reopen_matter(*, actor, matter: Matter, reason: str = "") -> Matter:
    matter = _locked(matter)
    require_owner_or_admin(actor, matter)
    if not matter.is_closed:
        raise ValidationError(gettext("The matter is open already."), code="open_already")
    matter.closed_at = None
    matter.save(update_fields=["closed_at"])
    record_event(action="matter.reopened", actor=actor, target=matter, payload={"reason": reason.strip()[:500]})
    return matter


@transaction.atomic
def set_legal_hold(*, actor, matter: Matter, hold: bool, reason: str) -> Matter:
    """Place the matter on legal hold, or lift it; either way with a reason."""
    matter = _locked(matter)
    require_legal_hold_right(actor, matter)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why.")}, code="reason_required")
    if matter.legal_hold == hold:
        raise ValidationError(gettext("The matter is on legal hold already.") if hold
                              else gettext("The matter is not on legal hold."), code="hold_unchanged")  # fmt: skip
    matter.legal_hold, matter.legal_hold_reason = hold, reason[:500] if hold else ""
    matter.save(update_fields=["legal_hold", "legal_hold_reason"])
    record_event(action="matter.legal_hold_placed" if hold else "matter.legal_hold_lifted", actor=actor,
                 target=matter, payload={"reason": reason[:500]})  # fmt: skip
    return matter


@transaction.atomic
def grant_matter_access(*, actor, matter: Matter, grantee, permissions: tuple[str, ...] = ("view_matter",)) -> None:
    _require_access_manager(actor, matter)
    unknown = set(permissions) - set(MATTER_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown matter permissions: {sorted(unknown)}")
    for permission in permissions:
        assign_perm(f"matters.{permission}", grantee, matter)
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
        remove_perm(f"matters.{permission}", grantee, matter)
    record_event(
        action="permission.revoked",
        actor=actor,
        target=matter,
        payload={**_grantee_fields(grantee), "reason": reason[:500]},
    )


def store_document(*, actor, matter: Matter, name: str, data: bytes) -> tuple[Document, bool]:
    """The document for these bytes in this matter: the stored one if it was uploaded before."""
    try:
        extracted = extract_text(data, max_bytes=settings.UPLOAD_MAX_BYTES, max_pages=settings.UPLOAD_MAX_PAGES)
    except ExtractionError as error:  # the engine's English template, in the user's language
        raise ValidationError(gettext(error.template), code=str(error.code), params=error.params or None) from error
    existing = Document.objects.filter(matter=matter, sha256=extracted.sha256).first()
    if existing:
        return existing, False
    document = Document(
        matter=matter, name=name[:255], sha256=extracted.sha256, size=extracted.size, kind=str(extracted.kind),
        mime_type=extracted.mime_type, pages=extracted.pages, page_starts=list(extracted.page_starts), text=extracted.text, uploaded_by=actor,
    )  # fmt: skip
    document.file.save(extracted.sha256, ContentFile(data), save=False)
    document.save()
    record_event(
        action="document.uploaded", actor=actor, target=document,
        payload={"sha256": document.sha256, "size": document.size, "kind": document.kind, "pages": document.pages},
    )  # fmt: skip
    return document, True
