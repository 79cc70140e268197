"""Approval fixtures: a finished contract review in a matter, and the people around it."""

import hashlib

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import Role
from reviews.contracts.models import ContractReview, Finding, Playbook, PlaybookVersion
from reviews.matters.models import Document
from tests.factories import MatterFactory, UserFactory, grant


@pytest.fixture
def matter():
    return MatterFactory()


def member(matter, *roles: Role, work: bool = False):
    """A user with these roles who may see the matter (and work in it with `work`)."""
    user = UserFactory(role=roles[0])
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles[1:]]))
    grant(user, matter)
    if work:
        grant(user, matter, "change_matter")
    return user


@pytest.fixture
def submitter(matter):
    return member(matter, Role.LAWYER, work=True)


@pytest.fixture
def lawyer(matter):
    return member(matter, Role.LAWYER)


@pytest.fixture
def risk(matter):
    return member(matter, Role.RISK_OFFICER)


@pytest.fixture
def outsider():
    """A lawyer and risk officer with no access to the matter."""
    user = UserFactory(role=Role.LAWYER)
    user.groups.add(Group.objects.get(name=Role.RISK_OFFICER.value))
    return user


@pytest.fixture
def review(matter, submitter):
    text = "The Supplier's liability shall not exceed the fees paid."
    document = Document.objects.create(
        matter=matter, name="msa.txt", file="documents/xx/msa", sha256=hashlib.sha256(text.encode()).hexdigest(),
        size=len(text), kind="txt", mime_type="text/plain", text=text, uploaded_by=submitter,
    )  # fmt: skip
    playbook = Playbook.objects.create(name="MSA playbook (approvals)", contract_type="MSA")
    version = PlaybookVersion.objects.create(
        playbook=playbook, number=1, rules={"rules": []}, sha256="b" * 64
    )
    review = ContractReview.objects.create(
        matter=matter, document=document, playbook_version=version, state=ContractReview.State.DONE,
        requested_by=submitter, started_at=timezone.now(), finished_at=timezone.now(),
    )  # fmt: skip
    Finding.objects.create(
        review=review, fingerprint="f1", rule_id="cap", category="Cap On Liability", kind="present",
        title="Liability cap", detected_severity="medium", severity="medium", start=0, end=len(text), score=0.8,
    )  # fmt: skip
    return review
