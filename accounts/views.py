from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import oidc, selectors, services
from accounts.forms import DeactivateForm, InviteForm, RolesForm
from accounts.models import User
from accounts.roles import Role
from audit.services import record_event


class LoginView(auth_views.LoginView):
    """The sign-in page: a username and password (unless LOCAL_LOGIN is off), the company's sign-in when on."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            username = request.POST.get("username", "")[:150]
            record_event(action="auth.local_login_refused", payload={"username": username})
            refused = _("Sign-in with a password is turned off. Use the company sign-in.")
            return self.render_to_response(self.get_context_data(refused=refused), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            local_login=settings.LOCAL_LOGIN, oidc_enabled=oidc.enabled(), oidc_provider=settings.OIDC_PROVIDER_NAME,
            **kwargs,
        )  # fmt: skip


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]


def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_event(action="user.preferences_changed", actor=request.user, target=request.user,
                     payload={"language": form.cleaned_data["language"]})
        messages.success(request, _("Preferences saved."))
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})


def people(request):
    services.require_admin(request.user)
    rows = []
    for person in selectors.people():
        status = selectors.status_of(person)
        rows.append({"person": person, "status": status, "status_label": selectors.STATUS_LABELS[status],
                     "roles": [Role(group.name).label for group in person.role_groups]})  # in the reader's language
    return render(request, "accounts/people.html", {"rows": rows})


def invite(request):
    services.require_admin(request.user)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.invite_person(actor=request.user, absolute_url=request.build_absolute_uri,
                                        **form.cleaned_data)  # fmt: skip
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
        return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/invite.html", {"form": form, "invitation_days": settings.INVITATION_DAYS})


def person(request, pk: int):
    services.require_admin(request.user)
    person = get_object_or_404(User, pk=pk)
    return render(request, "accounts/person.html", _person_context(person))


def _person_context(person: User, **bound_forms) -> dict:
    return {
        "person": person,
        "status": selectors.status_of(person),
        "status_label": selectors.STATUS_LABELS[selectors.status_of(person)],
        "roles_form": bound_forms.get("roles_form") or RolesForm(initial={"roles": selectors.role_names(person)}),
        "deactivate_form": bound_forms.get("deactivate_form") or DeactivateForm(person=person),
    }


@require_POST
def person_reinvite(request, pk: int):
    services.require_admin(request.user)
    person = get_object_or_404(User, pk=pk)
    try:
        services.reinvite_person(actor=request.user, person=person, absolute_url=request.build_absolute_uri)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
    return redirect("accounts:person", pk=person.pk)


@require_POST
def person_roles(request, pk: int):
    services.require_admin(request.user)
    person = get_object_or_404(User, pk=pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.change_roles(actor=request.user, person=person, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/person.html", _person_context(person, roles_form=form))


@require_POST
def person_deactivate(request, pk: int):
    services.require_admin(request.user)
    person = get_object_or_404(User, pk=pk)
    form = DeactivateForm(request.POST, person=person)
    if form.is_valid():
        try:
            departure = services.deactivate_person(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "accounts/deactivated.html", {"departure": departure})
    return render(request, "accounts/person.html", _person_context(person, deactivate_form=form))


@login_not_required
def invitation(request, token: str):
    """The invitee chooses a password (Django's validators apply), then signs in."""
    try:
        person = services.invitee_of(token)
    except services.InvitationRefused as refused:
        return render(request, "accounts/invitation_refused.html", {"reason": str(refused)}, status=410)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token=token, password=form.cleaned_data["new_password1"])
        except services.InvitationRefused as refused:
            return render(request, "accounts/invitation_refused.html", {"reason": str(refused)}, status=410)
        messages.success(request, _("Your password is set. Sign in with it now."))
        return redirect("login")
    return render(request, "accounts/invitation.html", {"form": form, "person": person})
