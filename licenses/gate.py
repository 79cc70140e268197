"""The model gate: the one check every inference runs first (LLM calls, clause classifier runs).

A version runs only when the register approves it for the use at hand and, where the weights' SHA-256 is
known at run time (a local file, a server that reports it), that hash is the one the register recorded.
A refusal is an audit event of its own, written in its own transaction so that the caller's rollback of
its half-done work does not erase it.
"""

from dataclasses import dataclass

from django.db import transaction

from audit.services import record_event
from licenses.models import RUNNABLE_STATUSES, ModelVersion
from licenses.uses import Use
from worker.model_gate import ModelNotApproved


@dataclass(frozen=True)
class GateDecision:
    allowed: bool
    reason: str
    model_version_id: int | None


def _use_label(use: str) -> str:
    return str(Use(use).label) if use in Use.values else use


def _resolve(model_name: str, version: str | None, weights_sha256: str | None) -> ModelVersion | str:
    """The register's version for what the caller runs, or why none can be chosen."""
    versions = ModelVersion.objects.select_related("model")
    if version:
        found = (
            versions.filter(model__name=model_name, version=version).first()
            or versions.filter(served_name=model_name, version=version).first()
        )
        return found or f"model {model_name} version {version} is not in the model register"
    candidates = list(versions.filter(served_name=model_name)) or list(
        versions.filter(model__name=model_name)
    )
    if weights_sha256 and len(candidates) > 1:
        candidates = [c for c in candidates if c.weights_sha256 == weights_sha256] or candidates
    if not candidates:
        return f"model {model_name} is not in the model register"
    if len(candidates) > 1:
        return (
            f"model {model_name} matches {len(candidates)} register versions; the server must say which one"
        )
    return candidates[0]


def _decide(model_name: str, version: str | None, use: str, weights_sha256: str | None) -> GateDecision:
    if use not in Use.values:
        return GateDecision(False, f"unknown use {use!r}", None)
    found = _resolve(model_name, version, weights_sha256)
    if isinstance(found, str):
        return GateDecision(False, found, None)
    label = f"model {found.model.name} version {found.version}"
    if found.status not in RUNNABLE_STATUSES or use not in found.approved_uses:
        return GateDecision(
            False, f"{label} is not approved for {_use_label(use)} (status: {found.status})", found.pk
        )
    if weights_sha256 and found.weights_sha256 and weights_sha256.lower() != found.weights_sha256:
        return GateDecision(
            False,
            f"{label} is not approved for {_use_label(use)}: its weights SHA-256 {weights_sha256[:12]}… "
            f"differs from the registered {found.weights_sha256[:12]}…",
            found.pk,
        )
    return GateDecision(True, f"{label} is approved for {_use_label(use)}", found.pk)


def refuse(
    *, model_name: str, version: str | None, use: str, reason: str, weights_sha256: str | None = None,
    model_version_id: int | None = None, system: str = "model_gate",
) -> GateDecision:  # fmt: skip
    """Record a refusal as an audit event and return it as a decision."""
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
                "reason": reason,
            },
        )
    return GateDecision(False, reason, model_version_id)


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
        model_name=model_name, version=version, use=use, reason=decision.reason, weights_sha256=weights_sha256,
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
    """check_model, raising ModelNotApproved(reason) when the version may not run."""
    decision = check_model(
        model_name=model_name, version=version, use=use, weights_sha256=weights_sha256, system=system
    )
    if not decision.allowed:
        raise ModelNotApproved(decision.reason, decision.model_version_id)
    return decision
