import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from reviews.matters.services import create_matter, grant_matter_access, revoke_matter_access
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(client):
    user = UserFactory(role=Role.LAWYER)
    client.force_login(user)
    return user


def test_list_shows_only_matters_granted_to_the_user(client, lawyer):
    mine, theirs = MatterFactory(title="Mine"), MatterFactory(title="Not mine")
    grant(lawyer, mine)
    page = client.get(reverse("matters:matter-list")).content.decode()
    assert mine.reference in page and "Mine" in page
    assert theirs.reference not in page


def test_a_role_alone_grants_no_matter(client, lawyer):
    MatterFactory()
    group = Group.objects.get(name=Role.LAWYER.value)
    assert group.permissions.filter(codename="view_matter").count() == 0
    assert "No matter has been shared with you" in client.get(reverse("matters:matter-list")).content.decode()


def test_group_grant_reaches_its_members(client, lawyer):
    matter = MatterFactory()
    grant(Group.objects.get(name=Role.LAWYER.value), matter)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 200


@pytest.mark.parametrize("url_name", ["contracts:matter-detail", "matter-detail"])
def test_ungranted_matter_is_404_in_pages_and_api(client, lawyer, url_name):
    matter = MatterFactory()
    assert client.get(reverse(url_name, args=[matter.pk])).status_code == 404
    assert client.get(reverse(url_name, args=[matter.pk + 1000])).status_code == 404


def test_api_lists_only_granted_matters(client, lawyer):
    mine, _other = MatterFactory(), MatterFactory()
    grant(lawyer, mine)
    body = client.get(reverse("matter-list")).json()
    assert [row["reference"] for row in body["results"]] == [mine.reference]


def test_anonymous_is_sent_to_login_and_api_refuses(client):
    matter = MatterFactory()
    response = client.get(reverse("contracts:matter-detail", args=[matter.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("matter-list")).status_code == 403


def test_matter_list_query_count_does_not_grow_with_rows(client, lawyer, django_assert_max_num_queries):
    for _ in range(30):
        grant(lawyer, MatterFactory())
    with django_assert_max_num_queries(10):
        assert client.get(reverse("matters:matter-list")).status_code == 200


def test_services_grant_and_revoke_with_audit_events():
    admin = UserFactory(is_superuser=True)
    owner, colleague = UserFactory(role=Role.LAWYER), UserFactory()
    matter = create_matter(actor=admin, reference="M-9", title="Deal", owner=owner)
    assert owner.has_perm("matters.manage_matter_access", matter)

    grant_matter_access(actor=owner, matter=matter, grantee=colleague)
    assert colleague.has_perm("matters.view_matter", matter)
    revoke_matter_access(actor=owner, matter=matter, grantee=colleague, reason="left the team")
    colleague = type(colleague).objects.get(pk=colleague.pk)  # fresh permission cache
    assert not colleague.has_perm("matters.view_matter", matter)

    actions = list(AuditEvent.objects.filter(matter_id=matter.pk).order_by("seq").values_list("action", flat=True))
    assert actions == ["matter.created", "permission.granted", "permission.granted", "permission.revoked"]


def test_only_access_managers_may_grant():
    matter = MatterFactory()
    outsider, colleague = UserFactory(), UserFactory()
    grant(outsider, matter)  # may see it, may not manage it
    with pytest.raises(PermissionDenied):
        grant_matter_access(actor=outsider, matter=matter, grantee=colleague)
    assert not colleague.has_perm("matters.view_matter", matter)


def test_access_managers_grant_and_revoke_from_the_page(client):
    owner, colleague, outsider = UserFactory(role=Role.LAWYER), UserFactory(), UserFactory()
    matter = create_matter(actor=UserFactory(is_superuser=True), reference="M-ACC", title="Deal", owner=owner)
    page = reverse("matters:matter-access", args=[matter.pk])

    client.force_login(outsider)
    assert client.get(page).status_code == 404  # cannot see the matter at all
    grant(outsider, matter)
    assert client.get(page).status_code == 403  # sees it, may not manage it

    client.force_login(owner)
    assert client.post(page, {"user": colleague.pk, "group": Group.objects.first().pk,
                              "permissions": ["view_matter"]}).status_code == 200  # fmt: skip  (both: refused)
    assert client.post(page, {"user": colleague.pk, "permissions": ["view_matter"]}).status_code == 302
    client.force_login(colleague)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 200

    client.force_login(owner)
    assert colleague.username in client.get(page).content.decode()
    client.post(page, {"action": "revoke", "grantee_type": "user", "grantee_id": colleague.pk, "reason": "left"})
    client.force_login(colleague)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 404
    actions = list(AuditEvent.objects.filter(matter_id=matter.pk).order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["permission.granted", "permission.revoked"]


def test_the_superuser_flag_opens_no_matter_and_counts_as_the_admin_role_only(client):
    """The one rule for superusers (accounts.roles): matters come from grants, roles from groups or the flag."""
    from accounts.roles import Role, roles_of
    from reviews.matters import access
    from reviews.matters.selectors import matters_for_user

    superuser, owner = UserFactory(is_superuser=True), UserFactory(role=Role.LAWYER)
    matter = create_matter(actor=owner, reference="M-SU", title="Deal", owner=owner)
    assert roles_of(superuser) == {Role.ADMIN}
    assert not (access.may_see(superuser, matter) or access.may_work_in(superuser, matter))
    assert not matters_for_user(superuser).exists()
    client.force_login(superuser)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 404
    grant(superuser, matter)
    assert access.rights(type(superuser).objects.get(pk=superuser.pk), matter) == {"view_matter"}

