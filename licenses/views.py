"""Pages of the model register: the approved list for everyone; the register, diffs and decisions for stewards.

Steward pages answer 403 to other roles: the register is not object-scoped (nothing in it is hidden per
object), so the refusal is about the role, not about the existence of a record.
"""

import csv
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_event
from licenses import llm_evaluation, selectors, services
from licenses.forms import EvaluationRunForm, LicenseTextForm, ModelVersionForm, StatusChangeForm
from licenses.models import METRIC_LABELS, METRICS_BY_TASK, RUNNABLE_STATUSES, EvaluationRun, License, Status
from licenses.services import compare_evaluation, is_steward
from licenses.uses import Task

CSV_COLUMNS = (
    "model", "version", "provider", "task", "served_name", "status", "approved_uses", "license", "spdx_id",
    "weights_sha256", "file_name", "size_bytes", "quantization", "context_length", "source", "added_on",
)  # fmt: skip


def steward_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_steward(request.user):
            raise PermissionDenied(_("Only model stewards may open the model register."))
        return view(request, *args, **kwargs)

    return wrapped


def approved_list(request):
    return render(
        request,
        "licenses/approved_list.html",
        {"versions": selectors.approved_versions(), "is_steward": is_steward(request.user)},
    )


def _number(value: str | None) -> int | None:
    """A small positive integer from a query parameter, or None for anything else."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 9 else None


def _filters(request) -> dict:
    return {
        "status": request.GET.get("status", "") if request.GET.get("status") in Status.values else "",
        "task": request.GET.get("task", "") if request.GET.get("task") in Task.values else "",
        "license_id": _number(request.GET.get("license")),
        "q": request.GET.get("q", "").strip()[:100],
    }


@steward_required
def register(request, version_form=None):
    filters = _filters(request)
    return render(
        request,
        "licenses/register.html",
        {
            "versions": selectors.register_versions(**filters),
            "filters": filters,
            "statuses": Status.choices,
            "tasks": Task.choices,
            "licenses": License.objects.all(),
            "query_string": request.GET.urlencode(),
            "version_form": version_form or ModelVersionForm(),
        },
    )


@require_POST
@steward_required
def add_version(request):
    form = ModelVersionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.create_model_version(
                actor=request.user, model=data.pop("model"), version=data.pop("version"),
                license=data.pop("license"), **data,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version added as pending."))
            return redirect("licenses:version-detail", pk=version.pk)
    return register(request, version_form=form)


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@steward_required
def register_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="model-register.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    versions = list(selectors.register_versions(**_filters(request)))
    record_event(action="model_register.exported", actor=request.user,
                 payload={"format": "csv", "versions": len(versions), "filters": request.GET.dict()})  # fmt: skip
    for v in versions:
        row = (
            v.model.name, v.version, v.model.provider, v.model.task, v.served_name, v.status,
            " ".join(v.approved_uses), v.license.name, v.license.spdx_id, v.weights_sha256, v.file_name,
            v.size_bytes, v.quantization, v.context_length, v.source, v.added_on,
        )  # fmt: skip
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _evaluation_context(version) -> dict:
    """The version's computed runs (before and after each change, newest first) and its typed notes."""
    runs = list(version.evaluation_runs.select_related("created_by", "model_version__model"))
    computed = [run for run in runs if run.computed]
    return {
        "version": version,
        "computed_runs": computed,
        "notes": [run for run in runs if not run.computed],
        "running": any(run.state == EvaluationRun.State.RUNNING for run in computed),
        "metric_labels": [METRIC_LABELS[name] for name in METRICS_BY_TASK[version.model.task]],
        "latest_run": next((run for run in computed if run.usable_by_gate), None),
    }


@steward_required
def version_detail(request, pk: int, status_form=None, evaluation_form=None):
    version = selectors.version_detail(pk)
    texts = selectors.license_texts(version.license)
    evaluation = _evaluation_context(version)
    latest_run = evaluation["latest_run"]
    is_llm = version.model.task == Task.TEXT_GENERATION
    return render(
        request,
        "licenses/version_detail.html",
        {
            "version": version,
            "obligations": getattr(version.license, "obligations", None),
            "training_data": version.model.training_data.select_related("license"),
            "texts": texts,
            "text_changed": bool(texts) and version.reviewed_text_id != texts[0].pk,
            "changes": version.status_changes.select_related(
                "actor", "approved_by", "license_text", "evaluation_run__model_version__model"
            ),
            "proposal": services.open_proposal(version),
            "comparison": compare_evaluation(version, latest_run),
            **evaluation,
            "is_llm": is_llm,
            "evaluation_refusal": llm_evaluation.refusal(version) if is_llm else "",
            "status_form": status_form
            or StatusChangeForm(version=version, initial={"evaluation_run": latest_run}),
            "evaluation_form": evaluation_form or EvaluationRunForm(task=version.model.task),
        },
    )


