"""The TOTP second factor: asked of privileged roles when required, and of anyone who set one up."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, user) -> None:
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COMPLIANCE_OFFICER, Role.MODEL_STEWARD])
def test_a_privileged_person_sets_the_factor_up_before_anything_else(client, settings, role):
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp makes a failure wait; the test tries again at once
    person = UserFactory(role=role)
    _sign_in(client, person)

    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second-factor"))
    assert client.get("/api/matters/").status_code == 403
    setup = client.get(reverse("second-factor"))
    assert 'data-testid="totp-secret"' in setup.content.decode()
    device = TOTPDevice.objects.get(user=person)

    assert client.post(reverse("second-factor"), {"code": "000000" if _code(device) != "000000" else "111111"}
                       ).status_code == 400  # fmt: skip
    assert client.post(reverse("second-factor"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.second_factor_enrolled", actor=person.username).exists()
    assert AuditEvent.objects.filter(action="auth.second_factor_failed").exists()


def test_a_new_session_asks_for_a_code_and_shows_no_key(client, settings):
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    steward = UserFactory(role=Role.MODEL_STEWARD)
    device = TOTPDevice.objects.create(user=steward, name="authenticator", confirmed=True)
    _sign_in(client, steward)
    page = client.get(reverse("second-factor")).content.decode()
    assert 'data-testid="totp-secret"' not in page
    client.post(reverse("second-factor"), {"code": _code(device)})
    assert client.get(reverse("home")).status_code == 200


def test_others_are_not_asked_unless_they_set_one_up(client, settings):
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    lawyer = UserFactory(role=Role.LAWYER)
    _sign_in(client, lawyer)
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.create(user=lawyer, name="authenticator", confirmed=True)
    client.logout()
    _sign_in(client, lawyer)
    assert client.get(reverse("home")).status_code == 302


def test_off_by_default_for_privileged_roles(client):
    _sign_in(client, UserFactory(role=Role.ADMIN))
    assert client.get(reverse("home")).status_code == 200
