import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import record_event
from reviews.models import ContractReview, Document, Finding, Matter, Playbook, PlaybookVersion, TriageAction
from worker.extraction import ExtractionError, extract_text
from worker.playbook import Playbook as PlaybookRules

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


def _require_work_access(actor, matter: Matter) -> None:
    """Uploading, reviewing and triaging need the right to work in the matter, not only to see it."""
    if not (actor.is_superuser or actor.has_perm("reviews.change_matter", matter)):
        raise PermissionDenied("Only people who work in this matter may change its reviews.")


def _store_document(*, actor, matter: Matter, name: str, data: bytes) -> tuple[Document, bool]:
    """The document for these bytes in this matter: the stored one if it was uploaded before."""
    try:
        extracted = extract_text(data, max_bytes=settings.UPLOAD_MAX_BYTES, max_pages=settings.UPLOAD_MAX_PAGES)
    except ExtractionError as error:
        raise ValidationError(error.message, code=str(error.code)) from error
    existing = Document.objects.filter(matter=matter, sha256=extracted.sha256).first()
    if existing:
        return existing, False
    document = Document(
        matter=matter, name=name[:255], sha256=extracted.sha256, size=extracted.size, kind=str(extracted.kind),
        mime_type=extracted.mime_type, pages=extracted.pages, text=extracted.text, uploaded_by=actor,
    )  # fmt: skip
    document.file.save(extracted.sha256, ContentFile(data), save=False)
    document.save()
    record_event(
        action="document.uploaded", actor=actor, target=document,
        payload={"sha256": document.sha256, "size": document.size, "kind": document.kind, "pages": document.pages},
    )  # fmt: skip
    return document, True


@transaction.atomic
def submit_contract_review(*, actor, matter: Matter, name: str, data: bytes, playbook: Playbook) -> ContractReview:
    """Store the upload (checked by content), queue its review, and hand it to a worker after commit.

    Bad input raises ValidationError with a message for the user, and nothing is saved.
    """
    from worker.tasks import run_contract_review

    _require_work_access(actor, matter)
    version = playbook.current
    if version is None:
        raise ValidationError(_("This playbook has no version yet."), code="no_playbook_version")
    document, _created = _store_document(actor=actor, matter=matter, name=name, data=data)
    review = ContractReview.objects.create(
        matter=matter, document=document, playbook_version=version, requested_by=actor,
        stage="queued", status_message="",
    )  # fmt: skip
    record_event(
        action="review.submitted", actor=actor, target=review,
        payload={"document_id": document.pk, "sha256": document.sha256, "playbook": playbook.name,
                 "playbook_version": version.number, "reused_document": not _created},
    )  # fmt: skip
    transaction.on_commit(lambda: run_contract_review.delay(review.pk))
    return review


