"""The one client for the OpenAI-compatible LLM servers listed in LLM_ENDPOINTS (vLLM, llama.cpp).

    client = llm_client()                     # licenses.llm: from settings, with the gate and the audit trail
    result = client.generate(masked, schema=FlagExplanation, use=Use.CONTRACT_REVIEW, system=SYSTEM_PROMPT)
    result.value                              # a validated FlagExplanation

- Only text that came out of the PII masker (`MaskedText`) reaches a model; the system prompt is our own text.
- Before an endpoint is called, what it serves (GET /models) must be a model version the register approves
  for the use (the `gate` callable); a refusal raises ModelNotApproved when no endpoint may serve the call.
- An endpoint that errors or times out is marked down for LLM_ENDPOINT_DOWN_SECONDS in Redis, so every worker
  skips it, and the next endpoint is tried. When none answers, NoModelAvailable: the calling task retries
  with backoff. Each endpoint serves at most LLM_ENDPOINT_CONCURRENCY calls at once across all workers.
- The answer is parsed and validated with the pydantic schema; invalid output is asked for once more, then
  InvalidModelOutput. Nothing invalid is returned.
- Every HTTP call is handed to the `record` callable (an audit event that commits on its own), with no
  prompt text.
"""

import hashlib
import ipaddress
import json
import time
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol
from urllib.parse import urlsplit

import httpx
import structlog
from pydantic import BaseModel, ValidationError

from worker.llm.endpoint_state import EndpointState
from worker.llm.endpoints import Dialect, Endpoint
from worker.llm.errors import InvalidModelOutput, LLMError, NoModelAvailable, RequestRejected
from worker.llm.local_server import EMBEDDED_MODEL_NAME, embedded_model_path
from worker.llm.schema import response_format
from worker.llm.served import ServerUnreachable, served_model_ids
from worker.model_gate import ModelNotApproved, local_weights_sha256
from worker.pii.masked_text import MaskedText

__all__ = [
    "Gate",
    "InvalidModelOutput",
    "LLMClient",
    "LLMError",
    "LLMResult",
    "ModelNotApproved",  # this and the errors are re-exported so callers catch every outcome from here
    "NoModelAvailable",
    "Recorder",
    "RequestRejected",
]

log = structlog.get_logger(__name__)

CONNECT_TIMEOUT_SECONDS = 5.0  # a dead host is skipped quickly, whatever the generation timeout
BUSY_POLL_SECONDS = 0.5
# The first attempt is greedy, for repeatable answers; the retry after invalid output samples, or it would
# most likely produce the same invalid output again.
TEMPERATURES = (0.0, 0.7)


class Gate(Protocol):
    def __call__(self, *, model_name: str, use: str, weights_sha256: str | None) -> int:
        """The register's version approved for `use`; raises ModelNotApproved (with its version id if any)."""


class Recorder(Protocol):
    def __call__(
        self, payload: dict[str, Any], *, matter_id: int | None, model_version_id: int | None
    ) -> None:
        """Record one call durably: it must stay recorded when the caller rolls its own work back."""


@dataclass(frozen=True)
class LLMResult:
    value: BaseModel  # an instance of the schema the caller asked for
    endpoint_index: int
    model: str
    model_version_id: int
    prompt_sha256: str  # of the messages sent (system and user), as JSON
    tokens_in: int
    tokens_out: int
    latency_ms: int


@dataclass(frozen=True)
class _Call:
    messages: list[dict[str, str]]
    prompt_sha256: str
    schema: type[BaseModel]
    response_formats: dict[Dialect, dict[str, Any]]
    use: str
    matter_id: int | None
    user_id: int | None  # on whose behalf (who requested the review), for token usage per user
    max_tokens: int


@dataclass(frozen=True)
class _Target:
    """An endpoint, the model it serves, and that model's register version once the gate has looked it up."""

    index: int
    endpoint: Endpoint
    model: str
    model_version_id: int | None
    weights_sha256: str | None


class _EndpointFailed(Exception):
    """The endpoint did not answer properly; it has been marked down and the failure recorded."""


