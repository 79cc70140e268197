from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.access_reviews.models import AccessReviewCampaign, AccessReviewItem
from audit.access_reviews.services import close_campaign, escalate_overdue, start_campaign
from audit.access_reviews.tasks import start_scheduled_access_review
from audit.models import AuditEvent
from reviews.matters.models import MatterGroupObjectPermission, MatterUserObjectPermission
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
Decision = AccessReviewItem.Decision


def owned_matter(owner=None):
    """A matter whose owner holds the owner's grants, as create_matter gives them."""
    matter = MatterFactory(owner=owner or UserFactory(role=Role.LAWYER))
    for permission in ("view_matter", "change_matter", "manage_matter_access"):
        grant(matter.owner, matter, permission)
    return matter


@pytest.fixture
def officer():
    return UserFactory(role=Role.COMPLIANCE_OFFICER)


@pytest.fixture
def setup():
    """One matter: alice by a direct grant, bob and carol through a group; dave and erin by roles only."""
    matter = owned_matter()
    alice, bob, carol = (UserFactory(username=name, role=Role.LAWYER) for name in ("alice", "bob", "carol"))
    dave, erin = UserFactory(username="dave", role=Role.LAWYER), UserFactory(username="erin", role=Role.ADMIN)
    team = Group.objects.create(name="Deal team")
    team.user_set.add(bob, carol)
    grant(alice, matter)
    grant(alice, matter, "change_matter")
    grant(team, matter)
    return {
        "matter": matter,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "erin": erin,
        "team": team,
    }


def item_of(campaign, user, via, matter=None):
    return campaign.items.get(user=user, via=via, **({"matter": matter} if matter else {}))


def test_snapshot_lists_direct_and_group_access_for_the_owner(client, officer, setup):
    matter = setup["matter"]
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    campaign = start_campaign(actor=officer, name="Q4")
    rows = {
        (i.user.username, i.via, tuple(i.permissions), i.reviewer_id)
        for i in campaign.items.select_related("user")
    }
    owner = matter.owner
    assert rows == {  # the owner's own access goes to the officer: nobody certifies their own
        (owner.username, "direct", ("change_matter", "manage_matter_access", "view_matter"), officer.pk),
        ("alice", "direct", ("change_matter", "view_matter"), owner.pk),
        ("bob", "group:Deal team", ("view_matter",), owner.pk),
        ("carol", "group:Deal team", ("view_matter",), owner.pk),
    }  # dave (a role only), erin (the admin role) and root (the superuser flag) reach no matter: no item
    for nobody in (setup["dave"], setup["erin"], root):  # every route there is is in the snapshot
        client.force_login(nobody)
        assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 404
    event = AuditEvent.objects.get(action="access_review.started")
    assert event.payload["items"] == 4 and event.actor == officer.username


def test_certify_keeps_the_grant_and_is_audited(client, officer, setup):
    matter, alice = setup["matter"], setup["alice"]
    item = item_of(start_campaign(actor=officer), alice, "direct")
    client.force_login(matter.owner)
    response = client.post(reverse("access_reviews:decide", args=[item.pk]),
                           {"decision": "certified", "reason": "Works on the deal"})  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.reason, item.decided_by) == (
        Decision.CERTIFIED,
        "Works on the deal",
        matter.owner,
    )
    assert MatterUserObjectPermission.objects.filter(user=alice, content_object=matter).count() == 2
    event = AuditEvent.objects.get(action="access_review.certified")
    assert event.matter_id == matter.pk and event.payload["user"] == "alice"


def test_revoking_a_direct_grant_applies_on_the_next_request(client, officer, setup):
    matter, alice = setup["matter"], setup["alice"]
    item = item_of(start_campaign(actor=officer), alice, "direct")
    client.force_login(alice)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 200
    client.force_login(matter.owner)
    client.post(
        reverse("access_reviews:decide", args=[item.pk]), {"decision": "revoked", "reason": "Left"}
    )
    client.force_login(alice)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 404
    assert not MatterUserObjectPermission.objects.filter(user=alice, content_object=matter).exists()
    assert AuditEvent.objects.filter(action="access_review.revoked", matter_id=matter.pk).count() == 1
    assert AuditEvent.objects.get(action="permission.revoked").payload["grantee"] == "alice"
    # The group's grant and the owner's own are untouched.
    assert MatterGroupObjectPermission.objects.filter(group=setup["team"], content_object=matter).exists()


def test_revoking_a_group_route_takes_that_person_out_of_the_group_and_no_one_else(client, officer, setup):
    matter, bob, carol, team = setup["matter"], setup["bob"], setup["carol"], setup["team"]
    elsewhere = owned_matter()
    grant(team, elsewhere)
    campaign = start_campaign(actor=officer)
    client.force_login(matter.owner)
    client.post(reverse("access_reviews:decide", args=[item_of(campaign, bob, "group:Deal team", matter).pk]),
                {"decision": "revoked", "reason": "Moved to another deal"})  # fmt: skip

    assert MatterGroupObjectPermission.objects.filter(group=team, content_object=matter).exists()
    assert list(team.user_set.all()) == [carol]
    assert item_of(campaign, carol, "group:Deal team", matter).decision == Decision.PENDING
    client.force_login(bob)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 404
    client.force_login(carol)
    assert client.get(reverse("contracts:matter-detail", args=[matter.pk])).status_code == 200
    removed = AuditEvent.objects.get(action="group.member_removed")
    assert (removed.payload["user"], removed.payload["matters_left"]) == ("bob", sorted([matter.pk, elsewhere.pk]))


