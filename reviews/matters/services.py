"""Writes to matters: open one, grant and revoke access, store a document. Each is audited."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
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
    if not access.may_work_in(actor, matter):
        raise PermissionDenied("Only people who work in this matter may change its reviews.")


@transaction.atomic
def create_matter(*, actor, reference: str, title: str, owner, client: str = "") -> Matter:
    """Open a matter; its owner may see it, work in it and manage its access from the start."""
    matter = Matter(reference=reference, title=title, client=client, owner=owner)
    matter.full_clean()
    matter.save()
    record_event(action="matter.created", actor=actor, target=matter, payload={"reference": reference})
    for permission in MATTER_PERMISSIONS:
        assign_perm(f"matters.{permission}", owner, matter)
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
