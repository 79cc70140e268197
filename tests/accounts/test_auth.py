import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_every_page_but_login_and_health_requires_login(client):
    for name in ["home", "preferences", "matters:matter-list", "admin:index"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response.url, name
    for name in ["api-docs", "api-schema", "matter-list"]:  # the API answers, it does not redirect
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("login")).status_code == 200


def test_login_and_logout_are_recorded(client):
    user = UserFactory()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200

    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302

    events = AuditEvent.objects.filter(actor_id=user.pk).order_by("seq")
    assert [e.action for e in events if e.action.startswith("auth.")] == ["auth.login", "auth.logout"]
    login = events.get(action="auth.login")
    assert login.source_ip == "10.1.2.3" and len(login.request_id) == 32


def test_failed_login_is_recorded_without_the_password(client):
    user = UserFactory()
    response = _login(client, user.username, "wrong password")
    assert response.status_code == 200 and "didn" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.payload == {"username": user.username}
    assert "wrong password" not in str(event.payload)


def test_repeated_failures_lock_the_account_from_that_address(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "nope")
    locked = _login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert client.get(reverse("home")).status_code == 302  # the right password did not get in
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    # Another account from the same address is not locked by someone else's failures.
    other = UserFactory()
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_logout_needs_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
