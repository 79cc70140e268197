"""Writes to the model register. Every state change is audited in the same transaction.

Status changes follow an explicit transition table (TRANSITIONS) rather than a state-machine library: the
table is five lines, and every change also needs a steward, a reason, the reviewed license text and, for
evaluated uses, an evaluation run, which a plain function states more clearly than transition decorators.
Four eyes: a steward's approval is a StatusProposal until a second steward approves it (apply_proposal, called
when the version's approval flow completes); blocking, retiring and the system's seeding act at once.
"""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import record_event
from licenses.models import (
    FRACTION_METRICS,
    HEADLINE_METRICS,
    METRIC_LABELS,
    METRICS_BY_TASK,
    RUNNABLE_STATUSES,
    EvaluationRun,
    License,
    LicenseText,
    Model,
    ModelVersion,
    Status,
    StatusChange,
    StatusProposal,
)
from licenses.uses import EVALUATED_USES, USES_BY_TASK, Task, Use

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.APPROVED, Status.RESTRICTED, Status.BLOCKED, Status.RETIRED}),
    Status.APPROVED: frozenset({Status.PENDING, Status.RESTRICTED, Status.BLOCKED, Status.RETIRED}),
    Status.RESTRICTED: frozenset({Status.PENDING, Status.APPROVED, Status.BLOCKED, Status.RETIRED}),
    Status.BLOCKED: frozenset({Status.PENDING, Status.RETIRED}),
    Status.RETIRED: frozenset({Status.PENDING}),
}


def is_steward(user) -> bool:
    return has_role(user, Role.MODEL_STEWARD)


def require_steward(actor, system: str) -> None:
    """A person must be a model steward; a system actor (a management command run on the server) may act."""
    if actor is None and system:
        return
    if actor is None or not is_steward(actor):
        raise PermissionDenied(_("Only model stewards may change the model register."))


def _actor_fields(actor, system: str) -> dict:
    return {"actor": actor, "system": system} if actor is not None else {"system": system}


@dataclass(frozen=True)
class EvaluationComparison:
    run: EvaluationRun | None
    previous_version: ModelVersion | None  # the model's most recently approved other version
    previous: EvaluationRun | None  # the run its approval was based on, when on the same split
    drops: dict[str, float]  # per headline metric of the task: previous minus this (positive is worse)
    max_drop: float

    @property
    def metric(self) -> str | None:
        """The headline metric that dropped most (the task's first headline metric on a tie)."""
        return max(self.drops, key=lambda name: self.drops[name]) if self.drops else None

    @property
    def metric_label(self) -> str:
        return str(METRIC_LABELS[self.metric]) if self.metric else ""

    @property
    def drop(self) -> float | None:
        return self.drops[self.metric] if self.drops else None

    @property
    def drop_exceeds(self) -> bool:
        return self.drop is not None and self.drop > self.max_drop

    @property
    def not_comparable(self) -> bool:
        """A previous approved version exists but its approval rests on no figures on this split."""
        return self.previous_version is not None and self.previous is None


def compare_evaluation(version: ModelVersion, run: EvaluationRun | None) -> EvaluationComparison:
    """This run beside the figures the model's most recently approved other version was approved on."""
    max_drop = settings.LICENSE_EVAL_MAX_DROP
    if run is None:
        return EvaluationComparison(None, None, None, {}, max_drop)
    last_approval = (
        StatusChange.objects.filter(model_version__model_id=version.model_id, to_status__in=RUNNABLE_STATUSES)
        .exclude(model_version=version)
        .select_related("model_version", "evaluation_run")
        .order_by("-created_at", "-pk")
        .first()
    )
    previous_version = last_approval.model_version if last_approval else None
    # The figures that approval was based on, frozen with it: runs added to that version later change nothing.
    frozen = last_approval.evaluation_run if last_approval else None
    # Typed figures frozen with an approval made before the gate refused them compare with nothing.
    comparable = frozen is not None and frozen.computed and frozen.dataset_label == run.dataset_label
    previous = frozen if comparable else None
    drops = {}
    if previous is not None:
        for name in HEADLINE_METRICS[version.model.task]:
            if name in previous.metrics and name in run.metrics:
                drops[name] = round(previous.metrics[name] - run.metrics[name], 6)
    return EvaluationComparison(run, previous_version, previous, drops, max_drop)