def _rules_sha256(rules: dict) -> str:
    return hashlib.sha256(json.dumps(rules, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@transaction.atomic
def save_playbook_version(*, actor, rules: dict, note: str = "") -> PlaybookVersion:
    """Validate playbook JSON and store it as the next version of its playbook (created on first save).

    Saving the same rules again changes nothing. Invalid rules raise ValidationError naming what is wrong.
    """
    try:
        parsed = PlaybookRules.model_validate(rules)
    except ValueError as error:
        raise ValidationError(_("The playbook is not valid: %(error)s") % {"error": error}, code="invalid_playbook") from error
    playbook, _created = Playbook.objects.get_or_create(
        name=parsed.name, defaults={"contract_type": parsed.contract_type, "description": parsed.description}
    )
    playbook.contract_type, playbook.description = parsed.contract_type, parsed.description
    playbook.save()
    digest = _rules_sha256(rules)
    current = playbook.current
    if current is not None and current.sha256 == digest:
        return current
    version = PlaybookVersion.objects.create(
        playbook=playbook, number=(current.number + 1) if current else 1, rules=rules, sha256=digest,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, note=note[:500],
    )  # fmt: skip
    record_event(
        action="playbook.version_saved", actor=actor, system="playbooks", target=version,
        payload={"playbook": playbook.name, "version": version.number, "sha256": digest, "rules": len(parsed.rules)},
    )  # fmt: skip
    return version


TRIAGE_EVENTS = {
    TriageAction.Action.CONFIRM: "finding.confirmed",
    TriageAction.Action.DISMISS: "finding.dismissed",
    TriageAction.Action.CHANGE_SEVERITY: "finding.severity_changed",
    TriageAction.Action.COMMENT: "finding.commented",
    TriageAction.Action.ADD_MISSED: "finding.added_missed",
}


@transaction.atomic
def triage_finding(*, actor, finding: Finding, action: str, reason: str = "", severity: str = "") -> TriageAction:
    """A lawyer's decision on one finding. Dismissals and comments need words; a severity must be known."""
    finding = Finding.objects.select_for_update().select_related("review").get(pk=finding.pk)
    _require_work_access(actor, finding.review.matter)
    action = TriageAction.Action(action)
    reason = reason.strip()
    previous = finding.severity
    if action is TriageAction.Action.CONFIRM:
        finding.status = Finding.Status.CONFIRMED
    elif action is TriageAction.Action.DISMISS:
        if not reason:
            raise ValidationError(_("Say why this is a false positive."), code="reason_required")
        finding.status = Finding.Status.DISMISSED
    elif action is TriageAction.Action.CHANGE_SEVERITY:
        if severity not in Finding.Severity.values:
            raise ValidationError(_("Choose a severity."), code="bad_severity")
        finding.severity = severity
    elif action is TriageAction.Action.COMMENT:
        if not reason:
            raise ValidationError(_("Write a comment."), code="comment_required")
    else:
        raise ValidationError(_("Use 'add a missed finding' for that."), code="bad_action")
    finding.save()
    triage = TriageAction.objects.create(
        finding=finding, action=action, actor=actor, reason=reason[:4000],
        from_severity=previous if action is TriageAction.Action.CHANGE_SEVERITY else "",
        to_severity=finding.severity if action is TriageAction.Action.CHANGE_SEVERITY else "",
    )  # fmt: skip
    record_event(
        action=TRIAGE_EVENTS[action], actor=actor, target=finding,
        payload={"review_id": finding.review_id, "category": finding.category, "rule_id": finding.rule_id,
                 "status": finding.status, "from_severity": triage.from_severity, "to_severity": triage.to_severity},
    )  # fmt: skip
    return triage


@transaction.atomic
def add_missed_finding(*, actor, review: ContractReview, category: str, start: int, end: int, severity: str,
                       comment: str) -> Finding:  # fmt: skip
    """A finding the workbench missed, marked by the lawyer; it counts towards the miss rate."""
    from worker.clauses.categories import CATEGORIES

    _require_work_access(actor, review.matter)
    text = review.document.text
    if category not in CATEGORIES:
        raise ValidationError(_("Choose a clause category."), code="bad_category")
    if severity not in Finding.Severity.values:
        raise ValidationError(_("Choose a severity."), code="bad_severity")
    if not (0 <= start < end <= len(text)) or not text[start:end].strip():
        raise ValidationError(_("Select the clause in the contract text."), code="bad_span")
    finding = Finding.objects.create(
        review=review, fingerprint=f"lawyer:{category}:{start}:{end}", source=Finding.Source.LAWYER,
        category=category, kind="missed", title=category, detected_severity=severity, severity=severity,
        status=Finding.Status.CONFIRMED, start=start, end=end, score=1.0, explanation=comment.strip()[:4000],
    )  # fmt: skip
    TriageAction.objects.create(finding=finding, action=TriageAction.Action.ADD_MISSED, actor=actor, reason=comment[:4000])
    record_event(
        action=TRIAGE_EVENTS[TriageAction.Action.ADD_MISSED], actor=actor, target=finding,
        payload={"review_id": review.pk, "category": category, "severity": severity, "start": start, "end": end},
    )  # fmt: skip
    return finding
