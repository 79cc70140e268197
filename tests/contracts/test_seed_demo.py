import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role, roles_of
from reviews.matters.models import Matter

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_gives_each_role_a_user(settings, capsys):
    settings.DEMO_PASSWORD = "demo password for tests"
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == 5 and Matter.objects.count() == 2
    for username, role in [("lawyer", Role.LAWYER), ("risk", Role.RISK_OFFICER), ("compliance", Role.COMPLIANCE_OFFICER),
                           ("steward", Role.MODEL_STEWARD), ("admin", Role.ADMIN)]:  # fmt: skip
        user = User.objects.get(username=username)
        assert user.check_password("demo password for tests") and role in roles_of(user)
    assert "demo password for tests" in capsys.readouterr().out


def test_random_passwords_are_printed_once(settings, capsys):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo")
    first = capsys.readouterr().out
    lawyer_line = next(line for line in first.splitlines() if line.strip().startswith("lawyer"))
    password = lawyer_line.split()[-1]
    assert User.objects.get(username="lawyer").check_password(password)
    call_command("seed_demo")
    assert "unchanged" in capsys.readouterr().out
    assert User.objects.get(username="lawyer").check_password(password)
