from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import ListView

from accounts.models import User
from reviews.matters import access, selectors, services
from reviews.matters.forms import MatterGrantForm


def home(request):
    return render(request, "matters/home.html", {"matter_count": selectors.matters_for_user(request.user).count()})


class MatterListView(ListView):
    template_name = "matters/matter_list.html"
    context_object_name = "matters"
    paginate_by = 50

    def get_queryset(self):
        return selectors.matters_for_user(self.request.user)


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
    return render(request, "matters/matter_access.html", {"matter": matter, "form": form, **selectors.matter_grants(matter)})
