"""Access review report: the campaign, every certify or revoke decision, and the items left overdue.

Compliance officers only, as for the campaign pages.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.access_reviews.models import AccessReviewItem
from audit.access_reviews.selectors import campaign_items, campaigns
from audit.access_reviews.services import is_campaign_manager
from audit.reports.base import BadTarget, Progress, ReportBuilder, ReportContent, Section

Decision = AccessReviewItem.Decision


class AccessReviewReport(ReportBuilder):
    kind = "access-review"
    label = gettext_lazy("Access review")
    which_help = gettext_lazy("the campaign's id")

    def parse(self, which: str) -> int:
        if not which.isdigit():
            raise BadTarget(_("An access review report needs the campaign's id (a number)."))
        return int(which)

    def check_access(self, user, target: int) -> None:
        if not is_campaign_manager(user):
            raise PermissionDenied(_("Only compliance officers may export access reviews."))

    def build(self, target: int, *, user, progress: Progress) -> ReportContent:
        campaign = campaigns().filter(pk=target).first()
        if campaign is None:
            raise BadTarget(_("There is no access review campaign %(id)s.") % {"id": target})
        items = campaign_items(campaign).order_by("matter__reference", "user__username", "via")
        decided = list(
            items.filter(decision__in=[Decision.CERTIFIED, Decision.REVOKED]).order_by("decided_at", "pk")
        )
        progress(_("decisions"), 40)
        # Overdue: not decided by the deadline (escalated, pending after it, closed unreviewed, decided late).
        late = (
            Q(escalated_at__isnull=False)
            | Q(decision=Decision.NOT_REVIEWED)
            | Q(decided_at__gt=F("campaign__deadline"))
        )
        if campaign.deadline < timezone.now():
            late |= Q(decision=Decision.PENDING)
        overdue = list(items.filter(late))
        by_decision = dict(campaign.items.order_by().values_list("decision").annotate(Count("pk")))
        counts = {choice.label: by_decision.get(choice.value, 0) for choice in Decision}
        sections = [
            Section("campaign", _("Campaign"), "reports/pdf/access_campaign.html",
                    {"campaign": campaign, "counts": counts}),
            Section("decisions", _("Certify and revoke decisions"), "reports/pdf/access_decisions.html",
                    {"items": decided}),
            Section("overdue", _("Overdue items"), "reports/pdf/access_overdue.html",
                    {"items": overdue, "deadline": campaign.deadline}),
        ]  # fmt: skip
        return ReportContent(
            title=_("Access review report"),
            scope=_("Campaign %(id)s, %(name)s") % {"id": campaign.pk, "name": campaign.name},
            sections=sections,
        )
