"""Issue 24: people, from invitation to leaving, managed by administrators in the workbench's own pages."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import get_perms

from accounts.models import User
from accounts.roles import Role, roles_of
from audit.models import AuditEvent
from reviews.matters.models import Matter
from tests.factories import PASSWORD, MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"
INVITEE = {"username": "hana", "email": "hana@example.test", "first_name": "Hana", "last_name": "Sato",
           "role": Role.LAWYER.value}  # fmt: skip


@pytest.fixture
def people_admin(client):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    client.admin = admin
    return client


def _invite(people_admin) -> str:
    """Invite INVITEE and return the path of the link in the e-mail."""
    response = people_admin.post(reverse("accounts:invite"), INVITEE)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hana@example.test"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    return link.split("testserver", 1)[1]


def _accept(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7")


def test_an_invitee_chooses_a_password_once_and_signs_in(people_admin):
    path = _invite(people_admin)
    hana = User.objects.get(username="hana")
    assert not hana.has_usable_password() and roles_of(hana) == {Role.LAWYER}
    assert AuditEvent.objects.get(action="user.invited").payload["role"] == Role.LAWYER.value
    listed = people_admin.get(reverse("accounts:people")).content.decode()
    assert "hana" in listed and 'data-status="invited"' in listed

    invitee = Client()
    assert invitee.get(path).status_code == 200  # signed out: the link is the credential
    assert _accept(invitee, path, "short").status_code == 200  # Django's password validators apply
    assert not User.objects.get(username="hana").has_usable_password()
    response = _accept(invitee, path)
    assert response.status_code == 302 and response.url == reverse("login")
    assert _login(invitee, "hana", NEW_PASSWORD).status_code == 302
    assert invitee.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.invitation_accepted", actor_id=hana.pk).exists()

    # The link is used up, signed in or not.
    for visitor in (invitee, Client()):
        refused = visitor.get(path)
        assert refused.status_code == 410 and "already been used" in refused.content.decode()
        assert _accept(visitor, path, "another long passphrase 99").status_code == 410
    assert User.objects.get(username="hana").check_password(NEW_PASSWORD)


def test_an_expired_or_forged_link_is_refused(people_admin, monkeypatch, settings):
    settings.INVITATION_DAYS = 7
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    path = _invite(people_admin)
    monkeypatch.undo()
    invitee = Client()
    refused = invitee.get(path)
    assert refused.status_code == 410 and "expired" in refused.content.decode()
    assert _accept(invitee, path).status_code == 410
    assert not User.objects.get(username="hana").has_usable_password()
    forged = invitee.get(reverse("accounts:invitation", kwargs={"token": path.split("/")[-2] + "x"}))
    assert forged.status_code == 410 and "not valid" in forged.content.decode()


def test_a_new_invitation_replaces_the_earlier_link(people_admin):
    first = _invite(people_admin)
    hana = User.objects.get(username="hana")
    assert people_admin.post(reverse("accounts:person-reinvite", args=[hana.pk])).status_code == 302
    assert len(mail.outbox) == 2
    second = re.search(r"https?://\S+", mail.outbox[1].body).group(0).split("testserver", 1)[1]
    invitee = Client()
    assert invitee.get(first).status_code == 410
    assert _accept(invitee, second).status_code == 302
    assert AuditEvent.objects.filter(action="user.reinvited", object_id=str(hana.pk)).exists()
    # Once the password is chosen there is nothing to re-send.
    response = people_admin.post(reverse("accounts:person-reinvite", args=[hana.pk]), follow=True)
    assert "has not yet accepted" in response.content.decode() and len(mail.outbox) == 2


def test_invitation_needs_an_unused_username_and_email(people_admin):
    UserFactory(username="taken", email="taken@example.test")
    response = people_admin.post(reverse("accounts:invite"), {**INVITEE, "username": "taken"})
    assert response.status_code == 200
    response = people_admin.post(reverse("accounts:invite"), {**INVITEE, "email": "TAKEN@example.test"})
    assert response.status_code == 200 and "already has an account" in response.content.decode()
    assert mail.outbox == [] and not User.objects.filter(username="hana").exists()


@pytest.mark.parametrize("role", [None, Role.LAWYER, Role.RISK_OFFICER, Role.COMPLIANCE_OFFICER, Role.MODEL_STEWARD])
def test_only_administrators_reach_the_people_pages(client, role):
    someone = UserFactory(role=Role.LAWYER)
    matter = MatterFactory(owner=someone)
    client.force_login(UserFactory(role=role))
    for name in ["accounts:people", "accounts:invite"]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("accounts:invite"), INVITEE).status_code == 403
    assert client.get(reverse("accounts:person", args=[someone.pk])).status_code == 403
    assert client.post(reverse("accounts:person-reinvite", args=[someone.pk])).status_code == 403
    roles = {"roles": [Role.ADMIN.value]}
    assert client.post(reverse("accounts:person-roles", args=[someone.pk]), roles).status_code == 403
    leave = {"reason": "gone"}
    assert client.post(reverse("accounts:person-deactivate", args=[someone.pk]), leave).status_code == 403
    someone.refresh_from_db()
    assert someone.is_active and roles_of(someone) == {Role.LAWYER} and matter.owner_id == someone.pk
    assert mail.outbox == [] and not User.objects.filter(username="hana").exists()


def test_signed_out_visitors_are_sent_to_login(client):
    for url in [reverse("accounts:people"), reverse("accounts:invite"), reverse("accounts:person", args=[1])]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_an_administrator_changes_roles(people_admin):
    person = UserFactory(role=Role.LAWYER)
    page = people_admin.get(reverse("accounts:person", args=[person.pk]))
    assert page.status_code == 200 and "People" in [item["label"] for item in page.context["nav_items"]]
    new_roles = {"roles": [Role.RISK_OFFICER.value, Role.COMPLIANCE_OFFICER.value]}
    response = people_admin.post(reverse("accounts:person-roles", args=[person.pk]), new_roles)
    assert response.status_code == 302
    assert roles_of(User.objects.get(pk=person.pk)) == {Role.RISK_OFFICER, Role.COMPLIANCE_OFFICER}
    event = AuditEvent.objects.get(action="user.roles_changed")
    assert event.payload["before"] == ["Lawyer"] and event.payload["after"] == ["Compliance officer", "Risk officer"]

    # An administrator cannot lock themselves out.
    response = people_admin.post(reverse("accounts:person-roles", args=[people_admin.admin.pk]), {"roles": []})
    assert response.status_code == 200 and "your own Admin role" in response.content.decode()
    assert Role.ADMIN in roles_of(User.objects.get(pk=people_admin.admin.pk))


def test_a_leaver_is_signed_out_at_once_and_loses_every_grant(people_admin):
    leaver = UserFactory(role=Role.LAWYER)
    owned = MatterFactory(owner=leaver, reference="M-OWNED")
    grant(leaver, owned)
    grant(leaver, owned, "manage_matter_access")
    staffed = MatterFactory(reference="M-STAFFED")
    grant(leaver, staffed, "change_matter")
    leaver_client = Client()
    assert _login(leaver_client, leaver.username, PASSWORD).status_code == 302
    assert leaver_client.get(reverse("home")).status_code == 200

    response = people_admin.post(reverse("accounts:person-deactivate", args=[leaver.pk]), {"reason": "left the firm"})
    assert response.status_code == 200
    assert "M-OWNED" in response.content.decode()

    next_request = leaver_client.get(reverse("home"))
    assert next_request.status_code == 302 and "/login/" in next_request.url
    assert _login(leaver_client, leaver.username, PASSWORD).status_code == 200  # the old password is gone too

    leaver = User.objects.get(pk=leaver.pk)  # kept, never deleted
    assert not leaver.is_active and not leaver.has_usable_password() and not leaver.groups.exists()
    assert get_perms(leaver, owned) == [] and get_perms(leaver, staffed) == []
    flagged = AuditEvent.objects.get(action="matter.needs_owner")
    assert flagged.object_id == str(owned.pk) and flagged.payload["previous_owner"] == leaver.username
    revoked = AuditEvent.objects.filter(action="permission.revoked", payload__grantee_id=leaver.pk)
    assert {event.object_id for event in revoked.filter(object_type="matters.matter")} == {str(owned.pk),
                                                                                          str(staffed.pk)}
    # Leaving the role's group is a revocation of its own (the role's rights over every matter).
    assert [event.payload["role"] for event in revoked.filter(object_type="accounts.user")] == ["Lawyer"]
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.actor_id == people_admin.admin.pk and event.payload["reason"] == "left the firm"
    assert event.payload["groups_left"] == ["Lawyer"] and event.payload["owned_matters"] == ["M-OWNED"]
    listed = people_admin.get(reverse("accounts:people")).content.decode()
    assert 'data-status="deactivated"' in listed


def test_a_leavers_matters_go_to_the_named_successor(people_admin):
    leaver, successor = UserFactory(role=Role.LAWYER), UserFactory(role=Role.LAWYER)
    first, second = MatterFactory(owner=leaver), MatterFactory(owner=leaver)
    response = people_admin.post(reverse("accounts:person-deactivate", args=[leaver.pk]),
                                 {"reason": "retired", "successor": successor.pk})  # fmt: skip
    assert response.status_code == 200 and "Transferred" in response.content.decode()
    assert set(Matter.objects.filter(owner=successor)) == {first, second}
    assert "manage_matter_access" in get_perms(successor, first)
    assert AuditEvent.objects.filter(action="matter.transferred").count() == 2
    assert not AuditEvent.objects.filter(action="matter.needs_owner").exists()


def test_deactivation_needs_a_reason_and_never_hits_oneself(people_admin):
    leaver = UserFactory(role=Role.LAWYER)
    response = people_admin.post(reverse("accounts:person-deactivate", args=[leaver.pk]), {"reason": ""})
    assert response.status_code == 200 and User.objects.get(pk=leaver.pk).is_active
    admin = people_admin.admin
    response = people_admin.post(reverse("accounts:person-deactivate", args=[admin.pk]), {"reason": "oops"})
    assert response.status_code == 200 and "your own account" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()


def test_the_demo_admin_is_a_role_not_a_superuser(client, settings):
    settings.DEMO_PASSWORD = "demo password for tests"
    call_command("seed_demo")
    admin = User.objects.get(username="admin")
    assert not admin.is_superuser and not admin.is_staff and roles_of(admin) == {Role.ADMIN}
    client.force_login(admin)
    assert client.get(reverse("accounts:people")).status_code == 200


def test_the_people_pages_speak_japanese(people_admin):
    people_admin.admin.language = "ja"
    people_admin.admin.save()
    assert "ユーザーを招待" in people_admin.get(reverse("accounts:people")).content.decode()
    refused = Client(HTTP_ACCEPT_LANGUAGE="ja").get(reverse("accounts:invitation", kwargs={"token": "forged"}))
    assert "この招待リンクは無効です。" in refused.content.decode()
