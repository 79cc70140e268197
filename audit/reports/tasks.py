from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from audit.reports import services
from audit.reports.base import ReportError


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def export_report(self, kind: str, which: str, user_id: int) -> dict:
    """Render a report for a user; progress in the task's state (PROGRESS, meta: stage and percent).

    Access is checked again here: it may have been revoked since the request. Refusals end the task with
    {"ok": False, "error": ...} rather than a failure, so the progress page can say why.
    """
    user = get_user_model().objects.get(pk=user_id)

    def progress(stage: str, percent: int) -> None:
        self.update_state(state="PROGRESS", meta={"stage": stage, "percent": percent})

    with translation.override(user.language or settings.LANGUAGE_CODE):
        try:
            report = services.export_report(kind=kind, which=which, user=user, progress=progress)
        except ReportError as error:
            return {"ok": False, "error": str(error)}
        except (Http404, PermissionDenied):
            return {"ok": False, "error": _("You may not export this report.")}
    return {"ok": True, "report_id": report.report_id, "sha256": report.sha256, "pages": report.pages,
            "bytes": report.size}  # fmt: skip
