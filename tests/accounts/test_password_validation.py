"""Issue 24: leaked passwords, and the forms people give them when a policy asks for length, refused offline."""

import re

import pytest
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.password_validation import LeakedPasswordValidator
from accounts.roles import Role
from tests.factories import UserFactory

# Each is 12 characters or more (the workbench's minimum) and passes Django's own list of common passwords.
BUILT_ON_LEAKED = ["Password2024!", "P@ssw0rd2024!", "Qwerty123456!", "Iloveyou2024!", "monkey12345678"]


@pytest.mark.parametrize("password", BUILT_ON_LEAKED)
def test_passwords_built_on_leaked_ones_are_refused_where_django_alone_lets_them_through(password):
    CommonPasswordValidator().validate(password)  # Django's list has none of them
    with pytest.raises(ValidationError) as refused:
        LeakedPasswordValidator().validate(password)
    assert refused.value.error_list[0].code == "password_leaked"


def test_a_password_made_of_the_persons_own_names_is_too_easy_to_guess():
    person = User(username="hsato", first_name="Hanako", last_name="Sato", email="hsato@example.test")
    with pytest.raises(ValidationError) as refused:
        LeakedPasswordValidator().validate("HanakoSato", user=person)
    assert refused.value.error_list[0].code == "password_guessable"


@pytest.mark.parametrize("password", ["a long and unusual passphrase 42", "mj8#Kq2!vLp9zz", "梅雨明けの川辺で蛍を三匹見た"])
def test_unguessable_passwords_pass_every_validator(password):
    validate_password(password)


@pytest.mark.django_db
def test_an_invitee_who_picks_a_leaked_password_is_told_why_in_japanese(client):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    client.post(reverse("accounts:invite"), {"username": "hana", "email": "hana@example.test", "first_name": "Hana",
                                             "last_name": "Sato", "role": Role.LAWYER.value})  # fmt: skip
    path = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    client.logout()
    with translation.override("ja"):
        response = client.post(path, {"new_password1": "P@ssw0rd2024!", "new_password2": "P@ssw0rd2024!"},
                               HTTP_ACCEPT_LANGUAGE="ja")  # fmt: skip
    assert response.status_code == 200
    assert "漏洩" in response.content.decode()
    assert not User.objects.get(username="hana").has_usable_password()