class LLMClient:
    def __init__(
        self,
        endpoints: list[Endpoint],
        *,
        state: EndpointState,
        timeout_seconds: float,
        busy_wait_seconds: float,
        gate: Gate,
        record: Recorder,
        http: httpx.Client | None = None,
    ) -> None:
        if not endpoints:
            raise ValueError("LLM_ENDPOINTS lists no endpoint")
        self._endpoints = endpoints
        self._state = state
        self._timeout = timeout_seconds
        self._busy_wait = busy_wait_seconds
        self._gate = gate
        self._record_call = record
        self._http = http or httpx.Client(
            timeout=httpx.Timeout(timeout_seconds, connect=min(CONNECT_TIMEOUT_SECONDS, timeout_seconds))
        )

    def generate(
        self,
        prompt: MaskedText,
        *,
        schema: type[BaseModel],
        use: str,
        system: str,
        matter_id: int | None = None,
        user_id: int | None = None,
        max_tokens: int = 512,
    ) -> LLMResult:
        """The model's answer to `prompt`, validated against `schema`.

        Call it outside any transaction: its audit events commit on their own, so that a failed call stays
        recorded when the caller rolls its work back.
        """
        if not isinstance(prompt, MaskedText):
            raise TypeError("the LLM client takes only MaskedText, the output of the PII masker")
        messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt.text}]
        digest = hashlib.sha256(json.dumps(messages, ensure_ascii=False).encode()).hexdigest()
        # Built before any endpoint is called, so that a schema we must not send (a severity) fails at once.
        formats = {
            endpoint.dialect: response_format(schema, endpoint.dialect) for endpoint in self._endpoints
        }
        call = _Call(messages, digest, schema, formats, str(use), matter_id, user_id, max_tokens)

        refused: dict[int, ModelNotApproved] = {}
        deadline = time.monotonic() + self._busy_wait
        while True:
            busy = False
            for index, endpoint in enumerate(self._endpoints):
                if index in refused or self._state.is_down(endpoint):
                    continue
                token = self._state.acquire_slot(endpoint)
                if token is None:
                    busy = True
                    continue
                try:
                    return self._generate_at(index, endpoint, call)
                except _EndpointFailed:
                    continue
                except ModelNotApproved as refusal:
                    refused[index] = refusal
                finally:
                    self._state.release_slot(endpoint, token)
            if not busy or time.monotonic() >= deadline:
                break
            time.sleep(BUSY_POLL_SECONDS)
        if len(refused) == len(self._endpoints):
            raise next(iter(refused.values()))
        raise NoModelAvailable("no LLM endpoint is available: every one is down, busy or not approved")

    def _generate_at(self, index: int, endpoint: Endpoint, call: _Call) -> LLMResult:
        target = self._approved_target(index, endpoint, call)
        for attempt, temperature in enumerate(TEMPERATURES, start=1):
            result = self._complete(target, call, attempt, temperature)
            if result is not None:
                return result
        raise InvalidModelOutput(f"{endpoint.model}'s output did not fit {call.schema.__name__}, twice")

    def _approved_target(self, index: int, endpoint: Endpoint, call: _Call) -> _Target:
        """The endpoint's served model, checked against the register (ModelNotApproved when it refuses)."""
        unresolved = _Target(index, endpoint, endpoint.model, None, None)
        served = self._state.served_models(endpoint)
        if served is None:
            try:
                served = served_model_ids(endpoint.base_url, timeout=CONNECT_TIMEOUT_SECONDS)
            except ServerUnreachable:
                self._fail(unresolved, call, attempt=0, error="unreachable")
            self._state.remember_served_models(endpoint, served)
        if endpoint.model not in served:
            self._fail(unresolved, call, attempt=0, error="model_not_served")
        weights = embedded_weights_sha256(endpoint)
        try:
            model_version_id = self._gate(model_name=endpoint.model, use=call.use, weights_sha256=weights)
        except ModelNotApproved as refusal:
            refused = _Target(index, endpoint, endpoint.model, refusal.model_version_id, weights)
            self._record(refused, call, "refused", attempt=0, error="not_approved")
            raise
        return _Target(index, endpoint, endpoint.model, model_version_id, weights)

    def _complete(self, target: _Target, call: _Call, attempt: int, temperature: float) -> LLMResult | None:
        """One chat completion: the validated result, or None when the output did not fit the schema."""
        body = {
            "model": target.model,
            "messages": call.messages,
            "max_tokens": call.max_tokens,
            "temperature": temperature,
            "response_format": call.response_formats[target.endpoint.dialect],
        }
        started = time.monotonic()
        try:
            response = self._http.post(f"{target.endpoint.base_url}/chat/completions", json=body)
        except httpx.HTTPError as error:
            self._fail(target, call, attempt, error=error.__class__.__name__, latency_ms=_since(started))
        latency_ms = _since(started)
        if response.status_code >= 500 or response.status_code in (408, 429):
            self._fail(target, call, attempt, error=f"http_{response.status_code}", latency_ms=latency_ms)
        if response.is_error:
            status = f"http_{response.status_code}"
            self._record(target, call, "error", attempt, error=status, latency_ms=latency_ms)
            raise RequestRejected(f"{target.endpoint.base_url} refused the request ({status})")
        try:
            data = response.json()
            content = data["choices"][0]["message"]["content"] or ""
            usage = data.get("usage") or {}
        except (ValueError, KeyError, IndexError, TypeError):
            self._fail(target, call, attempt, error="malformed_response", latency_ms=latency_ms)
        measured = {
            "latency_ms": latency_ms,
            "tokens_in": int(usage.get("prompt_tokens", 0)),
            "tokens_out": int(usage.get("completion_tokens", 0)),
        }
        try:
            value = call.schema.model_validate_json(content)
        except ValidationError as invalid:
            # The error types only: the messages quote the model's output.
            kinds = ",".join(sorted({str(detail["type"]) for detail in invalid.errors()}))
            self._record(target, call, "invalid_output", attempt, error=kinds, **measured)
            return None
        self._record(target, call, "ok", attempt, **measured)
        return LLMResult(
            value=value,
            endpoint_index=target.index,
            model=target.model,
            model_version_id=target.model_version_id,
            prompt_sha256=call.prompt_sha256,
            **measured,
        )

    def _fail(
        self, target: _Target, call: _Call, attempt: int, *, error: str, latency_ms: int | None = None
    ) -> NoReturn:
        """Mark the endpoint down for every worker, record the failed call, and move on to the next endpoint."""
        self._state.mark_down(target.endpoint)
        log.warning("llm.endpoint_down", endpoint=target.endpoint.base_url, error=error)
        self._record(target, call, "error", attempt, error=error, latency_ms=latency_ms)
        raise _EndpointFailed(error)

    def _record(
        self,
        target: _Target,
        call: _Call,
        outcome: str,
        attempt: int,
        *,
        error: str = "",
        latency_ms: int | None = None,
        tokens_in: int | None = None,
        tokens_out: int | None = None,
    ) -> None:
        payload: dict[str, Any] = {
            "outcome": outcome,
            "endpoint": target.endpoint.base_url,
            "endpoint_index": target.index,
            "model": target.model,
            "model_version_id": target.model_version_id,
            "weights_sha256": target.weights_sha256,
            "use": call.use,
            "user_id": call.user_id,
            "schema": call.schema.__name__,
            "prompt_sha256": call.prompt_sha256,
            "attempt": attempt,  # 0: before any completion (GET /models, the gate)
            "tokens_in": tokens_in,
            "tokens_out": tokens_out,
            "latency_ms": latency_ms,
            "error": error,
        }
        self._record_call(payload, matter_id=call.matter_id, model_version_id=target.model_version_id)


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def embedded_weights_sha256(endpoint: Endpoint) -> str | None:
    """The weights hash of the embedded model when this endpoint is the embedded server on this host."""
    if endpoint.model != EMBEDDED_MODEL_NAME or not _is_loopback(endpoint.base_url):
        return None
    try:
        return local_weights_sha256(embedded_model_path())
    except (ImportError, FileNotFoundError):
        return None


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
