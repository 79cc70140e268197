"""Demo data for a first look: one user per role, two matters, the shipped playbooks. Safe to run again."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from reviews.contracts.playbooks import load_shipped_playbooks
from reviews.matters.models import Matter
from reviews.matters.services import create_matter, grant_matter_access

DEMO_USERS = [
    ("lawyer", Role.LAWYER, "Lena", "Lawyer"),
    ("risk", Role.RISK_OFFICER, "Ravi", "Risk"),
    ("compliance", Role.COMPLIANCE_OFFICER, "Chiara", "Compliance"),
    ("steward", Role.MODEL_STEWARD, "Sam", "Steward"),
    ("admin", Role.ADMIN, "Ada", "Admin"),
]


class Command(BaseCommand):
    help = "Load the demo users (one per role) and matters. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        logins = []
        users = {}
        for username, role, first, last in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.test"}
            )
            if role is Role.ADMIN:
                user.is_staff = user.is_superuser = False  # Admin is a role (its group); demotes an older seed
            user.groups.add(Group.objects.get(name=role.value))
            if password:
                user.set_password(password)
                logins.append((username, role, password))
            elif created:
                generated = secrets.token_urlsafe(12)
                user.set_password(generated)
                logins.append((username, role, generated))
            else:
                logins.append((username, role, "(unchanged: set WORKBENCH_DEMO_PASSWORD to reset)"))
            user.save()
            users[username] = user

        admin = users["admin"]
        if not Matter.objects.filter(reference="M-2026-001").exists():
            matter = create_matter(
                actor=admin, reference="M-2026-001", title="Acme supply agreement", client="Acme Corp.", owner=users["lawyer"]
            )
            # The owner staffs the matter: a matter's access managers grant access, not the admin role.
            grant_matter_access(actor=users["lawyer"], matter=matter, grantee=users["risk"])
            grant_matter_access(actor=users["lawyer"], matter=matter, grantee=users["compliance"])
        if not Matter.objects.filter(reference="M-2026-002").exists():
            create_matter(actor=admin, reference="M-2026-002", title="Board investigation", client="Internal", owner=admin)

        load_shipped_playbooks(actor=admin)

        self.stdout.write("Demo logins:")
        for username, role, shown in logins:
            self.stdout.write(f"  {username:<11} {role.value:<19} {shown}")
