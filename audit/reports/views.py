"""Request a report, watch it being made (htmx polling), download it. Each step checks access again."""

from celery.result import AsyncResult
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.reports import services
from audit.reports.base import ReportError
from audit.reports.forms import ReportRequestForm
from audit.reports.registry import BUILDERS
from audit.reports.tasks import export_report


def request_report(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST or None, initial=request.GET)
    if request.method == "POST" and form.is_valid():
        kind, which = form.cleaned_data["kind"], form.cleaned_data["which"].strip()
        try:
            services.prepare(
                kind=kind, which=which, user=request.user
            )  # Http404 / PermissionDenied propagate
        except ReportError as error:
            form.add_error("which", str(error))
        else:
            task = export_report.delay(kind, which, request.user.pk)
            cache.set(_owner_key(task.id), request.user.pk, timeout=settings.CELERY_RESULT_EXPIRES)
            return redirect("reports:progress", task_id=task.id)
    kinds = [{"kind": kind, "label": b.label, "help": b.which_help} for kind, b in BUILDERS.items()]
    return render(request, "reports/request.html", {"form": form, "kinds": kinds})


def _owner_key(task_id: str) -> str:
    return f"report-task-owner:{task_id}"


def _state(task_id: str, user) -> dict:
    """What the progress box shows; an unknown task, or another user's, is a 404.

    The owner is recorded when the task is queued: Celery reports an unknown id as a pending task.
    """
    if cache.get(_owner_key(task_id)) != user.pk:
        raise Http404
    result = AsyncResult(task_id)
    info = result.info if isinstance(result.info, dict) else {}
    if result.state == "SUCCESS":
        return {"finished": True, **info}
    if result.state == "FAILURE":
        return {"finished": True, "ok": False, "error": _("The report could not be made. Please try again.")}
    return {"finished": False, "stage": info.get("stage", _("queued")), "percent": info.get("percent", 0)}


def progress(request: HttpRequest, task_id: str) -> HttpResponse:
    context = {"task_id": task_id, "state": _state(task_id, request.user)}
    template = "reports/_progress.html" if request.htmx else "reports/progress.html"
    return render(request, template, context)


def download(request: HttpRequest, report_id) -> HttpResponse:
    """The requester's own report, while they still have access to what it covers."""
    report_id = str(report_id)
    event = services.exported_event(report_id)
    if event is None or event.actor_id != request.user.pk:
        raise Http404
    try:
        services.prepare(kind=event.payload["kind"], which=event.payload["which"], user=request.user)
    except ReportError:
        raise Http404 from None
    path = services.report_path(report_id)
    if not path.is_file():
        messages.error(request, _("This report file is no longer stored; export it again."))
        return redirect("reports:request")
    services.record_download(event=event, user=request.user)
    filename = f"{event.payload['kind']}-{event.payload['which']}-{report_id[:8]}.pdf".replace("..", "_to_")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
