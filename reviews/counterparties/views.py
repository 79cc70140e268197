from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reviews import pseudonyms
from reviews.counterparties import selectors, services
from reviews.counterparties.forms import (
    CounterpartyForm,
    JurisdictionRiskForm,
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
        "counterparties": selectors.counterparties_for_user(request.user), "form": form,
    })  # fmt: skip


def counterparty_detail(request, pk: int):
    counterparty = selectors.counterparty_for_user(request.user, pk)
    person_form, review_form = RelatedPersonForm(), ReviewRequestForm()
    if request.method == "POST":
        try:
            if "add_person" in request.POST:
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
            _refusal(person_form if "add_person" in request.POST else review_form, error)
    return render(request, "counterparties/detail.html", {
        "counterparty": counterparty, "people": counterparty.related_people.all(),
        "screening": selectors.latest_screening(counterparty), "reviews": counterparty.reviews.all(),
        "person_form": person_form, "review_form": review_form,
        "can_work": access.may_work_in(request.user, counterparty.matter),
    })  # fmt: skip


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
    return render(request, "counterparties/review_detail.html", {
        "review": review, "counterparty": review.counterparty, "screening": selectors.review_screening(review),
        "documents": review.documents.all(), "form": form,
        # The summary is stored masked; the real names go back in for the reviewer's eyes only.
        "summary_shown": unmask(review.summary, pseudonyms.unseal(review.pseudonyms)) if review.summary else "",
        "can_work": access.may_work_in(request.user, review.counterparty.matter),
    })  # fmt: skip


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
