import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role
from audit.services import record_event
from reviews import pseudonyms
from reviews.contracts import selectors, services
from reviews.contracts.forms import ContractUploadForm, MissedFindingForm, PlaybookForm, TriageForm
from reviews.contracts.models import Finding, Playbook
from reviews.matters import access
from reviews.matters.selectors import matter_for_user, matter_history


def matter_detail(request, pk: int):
    matter = matter_for_user(request.user, pk)
    form = ContractUploadForm()
    if request.method == "POST":
        form = ContractUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                review = services.submit_contract_review(
                    actor=request.user, matter=matter, name=upload.name, data=upload.read(),
                    playbook=form.cleaned_data["playbook"], our_side=form.cleaned_data["our_side"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("file", error)
            except PermissionDenied:
                form.add_error(None, _("You may see this matter but not upload to it."))
            else:
                return redirect("contracts:review-detail", pk=review.pk)
    reviews = selectors.reviews_for_user(request.user).filter(matter=matter)
    return render(request, "contracts/matter_detail.html", {
        "matter": matter, "form": form, "reviews": reviews, "can_work": access.may_work_in(request.user, matter),
        "can_manage": access.may_manage_access(request.user, matter),
        "can_close": access.may_transfer_close_or_reopen(request.user, matter),
        "can_hold": access.may_set_legal_hold(request.user, matter), "history": matter_history(matter),
        "sees_audit_trail": has_role(request.user, Role.COMPLIANCE_OFFICER),
    })  # fmt: skip


def review_detail(request, pk: int):
    review = selectors.review_for_user(request.user, pk)
    findings = selectors.findings_by_severity(review)
    selectors.unmask_for_display(findings, pseudonyms.unseal(review.pseudonyms))
    record_event(action="document.viewed", actor=request.user, target=review.document,
                 payload={"review_id": review.pk, "findings_shown": len(findings)})  # fmt: skip
    return render(request, "contracts/review_detail.html", {
        "review": review, "findings": findings, "pieces": selectors.highlighted_text(review.document.text, findings),
        "can_work": access.may_work_in(request.user, review.matter), "triage_form": TriageForm(),
        "missed_form": MissedFindingForm(), "severities": Finding.Severity.choices,
    })  # fmt: skip


def review_progress(request, pk: int):
    review = selectors.review_for_user(request.user, pk)
    response = render(request, "contracts/_progress.html", {"review": review})
    if review.finished and request.htmx:
        response["HX-Refresh"] = "true"  # reload once, to show the findings in the text
    return response


def finding_explanation(request, pk: int):
    """The model's explanation of one flag, polled while it is pending."""
    finding = selectors.finding_for_user(request.user, pk)
    selectors.unmask_for_display([finding], pseudonyms.unseal(finding.review.pseudonyms))
    return render(request, "contracts/_explanation.html", {"finding": finding})


@require_POST
def triage(request, pk: int):
    finding = selectors.finding_for_user(request.user, pk)
    form = TriageForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.triage_finding(actor=request.user, finding=finding, action=form.cleaned_data["action"],
                                    reason=form.cleaned_data["reason"], severity=form.cleaned_data["severity"])  # fmt: skip
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        except PermissionDenied:
            error = _("You may see this matter but not triage in it.")
    else:
        error = _("Choose what to do with the finding.")
    finding = selectors.finding_for_user(request.user, pk)
    selectors.unmask_for_display([finding], pseudonyms.unseal(finding.review.pseudonyms))
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{finding.review.get_absolute_url()}#finding-{finding.pk}")
    return render(request, "contracts/_finding.html", {
        "finding": finding, "error": error, "can_work": True, "triage_form": TriageForm(),
        "severities": Finding.Severity.choices,
    }, status=422 if error else 200)  # fmt: skip


@require_POST
def add_missed(request, pk: int):
    review = selectors.review_for_user(request.user, pk)
    form = MissedFindingForm(request.POST)
    if form.is_valid():
        try:
            finding = services.add_missed_finding(actor=request.user, review=review, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as refusal:
            messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))
        else:
            messages.success(request, _("Missed finding added."))
            return redirect(f"{review.get_absolute_url()}#finding-{finding.pk}")
    else:
        messages.error(request, _("Select the clause in the text, then choose a category and severity."))
    return redirect(review.get_absolute_url())


def dashboard(request):
    rates = selectors.triage_rates(request.user)
    return render(request, "contracts/dashboard.html", rates)


def playbook_list(request):
    return render(request, "contracts/playbook_list.html", {"playbooks": Playbook.objects.prefetch_related("versions")})


def _may_edit_playbooks(user) -> bool:
    return has_role(user, Role.LAWYER)


def playbook_detail(request, pk: int):
    playbook = get_object_or_404(Playbook, pk=pk)
    version = playbook.current
    form = PlaybookForm(initial={"rules": json.dumps(version.rules, indent=2, ensure_ascii=False)} if version else None)
    if request.method == "POST":
        if not _may_edit_playbooks(request.user):
            raise PermissionDenied
        form = PlaybookForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_playbook_version(actor=request.user, rules=form.cleaned_data["rules"],
                                                       note=form.cleaned_data["note"])  # fmt: skip
            except ValidationError as error:
                form.add_error("rules", error)
            else:
                messages.success(request, _("Saved as version %(number)s.") % {"number": saved.number})
                return redirect("contracts:playbook-detail", pk=saved.playbook_id)
    return render(request, "contracts/playbook_detail.html", {
        "playbook": playbook, "version": version, "form": form, "can_edit": _may_edit_playbooks(request.user),
        "versions": playbook.versions.select_related("created_by"),
    })  # fmt: skip


