"""Company sign-in (accounts/oidc.py) against a real OpenID Connect provider on loopback (tests/support).

Each sign-in runs the whole redirect flow: the workbench sends the browser to the provider's authorize endpoint,
the provider sends it back to /oidc/callback/ with a code, and the workbench exchanges the code, checks the RS256
ID token against the provider's JWKS, reads userinfo and signs the person in.
"""

import secrets

import pytest
import requests
from django.core.exceptions import ValidationError
from django.urls import reverse
from joserfc.jwk import RSAKey

from accounts import services
from accounts.models import OIDCIdentity, User
from accounts.roles import Role, roles_of
from accounts.selectors import status_of
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.support.oidc_provider import OIDCProvider, Person

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def provider():
    with OIDCProvider("workbench", secrets.token_urlsafe(24), [CALLBACK]) as running:
        yield running


@pytest.fixture
def idp(provider, settings):
    """The provider, configured as the workbench's company sign-in, with nobody at it yet."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_PROVIDER_NAME = "Example Corp SSO"
    settings.OIDC_RP_CLIENT_ID = provider.client.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client.client_secret
    settings.OIDC_ROLE_MAP = {"idp-legal": "lawyer", "idp-risk": "risk_officer", "idp-it": "admin"}
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.OIDCBackend"]
    provider.people.clear()
    provider.signed_in = None
    provider.id_token_overrides = {}
    provider.forged_key = None
    return provider


def alice(**changes) -> Person:
    person = {"sub": "00u-alice-7f3", "username": "alice", "email": "alice@example.com", "given_name": "Alice",
              "family_name": "Liddell", "groups": ["idp-legal", "everyone"]}  # fmt: skip
    return Person(**(person | changes))


def sign_in(client, idp: OIDCProvider):
    """Click the company sign-in button and follow the browser's redirects through the provider and back."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start.url.startswith(f"{idp.issuer}/authorize?"), start
    at_provider = requests.get(start.url, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = at_provider.headers["Location"]
    assert back.startswith(f"{CALLBACK}?")
    return client.get(back)


def messages_on_login_page(client) -> str:
    return client.get(reverse("login")).content.decode()


def actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True))


def test_the_login_page_offers_the_company_sign_in(client, idp):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Example Corp SSO" in page and reverse("oidc_authentication_init") in page
    assert 'name="password"' in page  # local passwords stay available


def test_first_sign_in_creates_the_account_with_the_mapped_role(client, idp):
    # Someone already has a local account with the same e-mail: matching is by the provider's `sub`, not e-mail.
    local = UserFactory(username="alice", email="alice@example.com", role=Role.COMPLIANCE_OFFICER)
    idp.add(alice())

    response = sign_in(client, idp)

    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    user = User.objects.get(oidc_identity__issuer=idp.issuer, oidc_identity__subject="00u-alice-7f3")
    assert user.pk != local.pk and user.username == "alice-2"
    assert (user.email, user.first_name, user.last_name) == ("alice@example.com", "Alice", "Liddell")
    assert roles_of(user) == {Role.LAWYER}  # "everyone" is not in the map and gives nothing
    assert not user.has_usable_password() and status_of(user) == "active"
    assert roles_of(User.objects.get(pk=local.pk)) == {Role.COMPLIANCE_OFFICER}

    assert actions(object_id=str(user.pk), action__in=["user.oidc_created", "user.roles_changed", "auth.login"]) == [
        "user.oidc_created", "user.roles_changed", "auth.login",
    ]  # fmt: skip
    created = AuditEvent.objects.get(action="user.oidc_created", object_id=str(user.pk))
    assert created.actor == "system:oidc"
    assert created.payload == {"username": "alice-2", "issuer": idp.issuer, "subject": "00u-alice-7f3"}
    change = AuditEvent.objects.get(action="user.roles_changed", object_id=str(user.pk))
    assert (change.payload["before"], change.payload["after"], change.payload["source"]) == ([], ["Lawyer"], "oidc")
    assert AuditEvent.objects.get(action="auth.login", object_id=str(user.pk)).actor_id == user.pk


def test_a_group_change_at_the_provider_applies_at_the_next_sign_in(client, idp):
    person = idp.add(alice())
    sign_in(client, idp)
    client.post(reverse("logout"))

    person.groups = ["idp-risk", "idp-it"]
    response = sign_in(client, idp)

    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(oidc_identity__subject=person.sub)
    assert OIDCIdentity.objects.count() == 1  # the same account, found again by `sub`
    assert roles_of(user) == {Role.RISK_OFFICER, Role.ADMIN}
    changes = AuditEvent.objects.filter(action="user.roles_changed", object_id=str(user.pk)).order_by("seq")
    assert [(e.payload["before"], e.payload["after"]) for e in changes] == [
        ([], ["Lawyer"]), (["Lawyer"], ["Admin", "Risk officer"]),
    ]  # fmt: skip
    assert actions(object_id=str(user.pk), action="auth.login") == ["auth.login", "auth.login"]

    # Unchanged groups: a sign-in with no role change records none.
    client.post(reverse("logout"))
    sign_in(client, idp)
    assert AuditEvent.objects.filter(action="user.roles_changed", object_id=str(user.pk)).count() == 2


