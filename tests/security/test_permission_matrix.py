"""Issue 8: every object URL and API endpoint, as every role, with and without a grant on the matter.

Without a grant a matter object answers 404 (never 500, never its data); role-scoped pages that are not matter
objects answer 403 to the other roles. A new URL taking an object id fails `test_every_object_url_is_in_the_matrix`
until it gets an entry below.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import invitation_token
from audit.access_reviews import services as access_reviews
from audit.access_reviews.models import AccessReviewItem
from audit.approvals import services as approvals
from audit.approvals.models import ApprovalFlow
from audit.models import AuditEvent
from licenses.models import EvaluationRun, License, ModelVersion
from reviews.contracts import services
from reviews.contracts.models import ContractReview, Finding, Playbook, TriageAction
from reviews.contracts.playbooks import load_shipped_playbooks
from reviews.counterparties import lists
from reviews.counterparties import services as counterparties
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    HitDecision,
    JurisdictionRisk,
    RelatedPerson,
    Screening,
    ScreeningHit,
)
from tests.counterparties.lists_data import OFAC_PUBLISHED, OFAC_SMALL
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

CONTRACT = (
    b"MASTER SERVICES AGREEMENT\n\n1. Governing Law. This Agreement is governed by the laws of Texas.\n\n"
    b"2. Liability. Liability shall not exceed the fees paid in the three (3) months preceding the claim.\n"
)

MATTER, COMPLIANCE, STEWARD, GLOBAL, OWNER = "matter", "compliance", "steward", "global", "owner"
MANAGER = "manager"  # a matter page for its access managers: 404 without a grant, 403 with a view grant
ADMIN = "admin"  # the people pages: 403 to every role but Admin


@dataclass(frozen=True)
class Entry:
    obj: str  # key into the `objects` fixture
    scope: str  # MATTER: 404 without a grant; COMPLIANCE / STEWARD: 403 to other roles; GLOBAL; OWNER: 404 to others
    method: str = "get"
    kind: str = ""  # the approvals' <kind> URL parameter


# Every URL name taking an object id (found by walking the resolver), with the object of matter A it gets.
MATRIX: dict[str, Entry] = {
    # Pages
    "contracts:matter-detail": Entry("matter", MATTER),
    "matters:matter-access": Entry("matter", MANAGER),
    # A matter's life: its owner or an admin (a hold: compliance too), each reaching it through a grant.
    "matters:matter-transfer": Entry("matter", MATTER, "post"),
    "matters:matter-close": Entry("matter", MATTER, "post"),
    "matters:matter-reopen": Entry("matter", MATTER, "post"),
    "matters:matter-legal-hold": Entry("matter", MATTER, "post"),
    "contracts:review-detail": Entry("review", MATTER),
    "contracts:review-progress": Entry("review", MATTER),
    "contracts:review-add-missed": Entry("review", MATTER, "post"),
    "contracts:finding-triage": Entry("finding", MATTER, "post"),
    "contracts:finding-explanation": Entry("finding", MATTER),
    "contracts:playbook-detail": Entry("playbook", GLOBAL),
    "counterparties:detail": Entry("counterparty", MATTER),
    "counterparties:review-detail": Entry("counterparty_review", MATTER),
    "counterparties:review-progress": Entry("counterparty_review", MATTER),
    "counterparties:review-summary": Entry("counterparty_review", MATTER),
    "counterparties:hit-decide": Entry("hit", MATTER, "post"),
    "counterparties:decision-confirm": Entry("hit_decision", MATTER, "post"),
    "approvals:flow": Entry("flow", MATTER),
    "approvals:decide": Entry("flow", MATTER, "post"),
    "approvals:revoke": Entry("flow", MATTER, "post"),
    "approvals:object": Entry("review", MATTER, kind="contract-review"),
    "approvals:submit": Entry("review", MATTER, "post", kind="contract-review"),
    # The audit explorer is for compliance officers, over every matter (audit/views.py): role-scoped.
    "audit:event-detail": Entry("event", COMPLIANCE),
    "audit:event-verify": Entry("event", COMPLIANCE, "post"),
    # Access-review campaigns are run by compliance officers; an item is decided by its reviewer only.
    "access_reviews:campaign": Entry("campaign", COMPLIANCE),
    "access_reviews:close": Entry("campaign", COMPLIANCE, "post"),
    "access_reviews:decide": Entry("access_item", OWNER, "post"),
    # Reports and their tasks belong to whoever requested them: an id that is not yours is a 404.
    "reports:download": Entry("report_id", OWNER),
    # The requester of a task is recorded when it is queued (audit/reports/views.py::_state).
    "reports:progress": Entry("task_id", OWNER),
    # The model register is role-scoped (licenses/views.py: nothing in it is hidden per object).
    "licenses:version-detail": Entry("model_version", STEWARD),
    "licenses:version-status": Entry("model_version", STEWARD, "post"),
    "licenses:version-evaluation": Entry("model_version", STEWARD, "post"),
    "licenses:version-evaluation-run": Entry("model_version", STEWARD, "post"),
    "licenses:version-evaluation-runs": Entry("model_version", STEWARD),
    "licenses:license-detail": Entry("license", STEWARD),
    "licenses:license-text-add": Entry("license", STEWARD, "post"),
    "licenses:license-diff": Entry("license", STEWARD),
    # People are managed by administrators (accounts/views.py); an invitation link is its own credential.
    "accounts:person": Entry("person", ADMIN),
    "accounts:person-reinvite": Entry("person", ADMIN, "post"),
    "accounts:person-roles": Entry("person", ADMIN, "post"),
    "accounts:person-deactivate": Entry("person", ADMIN, "post"),
    "accounts:invitation": Entry("invitation", GLOBAL),
    # API
    "matter-detail": Entry("matter", MATTER),
    "matter-transfer": Entry("matter", MATTER, "post"),
    "matter-close": Entry("matter", MATTER, "post"),
    "matter-reopen": Entry("matter", MATTER, "post"),
    "matter-legal-hold": Entry("matter", MATTER, "post"),
    "review-detail": Entry("review", MATTER),
    "review-findings": Entry("review", MATTER),
    "finding-detail": Entry("finding", MATTER),
    "finding-triage": Entry("finding", MATTER, "post"),
    "counterparty-detail": Entry("counterparty", MATTER),
    "counterparty-screenings": Entry("counterparty", MATTER),
    "counterparty-related-people": Entry("counterparty", MATTER, "post"),
    "counterparty-review-detail": Entry("counterparty_review", MATTER),
    "counterparty-review-rate": Entry("counterparty_review", MATTER, "post"),
    "screening-hit-detail": Entry("hit", MATTER),
    "screening-hit-decide": Entry("hit", MATTER, "post"),
    "hit-decision-confirm": Entry("hit_decision", MATTER, "post"),
    # Approved versions are listed for everyone (licenses/api.py), the seeded one among them.
    "model-version-detail": Entry("model_version", GLOBAL),
    "model-version-status": Entry("model_version", STEWARD, "post"),
    "model-version-evaluate": Entry("model_version", STEWARD, "post"),
    "evaluation-run-detail": Entry("evaluation_run", STEWARD),
    "license-detail": Entry("license", GLOBAL),
    "license-texts": Entry("license", STEWARD, "post"),
    "sanctions-list-version-detail": Entry("list_version", GLOBAL),
    "jurisdiction-risk-detail": Entry("jurisdiction", GLOBAL),
}

ROLES = [Role.LAWYER, Role.RISK_OFFICER, Role.COMPLIANCE_OFFICER, Role.MODEL_STEWARD, Role.ADMIN]
ROLE_OF_SCOPE = {COMPLIANCE: Role.COMPLIANCE_OFFICER, STEWARD: Role.MODEL_STEWARD, ADMIN: Role.ADMIN}
# API list endpoints and the object of matter A each must not list without a grant.
API_LISTS = {"matter-list": "matter", "review-list": "review", "counterparty-list": "counterparty",
             "counterparty-review-list": "counterparty_review", "screening-hit-list": "hit"}  # fmt: skip


def object_url_names() -> set[str]:
    """The names of the project's URLs that take an object id (Django's admin aside)."""
    names: set[str] = set()

    def walk(resolver, namespace: str, groups: tuple[str, ...]) -> None:
        for pattern in resolver.url_patterns:
            params = groups + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                walk(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""), params)
            elif pattern.name and set(params) - {"format"} and not namespace.startswith("admin:"):
                names.add(namespace + pattern.name)

    walk(get_resolver(), "", ())
    return names


@pytest.fixture
def objects(tmp_path, settings) -> dict:
    """Matter A with every kind of object in it, plus the role-scoped and global objects the URLs take."""
    settings.MEDIA_ROOT = tmp_path
    load_shipped_playbooks()
    playbook = Playbook.objects.get(name="Master services / SaaS")
    owner = UserFactory(role=Role.LAWYER)
    owner.groups.add(Group.objects.get(name=Role.COMPLIANCE_OFFICER.value))
    matter = MatterFactory(owner=owner)
    grant(owner, matter)
    grant(owner, matter, "change_matter")
    review = services.submit_contract_review(
        actor=owner, matter=matter, name="msa.txt", data=CONTRACT, playbook=playbook
    )
    ContractReview.objects.filter(pk=review.pk).update(
        state=ContractReview.State.DONE, finished_at=timezone.now()
    )
    review.refresh_from_db()
    finding = Finding.objects.create(
        review=review, fingerprint="fp-a", rule_id="governing-law", category="Governing Law", kind="present",
        title="Governing law: Texas", detected_severity="high", severity="high", start=0, end=20, score=0.9,
    )  # fmt: skip
    counterparty = counterparties.create_counterparty(actor=owner, matter=matter, name="Acme Secret Holdings",
                                                      kind=Counterparty.Kind.ORGANISATION)  # fmt: skip
    counterparty_review = counterparties.submit_counterparty_review(actor=owner, counterparty=counterparty)
    screening = Screening.objects.create(counterparty=counterparty, decision="review", best_score=0.8)
    hit = ScreeningHit.objects.create(screening=screening, subject=counterparty.name, subject_role="name",
                                      list_name="OFAC SDN", entry_id="1", name="ACME", score=0.8, decision="review",
                                      fingerprint="fp-a")  # fmt: skip
    hit_decision = HitDecision.objects.create(counterparty=counterparty, fingerprint="fp-a", hit=hit, reason="matrix",
                                              outcome="false_positive", decided_by=owner, needs_confirmation=True)  # fmt: skip
    flow = approvals.submit(actor=owner, obj=review, note="matrix")
    campaign = access_reviews.start_campaign(actor=owner, name="matrix")
    list_version = lists.import_file("ofac-sdn-csv", OFAC_SMALL, published=OFAC_PUBLISHED, system="tests")
    jurisdiction, _ = JurisdictionRisk.objects.get_or_create(country="DE", defaults={"level": "low"})
    from licenses.seed import seed_register

    seed_register()
    model_version = ModelVersion.objects.order_by("pk").first()
    evaluation_run = EvaluationRun.objects.create(model_version=model_version, dataset_label="matrix",
                                                  metrics={"aupr": 0.5, "p_at_80r": 0.5, "p_at_90r": 0.4})  # fmt: skip
    access_item = AccessReviewItem.objects.filter(campaign=campaign, matter=matter).first()
    event = AuditEvent.objects.filter(matter_id=matter.pk).order_by("seq").first()
    assert access_item is not None and event is not None
    invitee = UserFactory(role=Role.LAWYER)
    invitee.set_unusable_password()
    invitee.save()
    return {
        "matter": matter, "review": review, "finding": finding, "counterparty": counterparty,
        "counterparty_review": counterparty_review, "flow": flow, "playbook": playbook,
        "event": event, "hit": hit, "hit_decision": hit_decision,
        "report_id": uuid.uuid4(), "task_id": str(uuid.uuid4()), "model_version": model_version,
        "license": License.objects.order_by("pk").first(), "evaluation_run": evaluation_run,
        "list_version": list_version, "jurisdiction": jurisdiction, "campaign": campaign,
        "access_item": access_item, "person": UserFactory(role=Role.LAWYER),
        "invitation": invitation_token(invitee),
    }  # fmt: skip


def url_of(name: str, objects: dict) -> str:
    entry = MATRIX[name]
    obj = objects[entry.obj]
    kwargs = {"kind": entry.kind} if entry.kind else {}
    if name.startswith("audit:event"):
        kwargs["seq"] = obj.seq
    elif name == "reports:download":
        kwargs["report_id"] = obj
    elif name == "reports:progress":
        kwargs["task_id"] = obj
    elif name == "accounts:invitation":
        kwargs["token"] = obj
    elif name == "jurisdiction-risk-detail":
        kwargs["country"] = obj.country
    else:
        kwargs["pk"] = obj.pk
    return reverse(name, kwargs=kwargs)


def member(role: Role):
    """A user of this role; the Admin one is a member of the Admin group, not a superuser."""
    user = UserFactory(role=role)
    assert not user.is_superuser
    return user


def expected_without_grant(entry: Entry, role: Role) -> set[int]:
    if entry.scope in {MATTER, OWNER, MANAGER}:
        return {404}
    if entry.scope in ROLE_OF_SCOPE:
        if role != ROLE_OF_SCOPE[entry.scope]:
            return {403}
        return {200, 302, 400} if entry.method == "post" else {200}  # a POST with an empty body is refused
    return {200} if entry.method == "get" else {400, 403}


def visit(client, name: str, objects: dict):
    url = url_of(name, objects)
    method = MATRIX[name].method
    return url, (client.post(url, {}) if method == "post" else client.get(url))


def test_every_object_url_is_in_the_matrix():
    found = object_url_names()
    assert found - set(MATRIX) == set(), "object URLs without a matrix entry"
    assert set(MATRIX) - found == set(), "matrix entries for URLs that no longer exist"


WRITES = (
    AuditEvent,
    Finding,
    TriageAction,
    ContractReview,
    Counterparty,
    CounterpartyReview,
    RelatedPerson,
    ApprovalFlow,
    HitDecision,
)


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name.lower())
def test_without_a_grant_every_object_url_answers_404_and_changes_nothing(client, objects, role):
    client.force_login(member(role))
    matter_events = AuditEvent.objects.filter(matter_id=objects["matter"].pk)
    counts = {model: model.objects.count() for model in WRITES} | {"events of A": matter_events.count()}
    wrong = []
    for name, entry in sorted(MATRIX.items()):
        url, response = visit(client, name, objects)
        if response.status_code not in expected_without_grant(entry, role):
            wrong.append(f"{entry.method.upper()} {url} ({name}) -> {response.status_code}")
        if entry.scope == MATTER and objects["counterparty"].name.encode() in response.content:
            wrong.append(f"{url} ({name}) shows matter A's counterparty")
    assert wrong == [], f"{role.value} without a grant:\n" + "\n".join(wrong)
    changed = {m.__name__ for m in WRITES if m is not AuditEvent and m.objects.count() != counts[m]}
    assert changed == set()
    # A compliance officer may close the campaign (not a matter object); matter A's trail stays as it was.
    assert matter_events.count() == counts["events of A"]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name.lower())
def test_without_a_grant_api_lists_leave_matter_a_out(client, objects, role):
    client.force_login(member(role))
    for name, key in API_LISTS.items():
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert objects[key].pk not in {row["id"] for row in rows}, name


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name.lower())
def test_without_a_grant_writes_to_matter_a_are_404(client, objects, role):
    client.force_login(member(role))
    matter, playbook = objects["matter"], objects["playbook"]
    before = {model: model.objects.count() for model in WRITES}
    upload = {
        "file": SimpleUploadedFile("other.txt", CONTRACT + b"\nAnother clause."),
        "playbook": playbook.pk,
    }
    assert client.post(reverse("contracts:matter-detail", args=[matter.pk]), upload).status_code == 404
    api_upload = {"matter": matter.pk, "playbook": playbook.name,
                  "file": SimpleUploadedFile("other.txt", CONTRACT + b"\nYet another.")}  # fmt: skip
    assert client.post(reverse("review-list"), api_upload).status_code == 404
    finding = objects["finding"]
    triage = {"action": "dismiss", "reason": "not relevant"}
    assert client.post(reverse("contracts:finding-triage", args=[finding.pk]), triage).status_code == 404
    assert (
        client.post(
            reverse("finding-triage", args=[finding.pk]), triage, content_type="application/json"
        ).status_code
        == 404
    )
    missed = {"category": "Governing Law", "start": 0, "end": 10, "severity": "high", "reason": "missed"}
    assert (
        client.post(reverse("contracts:review-add-missed", args=[objects["review"].pk]), missed).status_code
        == 404
    )
    new_counterparty = {"matter": matter.pk, "name": "Intruder Ltd", "kind": "organisation"}
    assert (
        client.post(
            reverse("counterparty-list"), new_counterparty, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("counterparty-review-list"), {"counterparty": objects["counterparty"].pk}
        ).status_code
        == 404
    )
    assert {model.__name__: model.objects.count() for model in WRITES} == {
        m.__name__: n for m, n in before.items()
    }
    assert Finding.objects.get(pk=finding.pk).status == finding.status


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name.lower())
def test_with_a_view_grant_every_object_page_opens(client, objects, role):
    user = member(role)
    grant(user, objects["matter"])
    client.force_login(user)
    wrong = []
    for name, entry in sorted(MATRIX.items()):
        if entry.scope != MATTER or entry.method != "get":
            continue
        url, response = visit(client, name, objects)
        if response.status_code not in {200, 302}:
            wrong.append(f"GET {url} ({name}) -> {response.status_code}")
    url, response = visit(client, "matters:matter-access", objects)
    if response.status_code != 403:  # seeing a matter is not managing who else may
        wrong.append(f"GET {url} (matters:matter-access) -> {response.status_code}")
    assert wrong == [], f"{role.value} with a view grant:\n" + "\n".join(wrong)
    # The leak check above looks for this name: a granted user does see it.
    assert (
        objects["counterparty"].name in client.get(url_of("counterparties:detail", objects)).content.decode()
    )
    listed = client.get(reverse("counterparty-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert objects["counterparty"].pk in {row["id"] for row in rows}


# Role-scoped pages that take no object id (the walk above finds only those that do), and the roles they open to.
ROLE_PAGES = {
    "operations:dashboard": {Role.ADMIN},
    "operations:usage": {Role.ADMIN, Role.COMPLIANCE_OFFICER},
}


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name.lower())
def test_role_pages_answer_403_to_every_other_role(client, role):
    client.force_login(member(role))
    for name, roles in ROLE_PAGES.items():
        assert client.get(reverse(name)).status_code == (200 if role in roles else 403), name
