from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reviews.contracts.models import ContractReview, Finding
from reviews.matters.selectors import matters_for_user


def reviews_for_user(user) -> QuerySet[ContractReview]:
    return ContractReview.objects.filter(matter__in=matters_for_user(user)).select_related(
        "matter", "document", "playbook_version__playbook", "requested_by"
    )


def review_for_user(user, pk: int) -> ContractReview:
    return get_object_or_404(reviews_for_user(user), pk=pk)


def finding_for_user(user, pk: int) -> Finding:
    return get_object_or_404(
        Finding.objects.filter(review__matter__in=matters_for_user(user)).select_related("review__matter"), pk=pk
    )


def findings_by_severity(review: ContractReview) -> list[Finding]:
    findings = list(review.findings.prefetch_related("triage__actor"))
    return sorted(
        findings, key=lambda f: (Finding.Severity.rank(f.severity), f.start if f.start is not None else -1)
    )


def highlighted_text(text: str, findings: list[Finding]) -> list[dict]:
    """The contract text cut into pieces, each either plain or inside one or more findings' spans.

    Templates escape every piece; offsets are never turned into HTML by string surgery.
    """
    marks = [f for f in findings if f.start is not None and f.end is not None and f.status != Finding.Status.DISMISSED]
    cuts = sorted({0, len(text), *(f.start for f in marks), *(f.end for f in marks)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [f for f in marks if f.start <= start and end <= f.end]
        pieces.append({"text": text[start:end], "findings": covering, "start": start})
    return pieces


def triage_rates(user, *, since=None) -> dict:
    """False-positive and miss rates from lawyers' triage, per category, per playbook and per week.

    False-positive rate: dismissed / (confirmed + dismissed) system findings.
    Miss rate: lawyer-added findings / (confirmed system findings + lawyer-added findings).
    """
    from django.db.models import Count, Q
    from django.db.models.functions import TruncWeek

    findings = Finding.objects.filter(review__matter__in=matters_for_user(user))
    if since is not None:
        findings = findings.filter(created_at__gte=since)
    counts = {
        "confirmed": Count("id", filter=Q(source=Finding.Source.SYSTEM, status=Finding.Status.CONFIRMED)),
        "dismissed": Count("id", filter=Q(source=Finding.Source.SYSTEM, status=Finding.Status.DISMISSED)),
        "missed": Count("id", filter=Q(source=Finding.Source.LAWYER)),
        "open": Count("id", filter=Q(source=Finding.Source.SYSTEM, status=Finding.Status.OPEN)),
    }

    def rows(*group_by):
        result = []
        for row in findings.values(*group_by).annotate(**counts).order_by(*group_by):
            decided = row["confirmed"] + row["dismissed"]
            found = row["confirmed"] + row["missed"]
            row["false_positive_rate"] = row["dismissed"] / decided if decided else None
            row["miss_rate"] = row["missed"] / found if found else None
            result.append(row)
        return result

    findings = findings.annotate(week=TruncWeek("created_at"))
    return {
        "by_category": rows("category"),
        "by_playbook": rows("review__playbook_version__playbook__name"),
        "by_week": rows("week"),
    }


def unmask_for_display(findings: list[Finding], mapping: dict[str, str]) -> None:
    """Put the real names back into what the model wrote, for the lawyer's eyes only (never stored)."""
    from worker.pii import unmask

    for finding in findings:
        finding.llm_explanation_shown = unmask(finding.llm_explanation, mapping) if finding.llm_explanation else ""
        finding.llm_fallback_shown = unmask(finding.llm_fallback, mapping) if finding.llm_fallback else ""


