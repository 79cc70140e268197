"""The LLM client as the workbench runs it: endpoints and timeouts from settings, endpoint state in Redis,
the register's gate before every endpoint, and every call an audit event."""

from typing import Any

from django.conf import settings
from django.db import transaction
from redis import Redis

from audit.services import record_event
from licenses.gate import require_model
from licenses.served import watch_served_weights
from worker.llm.client import TEMPERATURES, LLMClient
from worker.llm.endpoint_state import EndpointState
from worker.llm.endpoints import parse_endpoints
from worker.model_gate import ModelNotApproved

SYSTEM = "llm_client"


def _gate(*, model_name: str, use: str, weights_sha256: str | None) -> int:
    try:
        decision = require_model(
            model_name=model_name, version=None, use=use, weights_sha256=weights_sha256, system=SYSTEM
        )
    except ModelNotApproved as refusal:
        # The refusal stands; weights other than the registered ones are measured by the evaluation set.
        watch_served_weights(model_version_id=refusal.model_version_id, weights_sha256=weights_sha256)
        raise
    return decision.model_version_id


def _record(payload: dict[str, Any], *, matter_id: int | None, model_version_id: int | None) -> None:
    # Durable: its own transaction, which also refuses to run inside a caller's (it would roll back with it).
    with transaction.atomic(durable=True):
        record_event(
            action="llm.called",
            system=SYSTEM,
            object_type="licenses.modelversion" if model_version_id else "",
            object_id=model_version_id or "",
            matter_id=matter_id,
            payload=payload,
        )


def llm_client() -> LLMClient:
    timeout = settings.LLM_TIMEOUT_SECONDS
    state = EndpointState(
        Redis.from_url(settings.REDIS_URL),
        down_seconds=settings.LLM_ENDPOINT_DOWN_SECONDS,
        concurrency=settings.LLM_ENDPOINT_CONCURRENCY,
        lease_seconds=len(TEMPERATURES) * timeout + 30,  # a slot outlives both attempts of a call
    )
    return LLMClient(
        parse_endpoints(settings.LLM_ENDPOINTS),
        state=state,
        timeout_seconds=timeout,
        busy_wait_seconds=settings.LLM_BUSY_WAIT_SECONDS,
        gate=_gate,
        record=_record,
    )