def _check_uses(version: ModelVersion, to_status: str, uses: Iterable[str]) -> list[str]:
    allowed = USES_BY_TASK[version.model.task]
    if to_status == Status.APPROVED:
        return [str(use) for use in allowed]  # approved: every use the model's task can serve
    if to_status != Status.RESTRICTED:
        return []
    chosen = list(dict.fromkeys(uses))
    if not chosen:
        raise ValidationError(_("A restricted approval must name the uses it allows."))
    wrong = [use for use in chosen if use not in allowed]
    if wrong:
        raise ValidationError(
            _("A %(task)s model cannot be approved for: %(uses)s.")
            % {"task": version.model.get_task_display(), "uses": ", ".join(wrong)}
        )
    return chosen


def _check_evaluation(
    version: ModelVersion, uses: list[str], run: EvaluationRun | None, override_reason: str, is_person: bool
) -> EvaluationComparison | None:
    """The evaluation gate: approving a version for clause extraction or review needs its evaluation run."""
    # Checked for every decision: the run is frozen with it and compared against by the next version's approval.
    if run is not None and run.model_version_id != version.pk:
        raise ValidationError(_("The evaluation run belongs to another model version."))
    # Frozen with the decision and compared against later, so only the workbench's own finished figures count.
    if run is not None and not run.computed:
        raise ValidationError(
            _("The evaluation run %(run)s holds figures a steward typed in: they are kept as a note only. "
              "Run the evaluation set and decide on the figures the workbench computed.")
            % {"run": run.pk}
        )  # fmt: skip
    if run is not None and run.state != EvaluationRun.State.DONE:
        raise ValidationError(
            _("The evaluation run %(run)s is %(state)s: decide on a finished run.")
            % {"run": run.pk, "state": run.get_state_display()}
        )
    if not EVALUATED_USES.intersection(uses):
        return None
    if run is None and (is_person or not override_reason):
        raise ValidationError(
            _("Approving %(version)s for %(uses)s needs an evaluation run on the validation split.")
            % {
                "version": version,
                "uses": ", ".join(str(Use(u).label) for u in EVALUATED_USES.intersection(uses)),
            }
        )
    comparison = compare_evaluation(version, run)
    if comparison.not_comparable and not override_reason:
        raise ValidationError(
            _("The approval of the previous version %(previous)s rests on no figures on %(split)s to compare with; "
              "approving needs an override reason.")
            % {"previous": comparison.previous_version, "split": run.dataset_label}
        )  # fmt: skip
    if comparison.drop_exceeds and not override_reason:
        raise ValidationError(
            _("%(metric)s dropped by %(drop).3f against the previous approved version (allowed: %(max).3f); "
              "approving needs an override reason.")
            % {"metric": comparison.metric_label, "drop": comparison.drop, "max": comparison.max_drop}
        )  # fmt: skip
    return comparison


def _drop_payload(comparison: EvaluationComparison | None) -> dict:
    """The comparison as the audit trail keeps it: which headline metric, and by how much it dropped."""
    return {
        "evaluation_metric": comparison.metric if comparison else None,
        "evaluation_drop": comparison.drop if comparison else None,
    }


@dataclass(frozen=True)
class _Decision:
    to_status: str
    reason: str
    uses: list[str]
    evaluation_run: EvaluationRun | None
    override_reason: str  # kept only where the evaluation gate applied
    comparison: EvaluationComparison | None


def _locked(model_version: ModelVersion) -> ModelVersion:
    return ModelVersion.objects.select_for_update().select_related("model", "license").get(pk=model_version.pk)


def _check_decision(
    version: ModelVersion, to_status: str, reason: str, uses: Iterable[str], evaluation_run: EvaluationRun | None,
    override_reason: str, is_person: bool,
) -> _Decision:  # fmt: skip
    if to_status not in Status.values:
        raise ValidationError(_("Unknown status: %(status)s.") % {"status": to_status})
    if to_status not in TRANSITIONS[version.status]:
        raise ValidationError(
            _("A %(from)s version cannot become %(to)s.")
            % {"from": version.get_status_display(), "to": Status(to_status).label}
        )
    reason, override_reason = reason.strip(), override_reason.strip()
    if not reason:
        raise ValidationError(_("A status change needs a reason."))
    new_uses = _check_uses(version, to_status, uses)
    comparison = _check_evaluation(version, new_uses, evaluation_run, override_reason, is_person)
    return _Decision(to_status, reason, new_uses, evaluation_run, override_reason if comparison else "", comparison)


