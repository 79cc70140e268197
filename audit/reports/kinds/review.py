"""Contract review report: what was reviewed, against which playbook, by which models, what was found and decided.

Access is the review's matter (reviews.contracts.selectors: anyone else gets a 404, as on the review page).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import object_types
from audit.approvals.selectors import approval_status, trail
from audit.models import AuditEvent
from audit.reports.base import BadTarget, Progress, ReportBuilder, ReportContent, Section
from audit.reports.kinds.events import event_rows
from licenses.models import ModelVersion
from reviews.contracts.models import ContractReview, Finding, TriageAction
from reviews.contracts.selectors import findings_by_severity, review_for_user
from reviews.matters.models import Document


class ContractReviewReport(ReportBuilder):
    kind = "review"
    label = gettext_lazy("Contract review")
    which_help = gettext_lazy("the review's id")

    def parse(self, which: str) -> int:
        if not which.isdigit():
            raise BadTarget(_("A contract review report needs the review's id (a number)."))
        return int(which)

    def check_access(self, user, target: int) -> None:
        review_for_user(user, target)

    def build(self, target: int, *, user, progress: Progress) -> ReportContent:
        review = (
            ContractReview.objects.select_related(
                "matter", "document", "playbook_version__playbook", "requested_by"
            )
            .filter(pk=target)
            .first()
        )
        if review is None:
            raise BadTarget(_("There is no contract review %(id)s.") % {"id": target})
        findings = findings_by_severity(review)
        progress(_("findings"), 30)
        events = list(_review_events(review, findings))
        progress(_("audit events"), 60)
        by_severity = [
            {
                "severity": severity,
                "label": severity.label,
                "findings": [f for f in findings if f.severity == severity],
            }
            for severity in Finding.Severity  # declared most severe first
        ]
        triage = (
            TriageAction.objects.filter(finding__review=review)
            .select_related("actor", "finding")
            .order_by("created_at", "pk")
        )
        sections = [
            Section("contract", _("Contract"), "reports/pdf/review_contract.html", {"review": review}),
            Section("models", _("Playbook and models"), "reports/pdf/review_models.html",
                    {"review": review, "models": _models_used(review, events)}),
            Section("findings", _("Findings by severity"), "reports/pdf/review_findings.html",
                    {"by_severity": by_severity, "total": len(findings)}),
            Section("triage", _("Triage decisions"), "reports/pdf/review_triage.html", {"triage": list(triage)}),
            Section("approval", _("Approval trail"), "reports/pdf/approval_trail.html",
                    {"status": approval_status(review), "trail": trail(review)}),
            Section("events", _("Audit events of the review"), "reports/pdf/events.html",
                    {"events": list(event_rows(events))}),
        ]  # fmt: skip
        return ReportContent(
            title=_("Contract review report"),
            scope=_("Review %(id)s of %(document)s, matter %(matter)s")
            % {"id": review.pk, "document": review.document.name, "matter": str(review.matter)},
            sections=sections,
        )


def _review_events(review: ContractReview, findings: list[Finding]):
    """The review's own events, its findings' and its document's, and the LLM calls on its matter while it ran."""
    about = (
        object_types.about(ContractReview, [review.pk])
        | object_types.about(Finding, [f.pk for f in findings])
        | object_types.about(Document, [review.document_id])
    )
    if review.started_at is not None:
        ran = Q(action="llm.called", matter_id=review.matter_id, occurred_at__gte=review.started_at)
        if review.finished_at is not None:
            ran &= Q(occurred_at__lte=review.finished_at)
        about |= ran
    return AuditEvent.objects.filter(about).order_by("seq")


def _models_used(review: ContractReview, events: list[AuditEvent]) -> list[dict]:
    """Each model version that worked on the review, with its entry in the register (None when it has none)."""
    rows = []
    versions = ModelVersion.objects.select_related("model", "license")
    classifier = review.classifier or {}
    if classifier:
        sha256 = classifier.get("sha256", "")
        entry = (versions.filter(weights_sha256=sha256).first() if sha256 else None) or versions.filter(
            model__name=classifier.get("name", ""), version=classifier.get("version", "")
        ).first()
        rows.append({"use": _("Clause classifier"), "name": classifier.get("name", ""),
                     "version": classifier.get("version", ""), "sha256": sha256, "entry": entry})  # fmt: skip
    llm_ids = {event.payload.get("model_version_id") for event in events if event.action == "llm.called"} - {
        None
    }
    for entry in versions.filter(pk__in=llm_ids):
        rows.append({"use": _("Language model"), "name": entry.model.name, "version": entry.version,
                     "sha256": entry.weights_sha256, "entry": entry})  # fmt: skip
    for row in rows:
        row["status_then"] = _status_at(row["entry"], review.started_at or review.created_at)
    return rows


def _status_at(entry: ModelVersion | None, when) -> str:
    """The register status the version had when the review ran (its latest change before then)."""
    if entry is None:
        return ""
    change = entry.status_changes.filter(created_at__lte=when).order_by("-created_at", "-pk").first()
    return change.get_to_status_display() if change else ""
