"""Counterparty review report: the counterparty, the list versions screened, the hits and why, the rating and its approvals.

Access is the counterparty's matter (reviews.counterparties.selectors: anyone else gets a 404, as on its page).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import object_types
from audit.approvals.selectors import approval_status, trail
from audit.models import AuditEvent
from audit.reports.base import BadTarget, Progress, ReportBuilder, ReportContent, Section
from audit.reports.kinds.events import event_rows
from reviews.counterparties.models import Counterparty, CounterpartyReview
from reviews.counterparties.selectors import (
    counterparty_review_for_user,
    hits_with_decisions,
    review_screening,
)


class CounterpartyReviewReport(ReportBuilder):
    kind = "counterparty"
    label = gettext_lazy("Counterparty review")
    which_help = gettext_lazy("the counterparty review's id")

    def parse(self, which: str) -> int:
        if not which.isdigit():
            raise BadTarget(_("A counterparty review report needs the review's id (a number)."))
        return int(which)

    def check_access(self, user, target: int) -> None:
        counterparty_review_for_user(user, target)

    def build(self, target: int, *, user, progress: Progress) -> ReportContent:
        review = (
            CounterpartyReview.objects.select_related("counterparty__matter", "requested_by", "rated_by")
            .filter(pk=target)
            .first()
        )
        if review is None:
            raise BadTarget(_("There is no counterparty review %(id)s.") % {"id": target})
        counterparty = review.counterparty
        screening = review_screening(review)
        progress(_("screening"), 30)
        versions = list(screening.list_versions.all()) if screening else []
        hits = hits_with_decisions(screening) if screening else []
        events = AuditEvent.objects.filter(
            object_types.about(CounterpartyReview, [review.pk]) | object_types.about(Counterparty, [counterparty.pk])
        ).order_by("seq")
        progress(_("audit events"), 60)
        sections = [
            Section("counterparty", _("Counterparty"), "reports/pdf/counterparty_identity.html",
                    {"review": review, "counterparty": counterparty,
                     "people": list(counterparty.related_people.all())}),
            Section("screening", _("Lists screened"), "reports/pdf/counterparty_screening.html",
                    {"screening": screening, "versions": versions}),
            Section("hits", _("Hits, scores and reasons"), "reports/pdf/counterparty_hits.html",
                    {"hits": hits}),
            Section("rating", _("Rating and approvals"), "reports/pdf/counterparty_rating.html",
                    {"review": review, "status": approval_status(review), "trail": trail(review)}),
            Section("events", _("Audit events of the review"), "reports/pdf/events.html",
                    {"events": list(event_rows(events))}),
        ]  # fmt: skip
        return ReportContent(
            title=_("Counterparty review report"),
            scope=_("Review %(id)s of %(counterparty)s, matter %(matter)s")
            % {"id": review.pk, "counterparty": counterparty.name, "matter": str(counterparty.matter)},
            sections=sections,
        )