def test_a_role_group_route_is_not_revoked_from_the_access_review(client, officer, setup):
    matter = setup["matter"]
    lawyers = Group.objects.get(name=Role.LAWYER.value)
    grant(lawyers, matter)
    campaign = start_campaign(actor=officer)
    item = item_of(campaign, setup["dave"], f"group:{Role.LAWYER.value}")
    client.force_login(matter.owner)
    response = client.post(reverse("access_reviews:decide", args=[item.pk]), {"decision": "revoked", "reason": "x"},
                           follow=True)  # fmt: skip
    assert "role group" in response.content.decode()
    assert setup["dave"].groups.filter(pk=lawyers.pk).exists()
    item.refresh_from_db()
    assert item.decision == Decision.PENDING


def test_nobody_certifies_their_own_access(client, officer, setup):
    matter = setup["matter"]
    campaign = start_campaign(actor=officer)
    own = item_of(campaign, matter.owner, "direct")
    client.force_login(matter.owner)
    assert client.post(reverse("access_reviews:decide", args=[own.pk]),
                       {"decision": "certified", "reason": "mine"}).status_code == 404  # fmt: skip
    assert own.pk not in [i.pk for i in client.get(reverse("access_reviews:mine")).context["items"]]
    client.force_login(officer)  # the compliance officer gets it
    assert own.pk in [i.pk for i in client.get(reverse("access_reviews:mine")).context["items"]]
    client.post(reverse("access_reviews:decide", args=[own.pk]), {"decision": "certified", "reason": "responsible"})
    own.refresh_from_db()
    assert (own.decision, own.decided_by) == (Decision.CERTIFIED, officer)


def test_a_decision_needs_a_choice_and_a_reason(client, officer, setup):
    matter = setup["matter"]
    item = item_of(start_campaign(actor=officer), setup["alice"], "direct")
    client.force_login(matter.owner)
    response = client.post(reverse("access_reviews:decide", args=[item.pk]), {"decision": "revoked"},
                           follow=True)  # fmt: skip
    assert "give a reason" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == Decision.PENDING
    assert MatterUserObjectPermission.objects.filter(user=setup["alice"], content_object=matter).exists()


def test_overdue_items_escalate_once_and_mail_compliance(
    officer, setup, mailoutbox, django_capture_on_commit_callbacks
):
    campaign = start_campaign(actor=officer)
    campaign.items.filter(user=setup["bob"]).update(decision=Decision.CERTIFIED)  # decided in time
    assert escalate_overdue() == 0  # not due yet
    AccessReviewCampaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue() == 3
    assert campaign.items.filter(escalated_at__isnull=False).count() == 3
    assert item_of(campaign, setup["bob"], "group:Deal team").escalated_at is None
    assert AuditEvent.objects.get(action="access_review.escalated").payload["items"] == 3
    assert [mail.to for mail in mailoutbox] == [[officer.email]]
    assert escalate_overdue() == 0  # already escalated


def test_closing_records_every_decision(client, officer, setup):
    matter = setup["matter"]
    campaign = start_campaign(actor=officer)
    client.force_login(matter.owner)
    client.post(reverse("access_reviews:decide", args=[item_of(campaign, setup["alice"], "direct").pk]),
                {"decision": "certified", "reason": "Needed"})  # fmt: skip
    client.force_login(officer)
    assert client.post(reverse("access_reviews:close", args=[campaign.pk])).status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == "closed" and campaign.closed_by == officer
    assert campaign.summary == {"certified": 1, "revoked": 0, "not_reviewed": 3}
    assert not campaign.items.filter(decision=Decision.PENDING).exists()
    assert AuditEvent.objects.get(action="access_review.closed").payload["not_reviewed"] == 3
    page = client.get(reverse("access_reviews:campaign", args=[campaign.pk])).content.decode()
    assert "1 certified, 0 revoked, 3 not reviewed" in page and "Needed" in page
    # Nothing more can be decided in a closed campaign.
    client.force_login(matter.owner)
    assert b"No access awaits" in client.get(reverse("access_reviews:mine")).content


