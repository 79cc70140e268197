"""The kinds of report, by the name the command line and the form use.

A new kind is one module in audit.reports.kinds with a ReportBuilder subclass, plus one line here (and when
counterparty reviews or access reviews land, their line replaces the NotYetBuilder below).
"""

from django.utils.translation import gettext_lazy as _

from audit.reports.base import BadTarget, NotYetBuilder, ReportBuilder
from audit.reports.kinds.audit_log import AuditLogReport
from audit.reports.kinds.license_register import LicenseRegisterReport
from audit.reports.kinds.review import ContractReviewReport

BUILDERS: dict[str, ReportBuilder] = {
    builder.kind: builder
    for builder in (
        ContractReviewReport(),
        NotYetBuilder("counterparty", _("Counterparty review"),
                      _("not available yet: counterparty reviews have not landed")),
        AuditLogReport(),
        NotYetBuilder("access-review", _("Access review"),
                      _("not available yet: access reviews have not landed")),
        LicenseRegisterReport(),
    )
}  # fmt: skip


def builder_for(kind: str) -> ReportBuilder:
    try:
        return BUILDERS[kind]
    except KeyError:
        raise BadTarget(_("Unknown report kind %(kind)s: use one of %(kinds)s.")
                        % {"kind": kind, "kinds": ", ".join(BUILDERS)}) from None  # fmt: skip