def _apply(version: ModelVersion, decision: _Decision, *, actor, system: str = "", approved_by=None) -> StatusChange:
    license_text = version.license.texts.order_by("-number").first()
    change = StatusChange.objects.create(
        model_version=version,
        from_status=version.status,
        to_status=decision.to_status,
        uses=decision.uses,
        reason=decision.reason,
        license_text=license_text,
        evaluation_run=decision.evaluation_run,
        override_reason=decision.override_reason,
        approved_by=approved_by,
        **_actor_fields(actor, system),
    )
    version.status, version.approved_uses, version.reviewed_text = decision.to_status, decision.uses, license_text
    version.save(update_fields=["status", "approved_uses", "reviewed_text"])
    comparison = decision.comparison
    record_event(
        action="model_version.status_changed",
        actor=actor,
        system=system,
        target=version,
        payload={
            "model": version.model.name,
            "version": version.version,
            "from": change.from_status,
            "to": decision.to_status,
            "uses": decision.uses,
            "reason": decision.reason[:500],
            "license_text": license_text.number if license_text else None,
            "evaluation_run": decision.evaluation_run.pk if decision.evaluation_run else None,
            **_drop_payload(comparison),
            "override_reason": decision.override_reason[:500],
            "approved_by": approved_by.get_username() if approved_by else None,
        },
    )
    return change


@transaction.atomic
def change_status(
    *,
    actor,
    model_version: ModelVersion,
    to_status: str,
    reason: str,
    uses: Iterable[str] = (),
    evaluation_run: EvaluationRun | None = None,
    override_reason: str = "",
    system: str = "",
) -> StatusChange:
    """A decision that takes effect at once: a steward's block, retirement or return to review, or the system's.

    Stopping use never waits for anyone. A steward's approval (approved or restricted) waits for a second
    steward instead (propose_status); only the system (`system` and no actor: the demo's seed, the first
    classifier artifact) approves directly, and its StatusChange and audit event name it.
    """
    require_steward(actor, system)
    if actor is not None and to_status in RUNNABLE_STATUSES:
        raise PermissionDenied(
            _("Approving a version needs a second steward: propose the approval and submit it for approval.")
        )
    version = _locked(model_version)
    decision = _check_decision(
        version, to_status, reason, uses, evaluation_run, override_reason, is_person=actor is not None
    )
    change = _apply(version, decision, actor=actor, system=system)
    # A waiting approval was proposed for the status the version had before this decision.
    _withdraw_open_proposal(version, actor=actor, system=system)
    return change


def open_proposal(version: ModelVersion) -> StatusProposal | None:
    return version.proposals.filter(state=StatusProposal.State.OPEN).select_related("evaluation_run").first()


def _withdraw_open_proposal(version: ModelVersion, *, actor, system: str = "") -> None:
    proposal = open_proposal(version)
    if proposal is None:
        return
    proposal.state = StatusProposal.State.WITHDRAWN
    proposal.save(update_fields=["state"])
    record_event(
        action="model_version.proposal_withdrawn", actor=actor, system=system, target=version,
        payload={"model": version.model.name, "version": version.version, "proposal": proposal.pk},
    )  # fmt: skip


@transaction.atomic
def propose_status(
    *,
    actor,
    model_version: ModelVersion,
    to_status: str,
    reason: str,
    uses: Iterable[str] = (),
    evaluation_run: EvaluationRun | None = None,
    override_reason: str = "",
) -> StatusProposal:
    """A steward's decision to approve or restrict a version. The status stays until a second steward approves
    the version's approval flow (kind `model-version`), whose completion calls apply_proposal.

    A new proposal replaces the open one, so a flow submitted for the old one no longer matches its object.
    """
    require_steward(actor, "")
    if to_status not in RUNNABLE_STATUSES:
        raise ValidationError(_("Only an approval waits for a second steward: block or retire the version directly."))
    version = _locked(model_version)
    decision = _check_decision(version, to_status, reason, uses, evaluation_run, override_reason, is_person=True)
    _withdraw_open_proposal(version, actor=actor)
    proposal = StatusProposal.objects.create(
        model_version=version, to_status=decision.to_status, uses=decision.uses, reason=decision.reason,
        evaluation_run=decision.evaluation_run, override_reason=decision.override_reason, proposed_by=actor,
    )  # fmt: skip
    record_event(
        action="model_version.status_proposed",
        actor=actor,
        target=version,
        payload={
            "model": version.model.name,
            "version": version.version,
            "proposal": proposal.pk,
            "from": version.status,
            "to": decision.to_status,
            "uses": decision.uses,
            "reason": decision.reason[:500],
            "evaluation_run": decision.evaluation_run.pk if decision.evaluation_run else None,
            **_drop_payload(decision.comparison),
            "override_reason": decision.override_reason[:500],
        },
    )
    return proposal


