from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_event
from reviews import pseudonyms
from reviews.counterparties import selectors, services
from reviews.counterparties.forms import (
    CounterpartyEditForm,
    CounterpartyForm,
    HitDecisionForm,
    JurisdictionRiskForm,
    OpenHitFilter,
    RatingForm,
    RelatedPersonForm,
    ReviewRequestForm,
    SanctionsImportForm,
)
from reviews.counterparties.models import JurisdictionRisk
from reviews.matters import access
from reviews.matters.selectors import matters_for_user
from worker.pii import unmask


def _refusal(form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, _("You may see this matter but not work in it."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def counterparty_list(request):
    matters = matters_for_user(request.user)
    form = CounterpartyForm(matters=matters)
    if request.method == "POST":
        form = CounterpartyForm(request.POST, matters=matters)
        if form.is_valid():
            try:
                counterparty = services.create_counterparty(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _refusal(form, error)
            else:
                return redirect(counterparty.get_absolute_url())
    return render(request, "counterparties/list.html", {
        "counterparties": selectors.with_screening_state(selectors.counterparties_for_user(request.user)),
        "form": form,
    })  # fmt: skip


def counterparty_detail(request, pk: int):
    counterparty = selectors.counterparty_for_user(request.user, pk)
    person_form, review_form = RelatedPersonForm(), ReviewRequestForm()
    edit_form = CounterpartyEditForm.of(counterparty)
    if request.method == "POST":
        try:
            if "edit" in request.POST:
                edit_form = CounterpartyEditForm(request.POST)
                if edit_form.is_valid():
                    services.update_counterparty(actor=request.user, counterparty=counterparty, **edit_form.cleaned_data)
                    messages.success(request, _("Saved. The counterparty is screened again."))
                    return redirect(counterparty.get_absolute_url())
            elif "add_person" in request.POST:
                person_form = RelatedPersonForm(request.POST)
                if person_form.is_valid():
                    services.add_related_person(
                        actor=request.user, counterparty=counterparty, **person_form.cleaned_data
                    )
                    messages.success(request, _("Related person added."))
                    return redirect(counterparty.get_absolute_url())
            else:
                review_form = ReviewRequestForm(request.POST, request.FILES)
                if review_form.is_valid():
                    review = services.submit_counterparty_review(
                        actor=request.user, counterparty=counterparty, answers=review_form.answers(),
                        documents=[(f.name, f.read()) for f in review_form.cleaned_data["documents"]],
                    )  # fmt: skip
                    return redirect(review.get_absolute_url())
        except (ValidationError, PermissionDenied) as error:
            failed = edit_form if "edit" in request.POST else person_form if "add_person" in request.POST else review_form
            _refusal(failed, error)
    screening = selectors.latest_screening(counterparty)
    return render(request, "counterparties/detail.html", {
        "counterparty": counterparty, "people": counterparty.related_people.all(), "screening": screening,
        "reviews": counterparty.reviews.all(), "person_form": person_form, "review_form": review_form,
        "edit_form": edit_form, "can_work": access.may_work_in(request.user, counterparty.matter),
        **_hit_context(request, screening),
    })  # fmt: skip


def _hit_context(request, screening) -> dict:
    """The screening's hits with their decisions, and the decision form for those who may decide."""
    return {
        "hits": selectors.hits_with_decisions(screening) if screening else [],
        "may_decide": services.may_decide_hits(request.user), "decision_form": HitDecisionForm(),
    }


@require_POST
def decide_hit(request, pk: int):
    hit = selectors.hit_for_user(request.user, pk)
    form = HitDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and say why."))
    else:
        try:
            decision = services.decide_hit(actor=request.user, hit=hit, **form.cleaned_data)
        except PermissionDenied:
            messages.error(request, _("Only compliance and risk officers decide on screening hits."))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("Decision recorded; a second person must confirm it.") if decision.needs_confirmation
                             else _("Decision recorded."))  # fmt: skip
    return _back_to_hit(request, hit.screening.counterparty, hit.pk)


@require_POST
def confirm_decision(request, pk: int):
    decision = selectors.decision_for_user(request.user, pk)
    try:
        services.confirm_decision(actor=request.user, decision=decision)
    except PermissionDenied:
        messages.error(request, _("Only compliance and risk officers decide on screening hits."))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Confirmed: the match is cleared."))
    return _back_to_hit(request, decision.counterparty, decision.hit_id)


def _back_to_hit(request, counterparty, hit_id: int):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = counterparty.get_absolute_url()
    return redirect(f"{target}#hit-{hit_id}")


def hit_queue(request):
    """Open hits across the user's matters, oldest first: the compliance queue."""
    matters = matters_for_user(request.user)
    filters = OpenHitFilter(request.GET or None, queryset=selectors.open_hits_for_user(request.user), matters=matters)
    return render(request, "counterparties/queue.html", {"filter": filters, "hits": filters.qs[:200]})


def review_detail(request, pk: int):
    review = selectors.counterparty_review_for_user(request.user, pk)
    form = RatingForm(initial={"rating": review.rating or review.proposed_rating})
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rate_counterparty(actor=request.user, review=review, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _refusal(form, error)
            else:
                messages.success(request, _("Rated. The rating now awaits approval."))
                return redirect(review.get_absolute_url())
    screening = selectors.review_screening(review)
    _record_view(request.user, review, via="page")
    return render(request, "counterparties/review_detail.html", {
        "review": review, "counterparty": review.counterparty, "screening": screening,
        "documents": review.documents.all(), "form": form, **_hit_context(request, screening),
        "summary_shown": _summary_shown(review),
        "can_work": access.may_work_in(request.user, review.counterparty.matter),
    })  # fmt: skip


def _record_view(user, review, *, via: str) -> None:
    """The review shows the documents' summary with the real names back in: who read it is recorded."""
    record_event(action="counterparty_review.viewed", actor=user, target=review, matter_id=review.counterparty.matter_id,
                 payload={"via": via, "summary_shown": bool(review.summary)})  # fmt: skip


def review_summary(request, pk: int):
    """The summary of the review's documents, polled while it is pending."""
    review = selectors.counterparty_review_for_user(request.user, pk)
    return render(request, "counterparties/_summary.html", {"review": review, "summary_shown": _summary_shown(review)})


def _summary_shown(review) -> str:
    """The summary is stored masked; the real names go back in for the reviewer's eyes only."""
    return unmask(review.summary, pseudonyms.unseal(review.pseudonyms)) if review.summary else ""


def review_progress(request, pk: int):
    review = selectors.counterparty_review_for_user(request.user, pk)
    response = render(request, "counterparties/_progress.html", {"review": review})
    if review.finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def sanctions_lists(request):
    """Imported list versions for everyone; importing is for compliance officers."""
    form = SanctionsImportForm()
    may_import = services.is_compliance(request.user)
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied
        form = SanctionsImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.request_sanctions_import(actor=request.user, file_format=form.cleaned_data["file_format"],
                                                  name=upload.name, data=upload.read(),
                                                  published=form.cleaned_data["published"])  # fmt: skip
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("The import is queued; its progress shows below."))
                return redirect("counterparties:lists")
    imports = selectors.recent_imports_of(request.user)
    return render(request, "counterparties/lists.html", {
        "versions": selectors.list_versions(), "form": form, "may_import": may_import, "imports": imports,
        "running": any(not job.finished for job in imports),
    })  # fmt: skip


def jurisdictions(request):
    if not services.is_compliance(request.user):
        raise PermissionDenied
    form = JurisdictionRiskForm()
    if request.method == "POST":
        form = JurisdictionRiskForm(request.POST)
        if form.is_valid():
            try:
                risk = services.set_jurisdiction_risk(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("%(country)s is now %(level)s.") % {"country": risk.country,
                                                                                 "level": risk.get_level_display()})  # fmt: skip
                return redirect("counterparties:jurisdictions")
    return render(request, "counterparties/jurisdictions.html",
                  {"risks": JurisdictionRisk.objects.all(), "form": form})  # fmt: skip