def test_a_person_disabled_at_the_provider_cannot_sign_in(client, idp):
    person = idp.add(alice())
    sign_in(client, idp)
    client.post(reverse("logout"))

    person.enabled = False
    response = sign_in(client, idp)

    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302  # not signed in
    assert "The company&#x27;s sign-in refused you" in messages_on_login_page(client)
    refused = AuditEvent.objects.get(action="auth.oidc_refused")
    assert refused.payload == {"reason": "provider", "error": "access_denied"}


def test_someone_in_no_mapped_group_is_refused_and_no_account_is_made(client, idp):
    idp.add(alice(groups=["everyone"]))

    response = sign_in(client, idp)

    assert response.status_code == 302 and response.url == reverse("login")
    assert "not in any group that gives access" in messages_on_login_page(client)
    assert not User.objects.filter(email="alice@example.com").exists()
    refused = AuditEvent.objects.get(action="auth.oidc_refused")
    assert refused.payload["reason"] == "no_mapped_group" and refused.payload["subject"] == "00u-alice-7f3"


def test_losing_every_mapped_group_removes_the_roles_and_refuses(client, idp):
    person = idp.add(alice())
    sign_in(client, idp)
    client.post(reverse("logout"))

    person.groups = ["everyone"]
    response = sign_in(client, idp)

    assert response.url == reverse("login")
    user = User.objects.get(oidc_identity__subject=person.sub)
    assert roles_of(user) == frozenset()
    changes = AuditEvent.objects.filter(action="user.roles_changed", object_id=str(user.pk)).order_by("seq")
    assert changes.last().payload["after"] == []


def test_an_idp_account_is_active_and_gets_no_invitation_to_a_local_password(client, idp):
    person = idp.add(alice())
    sign_in(client, idp)
    user = User.objects.get(oidc_identity__subject=person.sub)
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    assert 'data-testid="reinvite-form"' not in client.get(reverse("accounts:person", args=[user.pk])).content.decode()
    with pytest.raises(ValidationError):
        services.reinvite_person(actor=admin, person=user, absolute_url=lambda path: f"http://testserver{path}")
    assert not User.objects.get(pk=user.pk).has_usable_password()


def test_a_person_deactivated_in_the_workbench_is_refused(client, idp):
    person = idp.add(alice())
    sign_in(client, idp)
    client.post(reverse("logout"))
    admin = UserFactory(role=Role.ADMIN)
    user = User.objects.get(oidc_identity__subject=person.sub)
    services.deactivate_person(actor=admin, person=user, reason="left the company")

    response = sign_in(client, idp)

    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302
    assert "has been deactivated" in messages_on_login_page(client)
    assert AuditEvent.objects.get(action="auth.oidc_refused").payload["reason"] == "deactivated"
    assert roles_of(User.objects.get(pk=user.pk)) == frozenset()  # the leaver's roles did not come back


def test_local_login_off_refuses_a_password(client, idp, settings):
    user = UserFactory(role=Role.LAWYER)
    admin = UserFactory(role=Role.ADMIN, is_staff=True)
    assert client.post(reverse("admin:login"), {"username": admin.username, "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))

    settings.LOCAL_LOGIN = False

    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page and "Sign in with Example Corp SSO" in page
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403 and "Sign-in with a password is turned off" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.get(action="auth.local_login_refused").payload == {"username": user.username}
    # The password backend itself says no, so the admin site's login form (which worked above) does too.
    assert client.post(reverse("admin:login"), {"username": admin.username, "password": PASSWORD}).status_code == 200
    assert client.get(reverse("home")).status_code == 302

    idp.add(alice())
    assert sign_in(client, idp).url == reverse("home")


def test_a_privileged_idp_sign_in_is_not_asked_for_the_workbench_code(client, idp, settings):
    """The provider's MFA stands for the workbench's second factor (README "Company sign-in (OIDC)")."""
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    idp.add(alice(groups=["idp-it"]))
    sign_in(client, idp)
    assert client.get(reverse("accounts:people")).status_code == 200

    # The same admin role through a local password is still asked for a code.
    other = UserFactory(role=Role.ADMIN)
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302 and response.url.startswith(reverse("second-factor"))


def test_a_callback_replayed_or_without_its_state_signs_nobody_in(client, idp):
    idp.add(alice())
    start = client.get(reverse("oidc_authentication_init"))
    back = requests.get(start.url, allow_redirects=False, timeout=10).headers["Location"]
    assert client.get(back).url == reverse("home")
    client.post(reverse("logout"))

    assert client.get(back).url == reverse("login")  # its state was used up
    assert client.get(reverse("home")).status_code == 302
    assert actions(action="auth.login") == ["auth.login"]


def test_company_sign_in_is_off_without_an_issuer(client, settings):
    settings.OIDC_ISSUER = ""
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert reverse("oidc_authentication_init") not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("forged", [{"aud": ["another-app"]}, {"iss": "http://127.0.0.1:9/"}], ids=["aud", "iss"])
def test_an_id_token_for_another_client_or_issuer_is_refused(client, idp, forged):
    idp.add(alice())
    idp.id_token_overrides = forged
    response = sign_in(client, idp)
    assert response.status_code == 400
    assert client.get(reverse("home")).status_code == 302
    assert not User.objects.filter(email="alice@example.com").exists()


def test_an_id_token_not_signed_by_the_published_key_is_refused(client, idp):
    idp.add(alice())
    idp.forged_key = RSAKey.generate_key(2048, parameters={"kid": idp.key.kid, "alg": "RS256"})
    assert sign_in(client, idp).status_code == 400
    assert client.get(reverse("home")).status_code == 302
    assert not User.objects.filter(email="alice@example.com").exists()