@steward_required
def evaluation_runs(request, pk: int):
    """The computed runs' table alone: the version page polls it while a run is in progress."""
    return render(request, "licenses/_evaluation_runs.html", _evaluation_context(selectors.version_detail(pk)))


@require_POST
@steward_required
def run_evaluation(request, pk: int):
    """Start the LLM evaluation set against the endpoint that serves the version (a worker runs it)."""
    version = selectors.version_detail(pk)
    try:
        llm_evaluation.request_evaluation(actor=request.user, model_version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The evaluation set is running; its progress shows below."))
    return redirect("licenses:version-detail", pk=version.pk)


@require_POST
@steward_required
def change_status(request, pk: int):
    version = selectors.version_detail(pk)
    form = StatusChangeForm(request.POST, version=version)
    if form.is_valid():
        data = form.cleaned_data
        # Approving waits for a second steward; blocking, retiring and sending back to review act at once.
        needs_second_steward = data["to_status"] in RUNNABLE_STATUSES
        decide = services.propose_status if needs_second_steward else services.change_status
        try:
            decide(
                actor=request.user,
                model_version=version,
                to_status=data["to_status"],
                reason=data["reason"],
                uses=data["uses"],
                evaluation_run=data["evaluation_run"],
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if needs_second_steward:
                messages.success(request, _("Approval proposed: submit it for a second model steward's approval."))
                return redirect("approvals:object", "model-version", version.pk)
            messages.success(request, _("Status changed."))
            return redirect("licenses:version-detail", pk=version.pk)
    return version_detail(request, pk, status_form=form)


@require_POST
@steward_required
def add_evaluation(request, pk: int):
    """Typed figures: kept as a note beside the computed runs; the gate refuses them."""
    version = selectors.version_detail(pk)
    form = EvaluationRunForm(request.POST, task=version.model.task)
    if form.is_valid():
        try:
            services.record_evaluation_run(
                actor=request.user, model_version=version, dataset_label=form.cleaned_data["dataset_label"],
                metrics=form.metrics(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Typed figures kept as a note: approvals rest on computed runs only."))
            return redirect("licenses:version-detail", pk=version.pk)
    return version_detail(request, pk, evaluation_form=form)


@steward_required
def license_detail(request, pk: int, text_form=None):
    license = get_object_or_404(License.objects.select_related("obligations"), pk=pk)
    return render(
        request,
        "licenses/license_detail.html",
        {
            "license": license,
            "obligations": getattr(license, "obligations", None),
            "texts": selectors.license_texts(license),
            "versions": license.versions.select_related("model"),
            "text_form": text_form or LicenseTextForm(),
        },
    )


@require_POST
@steward_required
def add_license_text(request, pk: int):
    license = get_object_or_404(License, pk=pk)
    form = LicenseTextForm(request.POST)
    if form.is_valid():
        try:
            text = services.add_license_text(actor=request.user, license=license, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("License text version %(number)s added.") % {"number": text.number})
            return redirect("licenses:license-diff", pk=license.pk)
    return license_detail(request, pk, text_form=form)


@steward_required
def license_diff(request, pk: int):
    """The latest text against the one before it, or any two versions (?old=N&new=M)."""
    license = get_object_or_404(License, pk=pk)
    texts = {text.number: text for text in selectors.license_texts(license)}
    numbers = sorted(texts, reverse=True)
    new_number = _number(request.GET.get("new")) or (numbers[0] if numbers else 0)
    older = [n for n in numbers if n < new_number]
    old_number = _number(request.GET.get("old")) or (older[0] if older else 0)
    new, old = texts.get(new_number), texts.get(old_number)
    return render(
        request,
        "licenses/license_diff.html",
        {
            "license": license,
            "new": new,
            "old": old,
            "numbers": numbers,
            "segments": selectors.word_diff(old.text if old else "", new.text) if new else [],
            "versions": license.versions.select_related("model"),
        },
    )
