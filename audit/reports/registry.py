"""The kinds of report, by the name the command line and the form use.

A new kind is one module in audit.reports.kinds with a ReportBuilder subclass, plus one line here.
"""

from django.utils.translation import gettext_lazy as _

from audit.reports.base import BadTarget, ReportBuilder
from audit.reports.kinds.access_review import AccessReviewReport
from audit.reports.kinds.audit_log import AuditLogReport
from audit.reports.kinds.counterparty import CounterpartyReviewReport
from audit.reports.kinds.license_register import LicenseRegisterReport
from audit.reports.kinds.review import ContractReviewReport

BUILDERS: dict[str, ReportBuilder] = {
    builder.kind: builder
    for builder in (
        ContractReviewReport(),
        CounterpartyReviewReport(),
        AuditLogReport(),
        AccessReviewReport(),
        LicenseRegisterReport(),
    )
}  # fmt: skip


def builder_for(kind: str) -> ReportBuilder:
    try:
        return BUILDERS[kind]
    except KeyError:
        raise BadTarget(_("Unknown report kind %(kind)s: use one of %(kinds)s.")
                        % {"kind": kind, "kinds": ", ".join(BUILDERS)}) from None  # fmt: skip
