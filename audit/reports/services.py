"""Export a report: gather, render with WeasyPrint (worker.reports), sign when a key is configured, record.

A PDF cannot contain its own hash, so the footer of every page carries a report id (a UUID) and says that
the SHA-256 of the file is recorded in the audit trail under that id. After rendering, and after signing
when REPORT_SIGNING_KEY and REPORT_SIGNING_CERT name a key and certificate (the hash is taken of the final,
signed bytes), the event `report.exported` records {kind, which, report_id, sha256, pages, bytes, signed}.
A recipient checks a copy by hashing it and comparing with that event; a signed copy also shows in any PDF
reader whether it was changed after signing. Without a key the cover says the report is not signed.
"""

import hashlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.reports.base import Progress, ReportBuilder, no_progress
from audit.reports.registry import builder_for
from audit.services import record_event

EXPORTED = "report.exported"


@dataclass(frozen=True)
class ExportedReport:
    report_id: str
    kind: str
    which: str
    path: Path
    sha256: str
    pages: int
    size: int
    signed: bool


def prepare(*, kind: str, which: str, user) -> tuple[ReportBuilder, Any]:
    """The builder and its target, after the user's access is checked (user None: the server's own command).

    Raises ReportError (bad kind or WHICH, kind not available yet), Http404 or PermissionDenied.
    """
    builder = builder_for(kind)
    target = builder.parse(which)
    if user is not None:
        builder.check_access(user, target)
    return builder, target


def report_path(report_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / f"{uuid.UUID(report_id)}.pdf"


def _static_file(path: str) -> Path | None:
    """The app's own static file at `path` (from the apps' static folders), or None."""
    try:
        found = finders.find(path)
    except SuspiciousFileOperation:  # "../" out of the static folders
        return None
    return Path(found) if isinstance(found, str) else None


def export_report(
    *,
    kind: str,
    which: str,
    user=None,
    system: str = "",
    progress: Progress = no_progress,
    out: Path | None = None,
) -> ExportedReport:
    """Render one report to `out` (default MEDIA_ROOT/reports/<report_id>.pdf) and record its export."""
    # WeasyPrint loads here, in the worker, not in every web process that imports this module.
    from worker.reports import SigningKey, render_pdf, sign_pdf

    builder, target = prepare(kind=kind, which=which, user=user)
    system = system or "reports"
    progress(_("gathering"), 5)
    content = builder.build(target, user=user, progress=progress)
    report_id = str(uuid.uuid4())
    key = None
    if settings.REPORT_SIGNING_KEY and settings.REPORT_SIGNING_CERT:
        passphrase = (
            settings.REPORT_SIGNING_PASSPHRASE.encode() if settings.REPORT_SIGNING_PASSPHRASE else None
        )
        key = SigningKey(Path(settings.REPORT_SIGNING_KEY), Path(settings.REPORT_SIGNING_CERT), passphrase)
    html = render_to_string("reports/pdf/report.html", {
        "report": content, "report_id": report_id, "kind": kind, "which": which, "signed": key is not None,
        "generated_by": user.get_username() if user is not None else f"system:{system}",
        "generated_at": timezone.now(), "language": get_language(),
    })  # fmt: skip
    progress(_("laying out the pages"), 65)
    rendered = render_pdf(html, resolve_static=_static_file)
    data = rendered.data
    if key is not None:
        progress(_("signing"), 90)
        data = sign_pdf(data, key, reason=_("Workbench report %(id)s") % {"id": report_id})
    sha256 = hashlib.sha256(data).hexdigest()
    path = Path(out) if out is not None else report_path(report_id)
    _write_atomically(path, data)
    try:
        record_event(
            action=EXPORTED, actor=user, system=system, object_type="report", object_id=report_id,
            payload={"kind": kind, "which": which, "report_id": report_id, "sha256": sha256,
                     "pages": rendered.pages, "bytes": len(data), "signed": key is not None},
        )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)  # an unrecorded report is not handed out
        raise
    progress(_("done"), 100)
    return ExportedReport(report_id, kind, which, path, sha256, rendered.pages, len(data), key is not None)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def exported_event(report_id: str) -> AuditEvent | None:
    """The `report.exported` event of a report id: what was exported, by whom, and the file's hash."""
    return AuditEvent.objects.filter(action=EXPORTED, object_type="report", object_id=report_id).first()


def record_download(*, event: AuditEvent, user) -> None:
    record_event(
        action="report.downloaded", actor=user, object_type="report", object_id=event.object_id,
        payload={"kind": event.payload.get("kind", ""), "sha256": event.payload.get("sha256", "")},
    )  # fmt: skip
