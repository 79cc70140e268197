"""The model gate: the one check every inference runs first (LLM calls, clause classifier runs).

A version runs only when the register approves it for the use at hand and, where the weights' SHA-256 is
known at run time (a local file, a server that reports it), that hash is the one the register recorded.
A refusal is an audit event of its own, written in its own transaction so that the caller's rollback of
its half-done work does not erase it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from audit.services import record_event
from licenses.models import RUNNABLE_STATUSES, ModelVersion, Status
from licenses.uses import Use
from worker.model_gate import ModelNotApproved


@dataclass(frozen=True)
class GateDecision:
    allowed: bool
    template: str  # the reason as an English template with %(name)s parameters (see worker.messages)
    params: dict[str, str]
    model_version_id: int | None

    @property
    def reason(self) -> str:
        return self.template % self.params


def _english(label) -> str:
    """A choice's label as its msgid: the reader's language is chosen when the message is shown."""
    with translation.override(None):
        return str(label)


def _resolve(model_name: str, version: str | None, weights_sha256: str | None) -> ModelVersion | GateDecision:
    """The register's version for what the caller runs, or the refusal saying why none can be chosen."""
    versions = ModelVersion.objects.select_related("model")
    if version:
        found = (
            versions.filter(model__name=model_name, version=version).first()
            or versions.filter(served_name=model_name, version=version).first()
        )
        return found or GateDecision(
            False, gettext_noop("Model %(model)s version %(version)s is not in the model register."),
            {"model": model_name, "version": version}, None,
        )  # fmt: skip
    candidates = list(versions.filter(served_name=model_name)) or list(
        versions.filter(model__name=model_name)
    )
    if weights_sha256 and len(candidates) > 1:
        candidates = [c for c in candidates if c.weights_sha256 == weights_sha256] or candidates
    if not candidates:
        return GateDecision(
            False, gettext_noop("Model %(model)s is not in the model register."), {"model": model_name}, None
        )
    if len(candidates) > 1:
        return GateDecision(
            False, gettext_noop("Model %(model)s matches %(count)s register versions; the server must say which one."),
            {"model": model_name, "count": str(len(candidates))}, None,
        )  # fmt: skip
    return candidates[0]


def _decide(model_name: str, version: str | None, use: str, weights_sha256: str | None) -> GateDecision:
    if use not in Use.values:
        return GateDecision(False, gettext_noop("Unknown use %(use)s."), {"use": use}, None)
    found = _resolve(model_name, version, weights_sha256)
    if isinstance(found, GateDecision):
        return found
    facts = {"model": found.model.name, "version": found.version, "use_label": _english(Use(use).label),
             "status_label": _english(Status(found.status).label)}  # fmt: skip
    if found.status not in RUNNABLE_STATUSES or use not in found.approved_uses:
        return GateDecision(
            False, gettext_noop("Model %(model)s version %(version)s is not approved for %(use_label)s (status: %(status_label)s)."),
            facts, found.pk,
        )  # fmt: skip
    if weights_sha256 and found.weights_sha256 and weights_sha256.lower() != found.weights_sha256:
        return GateDecision(
            False,
            gettext_noop("Model %(model)s version %(version)s is not approved for %(use_label)s: its weights SHA-256 "
                         "%(weights)s… differs from the registered %(registered)s…"),
            {**facts, "weights": weights_sha256[:12], "registered": found.weights_sha256[:12]}, found.pk,
        )  # fmt: skip
    return GateDecision(True, gettext_noop("Model %(model)s version %(version)s is approved for %(use_label)s."), facts, found.pk)


def refuse(
    *, model_name: str, version: str | None, use: str, template: str, params: dict[str, str],
    weights_sha256: str | None = None, model_version_id: int | None = None, system: str = "model_gate",
) -> GateDecision:  # fmt: skip
    """Record a refusal as an audit event and return it as a decision."""
    refusal = GateDecision(False, template, params, model_version_id)
    # Callers check before they open their own transaction, so this commits whatever they roll back.
    with transaction.atomic():
        record_event(
            action="model.gate_refused",
            system=system,
            object_type="licenses.modelversion" if model_version_id else "",
            object_id=model_version_id or "",
            payload={
                "model": model_name,
                "version": version,
                "use": use,
                "weights_sha256": weights_sha256,
                "reason": refusal.reason,
            },
        )
    return refusal


def check_model(
    *,
    model_name: str,
    version: str | None,
    use: str,
    weights_sha256: str | None = None,
    system: str = "model_gate",
) -> GateDecision:
    """May this model version run for this use? A refusal is recorded as an audit event."""
    decision = _decide(model_name, version, use, weights_sha256)
    if decision.allowed:
        return decision
    return refuse(
        model_name=model_name, version=version, use=use, template=decision.template, params=decision.params,
        weights_sha256=weights_sha256,
        model_version_id=decision.model_version_id, system=system,
    )  # fmt: skip


def require_model(
    *,
    model_name: str,
    version: str | None,
    use: str,
    weights_sha256: str | None = None,
    system: str = "model_gate",
) -> GateDecision:
    """check_model, raising ModelNotApproved when the version may not run."""
    decision = check_model(
        model_name=model_name, version=version, use=use, weights_sha256=weights_sha256, system=system
    )
    if not decision.allowed:
        raise ModelNotApproved(decision.template, model_version_id=decision.model_version_id, **decision.params)
    return decision
