"""Reads for access contracts: campaigns for compliance officers, open items for matter owners."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import Role, has_role
from audit.access_reviews.models import AccessReviewCampaign, AccessReviewItem

Decision = AccessReviewItem.Decision


def campaigns() -> QuerySet[AccessReviewCampaign]:
    return AccessReviewCampaign.objects.select_related("started_by", "closed_by").annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__decision=Decision.PENDING)),
    )


def campaign(pk: int) -> AccessReviewCampaign:
    return get_object_or_404(campaigns(), pk=pk)


def campaign_items(campaign: AccessReviewCampaign) -> QuerySet[AccessReviewItem]:
    return campaign.items.select_related("matter", "user", "reviewer", "decided_by")


def _owned_items(user) -> QuerySet[AccessReviewItem]:
    """Items assigned to the user (services.may_decide): others' access to matters they still own and, for a
    compliance officer, whatever went to them (owners' own access, a leaver's items); never their own."""
    assigned = AccessReviewItem.objects.filter(reviewer=user).exclude(user=user)
    if has_role(user, Role.COMPLIANCE_OFFICER):
        return assigned
    return assigned.filter(matter__owner=user)


def open_items_for_owner(user) -> QuerySet[AccessReviewItem]:
    """The owner's undecided items in open campaigns, in one query whatever their number."""
    return (
        _owned_items(user)
        .filter(decision=Decision.PENDING, campaign__state=AccessReviewCampaign.State.OPEN)
        .select_related("campaign", "matter", "user")
        .order_by("campaign__deadline", "matter__reference", "user__username", "via")
    )


def item_for_owner(user, pk: int) -> AccessReviewItem:
    """One of the owner's items; any other id is a 404."""
    return get_object_or_404(_owned_items(user).select_related("campaign", "matter", "user"), pk=pk)
