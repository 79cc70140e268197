"""The audit explorer, for compliance officers (permission audit.view_auditevent); everyone else gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.export import start_download
from audit.forms import EventFilterForm, ExportForm
from audit.models import AuditEvent
from audit.selectors import event_with_neighbours, events_page
from audit.services import verify_from_ui
from audit.verification import verify_around

can_audit = permission_required("audit.view_auditevent", raise_exception=True)
_CONTENT_TYPES = {"jsonl": "application/x-ndjson", "cef": "text/plain"}


@require_GET
@can_audit
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():  # an invalid filter shows its errors, never an unfiltered list
        filters = form.cleaned_data if form.is_bound else {}
        page = events_page(filters, before=filters.get("before"))
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "export_form": ExportForm(initial=request.GET),
    }
    return render(request, "audit/event_list.html", context)


def _detail(seq: int):
    try:
        return event_with_neighbours(seq)
    except AuditEvent.DoesNotExist:
        raise Http404(_("No audit event at this position.")) from None


@require_GET
@can_audit
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    event, previous, following = _detail(seq)
    context = {"event": event, "previous": previous, "following": following,
               "around": verify_around(event, previous, following)}  # fmt: skip
    return render(request, "audit/event_detail.html", context)


@require_POST
@can_audit
def event_verify(request: HttpRequest, seq: int) -> HttpResponse:
    _detail(seq)
    event, around, chain = verify_from_ui(seq=seq, actor=request.user)
    context = {"event": event, "around": around, "chain": chain}
    if request.htmx:
        return render(request, "audit/_verification.html", context)
    (messages.success if around.intact and chain.intact else messages.error)(request, chain.summary())
    return redirect("audit:event-detail", seq=seq)


@require_POST
@can_audit
def export_download(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("audit:event-list")
    fmt = form.cleaned_data["format"]
    lines = start_download(fmt=fmt, since=form.cleaned_data["since"], until=form.cleaned_data["until"],
                           actor=request.user)  # fmt: skip
    response = StreamingHttpResponse(lines, content_type=_CONTENT_TYPES[fmt])
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
