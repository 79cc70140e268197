"""License register report: every model version with its license, obligations, status and approval trail.

Any signed-in user may export it, as anyone may open the approved list; what it holds follows the pages:
model stewards (and the management command) get the whole register, everyone else the versions that may run.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.reports.base import BadTarget, Progress, ReportBuilder, ReportContent, Section
from licenses.models import RUNNABLE_STATUSES, License, ModelVersion, Obligations, StatusChange
from licenses.services import is_steward


class LicenseRegisterReport(ReportBuilder):
    kind = "license-register"
    label = gettext_lazy("License register")
    which_help = gettext_lazy("all")

    def parse(self, which: str) -> str:
        if which != "all":
            raise BadTarget(_("A license register report covers the whole register: use all."))
        return which

    def check_access(self, user, target: str) -> None:
        return None  # signed in is enough (LoginRequiredMiddleware); the content depends on the role

    def build(self, target: str, *, user, progress: Progress) -> ReportContent:
        whole = user is None or is_steward(user)
        versions = ModelVersion.objects.select_related("model", "license").prefetch_related(
            Prefetch(
                "status_changes", StatusChange.objects.select_related("actor").order_by("created_at", "pk")
            )
        )
        if not whole:
            versions = versions.filter(status__in=RUNNABLE_STATUSES)
        versions = list(versions.order_by("model__name", "version"))
        progress(_("licenses"), 40)
        licenses = License.objects.filter(pk__in={v.license_id for v in versions}).order_by("name")
        obligations = {o.license_id: o for o in Obligations.objects.filter(license__in=licenses)}
        license_rows = [
            {"license": license, "obligations": obligations.get(license.pk)} for license in licenses
        ]
        return ReportContent(
            title=_("Model license register report"),
            scope=_("Every model version in the register") if whole else _("The model versions approved to run"),
            sections=[
                Section("versions", _("Model versions"), "reports/pdf/register_versions.html", {"versions": versions}),
                Section("licenses", _("Licenses and obligations"), "reports/pdf/register_licenses.html",
                        {"licenses": license_rows}),
                Section("trail", _("Approval trail"), "reports/pdf/register_trail.html", {"versions": versions}),
            ],
        )  # fmt: skip