def test_flags_dormant_and_widely_granted_accounts(officer, settings):
    settings.ACCESS_REVIEW_MANY_MATTERS = 2
    owner = UserFactory(last_login=timezone.now())
    stale = UserFactory(username="stale", last_login=timezone.now() - timedelta(days=200))
    never = UserFactory(username="never")
    busy = UserFactory(username="busy", last_login=timezone.now())
    matters = [owned_matter(owner) for _ in range(3)]
    grant(stale, matters[0])
    grant(never, matters[0])
    for matter in matters:
        grant(busy, matter)
    flags = start_campaign(actor=officer).flags
    assert [flag["username"] for flag in flags["dormant"]] == ["never", "stale"]
    assert flags["dormant"][0]["last_login"] is None
    assert {(f["username"], f["matters"]) for f in flags["many_matters"]} == {
        ("busy", 3),
        (owner.username, 3),
    }


def test_campaign_pages_are_for_compliance_officers_only(client, officer, setup):
    campaign = start_campaign(actor=officer)
    client.force_login(setup["alice"])
    assert client.get(reverse("access_reviews:campaigns")).status_code == 403
    assert client.get(reverse("access_reviews:campaign", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("access_reviews:start")).status_code == 403
    assert client.post(reverse("access_reviews:close", args=[campaign.pk])).status_code == 403
    client.force_login(officer)
    listing = client.get(reverse("access_reviews:campaigns")).content.decode()
    assert campaign.name in listing


def test_a_campaign_started_on_its_page_is_snapshotted_by_a_worker(client, officer, setup,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    from audit.access_reviews.tasks import take_snapshot

    client.force_login(officer)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("access_reviews:start"), {"name": "Ad hoc"})
    campaign = AccessReviewCampaign.objects.get(name="Ad hoc", started_by=officer)
    assert campaign.state == AccessReviewCampaign.State.STARTING and len(queued) == 1
    page = client.get(response["Location"])
    assert 'data-testid="campaign-state"' in page.content.decode() and "HX-Refresh" not in page
    assert AuditEvent.objects.filter(action="access_review.requested").exists()

    assert take_snapshot(campaign.pk) == "open"  # what the queued task runs
    assert take_snapshot(campaign.pk) == "open" and campaign.items.count() == 4  # a second delivery adds nothing
    assert client.get(response["Location"], HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_an_owner_sees_and_decides_only_items_of_their_matters(client, officer, setup):
    other = owned_matter()
    grant(setup["alice"], other)
    campaign = start_campaign(actor=officer)
    foreign = campaign.items.get(matter=other, user=setup["alice"])
    client.force_login(setup["matter"].owner)
    page = client.get(reverse("access_reviews:mine")).content.decode()
    assert setup["matter"].reference in page and other.reference not in page
    response = client.post(reverse("access_reviews:decide", args=[foreign.pk]),
                           {"decision": "revoked", "reason": "x"})  # fmt: skip
    assert response.status_code == 404
    assert MatterUserObjectPermission.objects.filter(user=setup["alice"], content_object=other).exists()
    client.force_login(setup["alice"])  # has access, owns nothing
    assert b"No access awaits" in client.get(reverse("access_reviews:mine")).content


def test_my_reviews_page_runs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    owner = UserFactory(role=Role.LAWYER)
    matters = [owned_matter(owner) for _ in range(3)]
    team = Group.objects.create(name="Many")
    for _ in range(10):
        team.user_set.add(UserFactory())
    for matter in matters:
        grant(team, matter)
    start_campaign(actor=officer)
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("access_reviews:mine"))
    # ten members on each of three matters; the owner's own access on each went to the officer
    assert response.content.decode().count('name="reason"') == 30


def test_the_schedule_starts_a_campaign_without_a_person(setup):
    campaign = AccessReviewCampaign.objects.get(pk=start_scheduled_access_review())
    assert campaign.started_by is None and campaign.items.count() == 4
    assert AuditEvent.objects.get(action="access_review.started").actor == "system:access_reviews.schedule"


def test_closing_twice_is_refused(officer, setup):
    campaign = close_campaign(actor=officer, campaign=start_campaign(actor=officer))
    with pytest.raises(Exception, match="already closed"):
        close_campaign(actor=officer, campaign=campaign)


def test_a_leavers_items_are_handed_over_when_they_are_deactivated(client, officer, setup):
    from accounts.services import deactivate_person

    matter, alice = setup["matter"], setup["alice"]
    owner = matter.owner
    other = owned_matter(alice)  # alice owns a matter too: bob's access to it waits on her
    grant(setup["bob"], other)
    campaign = start_campaign(actor=officer)
    successor = UserFactory(role=Role.LAWYER)
    admin = UserFactory(role=Role.ADMIN)

    deactivate_person(actor=admin, person=alice, reason="left the firm", successor=successor)

    assert item_of(campaign, alice, "direct", matter).decision == Decision.REVOKED  # her access is gone already
    bobs = item_of(campaign, setup["bob"], "direct", other)
    assert bobs.reviewer == successor and bobs.decision == Decision.PENDING
    client.force_login(successor)
    assert bobs.pk in [i.pk for i in client.get(reverse("access_reviews:mine")).context["items"]]
    assert item_of(campaign, owner, "direct", matter).reviewer == officer
    assert AuditEvent.objects.filter(action="access_review.leaver_handed_over").exists()
