"""Access-review pages: campaigns for compliance officers, "my access reviews" for matter owners."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.access_reviews import selectors, services
from audit.access_reviews.forms import DecideItemForm, StartCampaignForm

ITEMS_PER_PAGE = 100


def _require_manager(request: HttpRequest) -> None:
    if not services.is_campaign_manager(request.user):
        raise PermissionDenied


def _refusal(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error) or _("You may not do this.")])


def campaign_list(request: HttpRequest, form: StartCampaignForm | None = None) -> HttpResponse:
    _require_manager(request)
    context = {"campaigns": selectors.campaigns(), "form": form or StartCampaignForm()}
    return render(request, "access_reviews/campaigns.html", context, status=400 if form else 200)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = StartCampaignForm(request.POST)
    if not form.is_valid():
        return campaign_list(request, form)
    campaign = services.request_campaign(actor=request.user, name=form.cleaned_data["name"])
    messages.success(request, _("Campaign started: a worker is taking the snapshot of who can access what."))
    return redirect("access_reviews:campaign", campaign.pk)


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    campaign = selectors.campaign(pk)
    page = Paginator(selectors.campaign_items(campaign), ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"campaign": campaign, "page_obj": page, "is_paginated": page.has_other_pages()}
    response = render(request, "access_reviews/campaign.html", context)
    if request.htmx and campaign.state != campaign.State.STARTING:
        response["HX-Refresh"] = "true"  # the snapshot is taken: reload once to show its items
    return response


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    campaign = selectors.campaign(pk)
    try:
        services.close_campaign(actor=request.user, campaign=campaign)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Campaign closed; undecided access is recorded as not reviewed."))
    return redirect("access_reviews:campaign", campaign.pk)


def my_reviews(request: HttpRequest) -> HttpResponse:
    items = selectors.open_items_for_owner(request.user)
    return render(request, "access_reviews/mine.html", {"items": items, "form": DecideItemForm()})


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for_owner(request.user, pk)
    form = DecideItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose certify or revoke and give a reason; nothing was changed."))
        return redirect("access_reviews:mine")
    try:
        services.decide_item(actor=request.user, item=item, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("access_reviews:mine")
