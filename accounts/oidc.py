"""Sign-in with the company's identity provider (OpenID Connect, mozilla-django-oidc): README "Company sign-in".

The provider's endpoints come from its discovery document (`OIDC_ISSUER/.well-known/openid-configuration`),
read at the first sign-in of the process. ID tokens are checked against the provider's JWKS (RS256), with state,
nonce and PKCE; their issuer and audience must be ours. People are matched by the provider's `sub` (stored in
OIDCIdentity), never by e-mail; their roles follow the provider's groups (OIDC_ROLE_MAP) at every sign-in.
"""

import re
from functools import cache

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import services
from accounts.models import User
from accounts.roles import Role
from accounts.second_factor import SIGNED_IN_WITH_IDP
from audit.services import record_event


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


@cache
def _discover(issuer: str) -> dict:
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    metadata = response.json()
    if metadata.get("issuer", "").rstrip("/") != issuer:  # OpenID Connect Discovery 1.0, section 4.3
        raise ImproperlyConfigured("The identity provider's discovery document names another issuer.")
    return metadata


def provider_metadata() -> dict:
    """The provider's discovery document, fetched once per process (a failure is not remembered)."""
    return _discover(settings.OIDC_ISSUER.rstrip("/"))


def _role(name: str) -> Role:
    """A role named as in OIDC_ROLE_MAP: "risk_officer" (or "Risk officer")."""
    for role in Role:
        if name.strip().lower() in {role.name.lower(), role.value.lower()}:
            return role
    raise ImproperlyConfigured(f"OIDC_ROLE_MAP names an unknown role: {name!r}")


def roles_from_claims(claims: dict) -> set[Role]:
    """The workbench roles the provider's groups map to; groups the map does not name give nothing."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = {group: _role(name) for group, name in settings.OIDC_ROLE_MAP.items()}
    return {mapping[group] for group in groups if isinstance(group, str) and group in mapping}


def _username(claims: dict) -> str:
    wanted = claims.get("preferred_username") or claims.get("email", "").split("@")[0] or "user"
    return re.sub(r"[^\w.@+-]", "", wanted)[:140]  # Django's username characters


def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """At startup (system checks), not at someone's first sign-in: a role map naming no role, a missing client."""
    errors = []
    for name in settings.OIDC_ROLE_MAP.values():
        try:
            _role(name)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), hint=f"Use one of: {', '.join(r.name.lower() for r in Role)}.",
                                       id="accounts.E001"))  # fmt: skip
    if enabled() and not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
        errors.append(checks.Error("OIDC_ISSUER is set without OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.",
                                   id="accounts.E002"))  # fmt: skip
    return errors


class Refused(SuspiciousOperation):
    """A sign-in the workbench turns away; the person has been told why (the text here is for the log: no PII)."""


class OIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the provider's callback; every other sign-in (a password) passes through untouched."""

    def __init__(self, *args, **kwargs):
        # The library reads the endpoints here; Django builds backends for every permission check too, so they
        # are read at sign-in instead (see authenticate), from discovery.
        self.UserModel = User

    get_user = ModelBackend.get_user  # an account deactivated in the workbench loses its session at once

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "nonce" not in kwargs:  # only the callback view passes a nonce
            return None
        metadata = provider_metadata()
        self.issuer = settings.OIDC_ISSUER.rstrip("/")
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None  # always the provider's JWKS
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; the issuer and audience are checked here."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != self.issuer or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another issuer or client")
        if "exp" not in payload or not payload.get("sub"):
            raise SuspiciousOperation("ID token without expiry or subject")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with the userinfo endpoint's, which must be about the same person."""
        user_info = super().get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload["sub"]:  # OpenID Connect Core 1.0, section 5.3.2
            raise SuspiciousOperation("userinfo is about another subject")
        return {**payload, **user_info}

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return User.objects.filter(oidc_identity__issuer=self.issuer, oidc_identity__subject=claims["sub"])

    def create_user(self, claims):
        roles = roles_from_claims(claims)
        if not roles:
            self._refuse(claims, "no_mapped_group")
        try:
            return services.create_oidc_account(
                issuer=self.issuer, subject=claims["sub"], username=_username(claims),
                email=claims.get("email", ""), first_name=claims.get("given_name", ""),
                last_name=claims.get("family_name", ""), roles=roles,
            )  # fmt: skip
        except ValidationError:
            self._refuse(claims, "invalid_claims")

    def update_user(self, user, claims):
        if not user.is_active:
            self._refuse(claims, "deactivated")
        roles = roles_from_claims(claims)
        services.apply_oidc_roles(person=user, roles=roles)  # none left: the roles go, and so does the person
        if not roles:
            self._refuse(claims, "no_mapped_group")
        return user

    def _refuse(self, claims: dict, reason: str):
        messages.error(self.request, _REFUSALS[reason])
        subject = str(claims.get("sub", ""))[:255]
        record_event(action="auth.oidc_refused", system="oidc",
                     payload={"reason": reason, "issuer": self.issuer, "subject": subject})  # fmt: skip
        raise Refused(reason)


_REFUSALS = {
    "no_mapped_group": _(
        "Your company account is not in any group that gives access to the Workbench. "
        "Ask your administrator to add you to one."
    ),
    "deactivated": _(
        "Your Workbench account has been deactivated. Ask an administrator if you need access again."
    ),
    "invalid_claims": _(
        "Your company account's details could not be used to create a Workbench account. Ask your administrator."
    ),
    "provider": _(
        "The company's sign-in refused you. If you should have access, ask your administrator."
    ),
    "unavailable": _("The company's sign-in did not answer. Try again in a moment."),
}


def _refused_by_provider_or_unreachable(request, reason: str, **payload):
    messages.error(request, _REFUSALS[reason])
    record_event(action="auth.oidc_refused", system="oidc", payload={"reason": reason, **payload})
    return HttpResponseRedirect(reverse("login"))


@method_decorator(login_not_required, name="dispatch")
class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and a PKCE challenge kept in the session."""

    def __init__(self, *args, **kwargs):
        # Skips the library's __init__, which reads the endpoints: they are read per request, below.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except (requests.RequestException, ValueError, KeyError):
            return _refused_by_provider_or_unreachable(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: a code to exchange, or the provider's refusal."""

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        if not enabled():
            raise Http404
        if request.GET.get("error"):  # e.g. access_denied: the provider removed or disabled the person
            super().get(request)  # drops the state and any session, as the library does
            return _refused_by_provider_or_unreachable(request, "provider", error=request.GET["error"][:64])
        try:
            return super().get(request)
        except requests.HTTPError as error:  # e.g. no token: the person was disabled since the redirect
            refused = error.response is not None and error.response.status_code < 500
            return _refused_by_provider_or_unreachable(request, "provider" if refused else "unavailable")
        except requests.RequestException:
            return _refused_by_provider_or_unreachable(request, "unavailable")

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGNED_IN_WITH_IDP] = True
        return response