def may_not_approve(version: ModelVersion) -> set[int]:
    """The people who may not be the second steward: who registered the version, who proposed its approval
    and who recorded the evaluation run the approval rests on."""
    people = {version.registered_by_id}
    proposal = open_proposal(version)
    if proposal is not None:
        people.add(proposal.proposed_by_id)
        if proposal.evaluation_run is not None:
            people.add(proposal.evaluation_run.created_by_id)
    return people - {None}


@transaction.atomic
def apply_proposal(*, approver, model_version: ModelVersion) -> StatusChange:
    """The second steward's approval (the completion of the version's approval flow) applies the open proposal.

    The proposal is checked again against the register as it is now (transition, uses, evaluation gate).
    """
    require_steward(approver, "")
    version = _locked(model_version)
    proposal = open_proposal(version)
    if proposal is None:
        raise ValidationError(_("No approval of this version awaits a second steward."))
    if approver.pk in may_not_approve(version):
        raise PermissionDenied(
            _("The steward who registered the version, evaluated it or proposed its approval may not approve it.")
        )
    decision = _check_decision(
        version, proposal.to_status, proposal.reason, proposal.uses, proposal.evaluation_run,
        proposal.override_reason, is_person=True,
    )  # fmt: skip
    change = _apply(version, decision, actor=proposal.proposed_by, approved_by=approver)
    proposal.state, proposal.status_change = StatusProposal.State.APPLIED, change
    proposal.save(update_fields=["state", "status_change"])
    if version.model.task == Task.TEXT_GENERATION:
        # Regression monitoring: the newly approved version is measured again, beside its earlier figures.
        from licenses.llm_evaluation import start_regression_evaluation  # it builds on this module

        start_regression_evaluation(model_version=version, trigger=EvaluationRun.Trigger.APPROVAL)
    return change


def withdraw_approval(*, actor, model_version: ModelVersion, reason: str) -> None:
    """A revoked approval flow takes back what it applied: the version waits for a steward again, unless its
    status has changed since (a later block or review stands)."""
    version = _locked(model_version)
    applied = version.proposals.filter(state=StatusProposal.State.APPLIED).order_by("-pk").first()
    latest = version.status_changes.order_by("-created_at", "-pk").first()
    if applied is None or latest is None or applied.status_change_id != latest.pk:
        return
    _send_back_to_review(version, reason=f"approval revoked: {reason}"[:1000], system="approvals", actor=actor)


def _send_back_to_review(version: ModelVersion, reason: str, system: str, actor=None) -> None:
    """The system's own transition: an approved version whose terms or weights changed waits for a steward."""
    if version.status not in RUNNABLE_STATUSES:
        return
    StatusChange.objects.create(
        model_version=version,
        from_status=version.status,
        to_status=Status.PENDING,
        reason=reason,
        system=system,
    )
    record_event(
        action="model_version.status_changed",
        actor=actor,
        system=system,
        target=version,
        payload={"model": version.model.name, "version": version.version, "from": version.status,
                 "to": Status.PENDING, "uses": [], "reason": reason},
    )  # fmt: skip
    version.status, version.approved_uses = Status.PENDING, []
    version.save(update_fields=["status", "approved_uses"])


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def add_license_text(
    *, actor, license: License, text: str, retrieved_on: date, source_url: str = "", system: str = ""
) -> LicenseText:
    """Record a new version of a license's text; every version running under the license goes back to review."""
    require_steward(actor, system)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(_("Paste the full license text."))
    license = License.objects.select_for_update().get(pk=license.pk)
    previous = license.texts.order_by("-number").first()
    digest = text_sha256(text)
    if previous is not None and previous.sha256 == digest:
        raise ValidationError(
            _("This text is identical to the current version %(number)s.") % {"number": previous.number}
        )
    license_text = LicenseText(
        license=license,
        number=(previous.number + 1) if previous else 1,
        text=text,
        sha256=digest,
        retrieved_on=retrieved_on,
        source_url=source_url,
        created_by=actor,
    )
    license_text.full_clean()
    license_text.save()
    record_event(
        action="license.text_added",
        actor=actor,
        system=system,
        target=license,
        payload={"license": license.name, "number": license_text.number, "sha256": digest,
                 "previous_sha256": previous.sha256 if previous else None},
    )  # fmt: skip
    reason = f"license text changed to version {license_text.number}: review the diff"
    for version in (
        license.versions.select_for_update().select_related("model").filter(status__in=RUNNABLE_STATUSES)
    ):
        _send_back_to_review(version, reason, system or "license_text", actor=actor)
    return license_text


