import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from reviews.contracts.models import ContractReview, Finding, Playbook, PlaybookVersion, TriageAction
from reviews.matters.models import Matter
from reviews.matters.services import require_work_access, store_document
from worker.playbook import Playbook as PlaybookRules


@transaction.atomic
def submit_contract_review(
    *, actor, matter: Matter, name: str, data: bytes, playbook: Playbook, our_side: str = ""
) -> ContractReview:
    """Store the upload (checked by content), queue its review, and hand it to a worker after commit.

    Bad input raises ValidationError with a message for the user, and nothing is saved.
    """
    from reviews.contracts.tasks import run_contract_review

    require_work_access(actor, matter)
    version = playbook.current
    if version is None:
        raise ValidationError(_("This playbook has no version yet."), code="no_playbook_version")
    document, _created = store_document(actor=actor, matter=matter, name=name, data=data)
    review = ContractReview.objects.create(
        matter=matter, document=document, playbook_version=version, requested_by=actor,
        stage=gettext_noop("queued"), status_message="", our_side=our_side.strip(),
    )  # fmt: skip
    record_event(
        action="review.submitted", actor=actor, target=review,
        payload={"document_id": document.pk, "sha256": document.sha256, "playbook": playbook.name,
                 "playbook_version": version.number, "reused_document": not _created, "our_side": our_side.strip()},
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
    require_work_access(actor, finding.review.matter)
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
    """A finding the workbench missed, marked by the lawyer; it counts towards the miss rate. Any category the form
    offers: CUAD's, Japanese practice's and an NDA's."""
    from worker.playbook.rules import RULE_CATEGORIES

    require_work_access(actor, review.matter)
    text = review.document.text
    if category not in RULE_CATEGORIES:
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
