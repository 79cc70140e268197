from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts.models import User
from reviews.matters import access, selectors, services
from reviews.matters.forms import MatterGrantForm, MatterOpenForm, MatterTransferForm


def home(request):
    return render(request, "matters/home.html", {"matter_count": selectors.matters_for_user(request.user).count(),
                                                 "may_open": access.may_open_matters(request.user)})  # fmt: skip


class MatterListView(ListView):
    template_name = "matters/matter_list.html"
    context_object_name = "matters"
    paginate_by = 50

    def get_queryset(self):
        return selectors.matter_list_for_user(self.request.user, self._state())

    def _state(self) -> str:
        state = self.request.GET.get("state", "open")
        return state if state in selectors.LIST_STATES else "open"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, state=self._state(),
                                         may_open=access.may_open_matters(self.request.user))  # fmt: skip


def _refuse_on_form(form, refusal: ValidationError) -> None:
    if hasattr(refusal, "error_dict"):
        for field, errors in refusal.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal.messages)


def matter_open(request):
    """Lawyers and administrators open a matter; nobody else sees the form."""
    services.require_may_open_matters(request.user)
    form = MatterOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.create_matter(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            _refuse_on_form(form, refusal)
        else:
            messages.success(request, _("Matter %(reference)s opened.") % {"reference": matter.reference})
            if access.may_see(request.user, matter):  # not so when opened for another lawyer
                return redirect("contracts:matter-detail", pk=matter.pk)
            return redirect("matters:matter-list")
    return render(request, "matters/matter_open.html", {"form": form})


def matter_access(request, pk: int):
    """A matter's access managers grant and revoke access to users and groups; each change is audited."""
    matter = selectors.matter_for_user(request.user, pk)
    if not access.may_manage_access(request.user, matter):
        raise PermissionDenied
    form = MatterGrantForm()
    if request.method == "POST" and request.POST.get("action") == "revoke":
        model = Group if request.POST.get("grantee_type") == "group" else User
        grantee = get_object_or_404(model, pk=request.POST.get("grantee_id"))
        services.revoke_matter_access(actor=request.user, matter=matter, grantee=grantee,
                                      reason=request.POST.get("reason", ""))  # fmt: skip
        messages.success(request, _("Access revoked."))
        return redirect("matters:matter-access", pk=matter.pk)
    if request.method == "POST":
        form = MatterGrantForm(request.POST)
        if form.is_valid():
            grantee = form.cleaned_data["user"] or form.cleaned_data["group"]
            services.grant_matter_access(actor=request.user, matter=matter, grantee=grantee,
                                         permissions=tuple(form.cleaned_data["permissions"]))  # fmt: skip
            messages.success(request, _("Access granted."))
            return redirect("matters:matter-access", pk=matter.pk)
    return render(request, "matters/matter_access.html", {
        "matter": matter, "form": form, **selectors.matter_grants(matter), "transfer_form": MatterTransferForm(),
        "may_transfer": access.may_transfer_close_or_reopen(request.user, matter),
    })  # fmt: skip


def _apply(request, write, success: str) -> None:
    """Run a change to the matter's life, its actor checked before the input: refused input comes back as a message."""
    try:
        write()
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, success)


@require_POST
def matter_transfer(request, pk: int):
    matter = selectors.matter_for_user(request.user, pk)
    services.require_owner_or_admin(request.user, matter)
    form = MatterTransferForm(request.POST)
    if form.is_valid():
        _apply(request, lambda: services.transfer_matter(actor=request.user, matter=matter, **form.cleaned_data),
               _("The matter has a new responsible lawyer."))  # fmt: skip
    else:
        messages.error(request, _("Choose the new responsible lawyer."))
    if access.may_manage_access(request.user, matter):
        return redirect("matters:matter-access", pk=matter.pk)
    return redirect("contracts:matter-detail", pk=matter.pk)


@require_POST
def matter_close(request, pk: int):
    matter = selectors.matter_for_user(request.user, pk)
    services.require_owner_or_admin(request.user, matter)
    reason = request.POST.get("reason", "")
    _apply(request, lambda: services.close_matter(actor=request.user, matter=matter, reason=reason),
           _("The matter is closed: it can be read but not changed."))  # fmt: skip
    return redirect("contracts:matter-detail", pk=matter.pk)


@require_POST
def matter_reopen(request, pk: int):
    matter = selectors.matter_for_user(request.user, pk)
    services.require_owner_or_admin(request.user, matter)
    reason = request.POST.get("reason", "")
    _apply(request, lambda: services.reopen_matter(actor=request.user, matter=matter, reason=reason),
           _("The matter is open again."))  # fmt: skip
    return redirect("contracts:matter-detail", pk=matter.pk)


@require_POST
def matter_legal_hold(request, pk: int):
    matter = selectors.matter_for_user(request.user, pk)
    services.require_legal_hold_right(request.user, matter)
    reason = request.POST.get("reason", "")
    hold = request.POST.get("hold") == "on"
    _apply(request, lambda: services.set_legal_hold(actor=request.user, matter=matter, hold=hold, reason=reason),
           _("The matter is on legal hold.") if hold else _("The legal hold is lifted."))  # fmt: skip
    return redirect("contracts:matter-detail", pk=matter.pk)