def clean_metrics(metrics: dict, task: str) -> dict[str, float]:
    """The task's metrics as numbers: fractions in [0, 1], latencies and counts not negative."""
    cleaned = {}
    for name in METRICS_BY_TASK[task]:
        fraction = name in FRACTION_METRICS
        message = (
            _("Metric %(name)s must be a number between 0 and 1.") if fraction
            else _("Metric %(name)s must be a number of at least 0.")
        ) % {"name": name}  # fmt: skip
        try:
            number = float(metrics.get(name))
        except (TypeError, ValueError):
            raise ValidationError(message) from None
        if not math.isfinite(number) or number < 0.0 or (fraction and number > 1.0):
            raise ValidationError(message)
        cleaned[name] = number
    return cleaned


@transaction.atomic
def record_evaluation_run(
    *, actor, model_version: ModelVersion, dataset_label: str, metrics: dict, system: str = "",
    computed: bool = False,
) -> EvaluationRun:  # fmt: skip
    """Figures of a version on a named split. A person's are a note (the gate refuses them); only a system
    that measured them itself (a classifier artifact registered with its validation figures) records computed
    ones. The LLM evaluation set records its own (licenses.llm_evaluation)."""
    require_steward(actor, system)
    if computed and actor is not None:
        raise PermissionDenied(_("Figures typed in by a person are a note, never computed figures."))
    dataset_label = dataset_label.strip()
    if not dataset_label:
        raise ValidationError(_("Name the validation split the figures come from."))
    run = EvaluationRun.objects.create(
        model_version=model_version,
        dataset_label=dataset_label,
        metrics=clean_metrics(metrics, model_version.model.task),
        computed=computed,
        trigger=EvaluationRun.Trigger.ARTIFACT if computed else EvaluationRun.Trigger.NOTE,
        created_by=actor,
    )
    record_event(
        action="model_version.evaluated",
        actor=actor,
        system=system,
        target=model_version,
        payload={"evaluation_run": run.pk, "dataset": dataset_label, "computed": computed, **run.metrics},
    )
    return run


VERSION_FIELDS = frozenset({"served_name", "source", "file_name", "quantization", "context_length"})


@transaction.atomic
def create_model_version(
    *, actor, model: Model, version: str, license: License | None = None, system: str = "", **fields
) -> ModelVersion:
    """A new version of a registered model (a model update): pending until a steward approves it.

    Without a license it takes the license of the model's latest version; the steward confirms it on review.
    """
    require_steward(actor, system)
    unknown = set(fields) - VERSION_FIELDS
    if unknown:
        raise ValueError(f"unknown model version fields: {sorted(unknown)}")
    if license is None:
        latest = model.versions.order_by("-added_on", "-pk").first()
        if latest is None:
            raise ValidationError(_("Name the license of the first version of a model."))
        license = latest.license
    new_version = ModelVersion(
        model=model, version=version.strip(), license=license, registered_by=actor, **fields
    )
    new_version.full_clean()
    new_version.save()
    record_event(
        action="model_version.created",
        actor=actor,
        system=system,
        target=new_version,
        payload={"model": model.name, "version": new_version.version, "license": license.name},
    )
    return new_version


@transaction.atomic
def record_weights(
    *,
    model_version: ModelVersion,
    sha256: str,
    size_bytes: int | None,
    file_name: str,
    system: str,
    actor=None,
) -> ModelVersion:
    """Record the weights file of a version. Different weights than those recorded send it back to review."""
    version = ModelVersion.objects.select_for_update().select_related("model").get(pk=model_version.pk)
    previous = version.weights_sha256
    if previous == sha256 and version.size_bytes == size_bytes and version.file_name == file_name:
        return version
    version.weights_sha256, version.size_bytes, version.file_name = sha256, size_bytes, file_name
    version.full_clean()
    version.save(update_fields=["weights_sha256", "size_bytes", "file_name"])
    record_event(
        action="model_version.weights_recorded",
        actor=actor,
        system=system,
        target=version,
        payload={"model": version.model.name, "version": version.version, "sha256": sha256,
                 "previous_sha256": previous, "size_bytes": size_bytes},
    )  # fmt: skip
    if previous and previous != sha256:
        _send_back_to_review(
            version, "weights changed: their SHA-256 differs from the recorded one", system, actor
        )
    return version
