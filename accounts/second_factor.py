"""The optional second factor (TOTP, django-otp): required of admins, compliance officers and model stewards when
REQUIRE_2FA_FOR_PRIVILEGED is on, and of anyone who set one up; not after a sign-in through the company's identity
provider, whose own MFA stands for it.

Until the session is verified, every page leads to setting the factor up (no confirmed device yet) or to
entering a code; the API answers 403. Signing out, the language switch and the health and metrics endpoints
stay reachable.
"""

import base64

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role, has_role
from audit.services import record_event

PRIVILEGED = (Role.ADMIN, Role.COMPLIANCE_OFFICER, Role.MODEL_STEWARD)
# Set in the session by a sign-in through the company's identity provider (accounts/oidc.py): the provider
# enforces the company's MFA, so the workbench does not ask for its own code on top (README "Company sign-in").
SIGNED_IN_WITH_IDP = "accounts.signed_in_with_idp"
_OPEN_PATHS = ("/2fa/", "/logout/", "/i18n/", "/static/", "/healthz", "/metrics", "/login/")


def required(user) -> bool:
    if settings.REQUIRE_2FA_FOR_PRIVILEGED and has_role(user, *PRIVILEGED):
        return True  # decided without a query, on every request of such a session until it is verified
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: a signed-in person who needs a verified session gets nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (not user.is_authenticated or user.is_verified() or request.path.startswith(_OPEN_PATHS)
                or request.session.get(SIGNED_IN_WITH_IDP) or not required(user)):  # fmt: skip
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "verify your second factor first"}, status=403)
        return redirect(f"{reverse('second-factor')}?next={request.get_full_path()}")


class CodeForm(forms.Form):
    code = forms.RegexField(regex=r"^\d{6}$", label=_("Code from your authenticator app"), max_length=6,
                            error_messages={"invalid": _("Enter the six digits your app shows.")})  # fmt: skip


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set the factor up (a new device, confirmed by its first code) or enter a code for this session."""
    device = TOTPDevice.objects.filter(user=request.user).order_by("-confirmed", "pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            enrolled = not device.confirmed
            if enrolled:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record_event(action="auth.second_factor_enrolled" if enrolled else "auth.second_factor_verified",
                         actor=request.user, payload={"device": device.persistent_id})  # fmt: skip
            target = request.GET.get("next", "")
            allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
            return redirect(target if allowed and target else "home")
        record_event(action="auth.second_factor_failed", actor=request.user, payload={"device": device.persistent_id})
        form.add_error("code", _("That code is not valid. Check your device's time and try the next one."))
    return render(request, "accounts/second_factor.html", {
        "form": form, "enrolling": not device.confirmed, "device": device,
        "secret": base64.b32encode(device.bin_key).decode() if not device.confirmed else "",
    }, status=400 if form.errors else 200)  # fmt: skip
