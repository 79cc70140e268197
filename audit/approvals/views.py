"""Approval pages: the inbox, a flow with its object's trail, and the submit, decide and revoke forms."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.approvals import selectors, services
from audit.approvals.forms import DecisionForm, RevokeForm, SubmitForm
from audit.approvals.models import ApprovalFlow
from audit.approvals.snapshots import approvable_for


def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "approvals/inbox.html", {"flows": selectors.inbox(request.user)})


def _refusal(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error) or _("You may not do this.")])


def _page(request: HttpRequest, obj, flow: ApprovalFlow | None, **forms) -> HttpResponse:
    entry = approvable_for(obj)
    user = request.user
    status = selectors.approval_status(obj)
    context = {
        "obj": obj, "kind": entry.kind, "kind_label": entry.label, "object_url": entry.url(obj),
        "flow": flow, "steps": list(flow.steps.select_related("group")) if flow else [],
        "status": status, "trail": selectors.trail(obj),
        "may_submit": entry.may_submit(user, obj) and entry.ready(obj)
        and (status.code != ApprovalFlow.State.SUBMITTED),
        "may_decide": flow is not None and services.may_decide(user, flow),
        "may_revoke": flow is not None and services.may_revoke(user, flow),
        "unstaffed": flow is not None and flow.current_step is not None and services.is_unstaffed(flow.current_step),
        "submit_form": forms.get("submit_form") or SubmitForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
    }  # fmt: skip
    return render(request, "approvals/flow.html", context, status=400 if forms else 200)


def flow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flow = selectors.flow_for_user(request.user, pk)
    return _page(request, flow.content_object, flow)


def object_approvals(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The object's latest flow, or its (empty) trail with the submit form."""
    obj = selectors.object_for_user(request.user, kind, pk)
    latest = selectors.flows_of(obj).first()
    if latest is not None:
        return redirect("approvals:flow", latest.pk)
    return _page(request, obj, None)


@require_POST
def submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = selectors.object_for_user(request.user, kind, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _page(request, obj, selectors.flows_of(obj).first(), submit_form=form)
    try:
        flow = services.submit(actor=request.user, obj=obj, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
        return redirect("approvals:object", kind, pk)
    messages.success(request, _("Submitted for approval."))
    return redirect("approvals:flow", flow.pk)


def _act_on_flow(request: HttpRequest, pk: int, form_class, form_name: str, act, done: str) -> HttpResponse:
    """Validate the form, then `act(flow, cleaned_data)`; the flow's page says how it went."""
    flow = selectors.flow_for_user(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, flow.content_object, flow, **{form_name: form})
    try:
        act(flow, form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, done)
    return redirect("approvals:flow", flow.pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    def act(flow, data):
        services.decide(actor=request.user, flow=flow, **data)

    return _act_on_flow(request, pk, DecisionForm, "decision_form", act, _("Decision recorded."))


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    def act(flow, data):
        services.revoke(actor=request.user, flow=flow, reason=data["reason"])

    return _act_on_flow(request, pk, RevokeForm, "revoke_form", act, _("Approval revoked."))
