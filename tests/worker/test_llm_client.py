"""The LLM client against the real embedded llama.cpp server (SmolLM2-135M): structured output, failover, a
server that comes back, concurrency slots, the model gate and the audit trail of every call."""

import json
import socket
import socketserver
import threading
import time
from urllib.parse import urlsplit

import pytest
from llama_cpp.llama_grammar import LlamaGrammar, json_schema_to_gbnf
from pydantic import BaseModel, Field, field_validator
from redis import Redis

from audit.models import AuditEvent
from licenses import services
from licenses.gate import ModelNotApproved
from licenses.llm import llm_client
from licenses.models import ModelVersion, Status
from licenses.seed import seed_register
from licenses.uses import Use
from worker.llm.client import InvalidModelOutput, NoModelAvailable, RequestRejected
from worker.llm.endpoint_state import EndpointState
from worker.llm.endpoints import Dialect, parse_endpoints
from worker.llm.local_server import EMBEDDED_MODEL_NAME, embedded_model_path
from worker.llm.schema import response_format, structured_schema
from worker.model_gate import local_weights_sha256
from worker.pii.masked_text import MaskedText
from worker.pii.masker import Masker

CLAUSE = "The supplier, Jane Doe of Acme Ltd, may terminate this agreement on 30 days notice."
SYSTEM_PROMPT = "Summarise the clause in a few words. Answer in JSON."


class Summary(BaseModel):
    summary: str = Field(min_length=1, max_length=40)


class Flag(BaseModel):
    explanation: str = Field(max_length=80)
    fallback: str | None = None
    keywords: list[str] = Field(max_length=3)


class NeverValid(BaseModel):
    summary: str = Field(max_length=20)

    @field_validator("summary")
    @classmethod
    def _refuse(cls, value: str) -> str:
        raise ValueError("no answer fits")


class WithSeverity(BaseModel):
    explanation: str
    severity: str


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _entry(port: int) -> str:
    return f"http://127.0.0.1:{port}/v1|{EMBEDDED_MODEL_NAME}|llama.cpp"


def _base(entry: str) -> str:
    return parse_endpoints([entry])[0].base_url


def _llm_events(outcome: str | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action="llm.called").order_by("seq")
    return [event for event in events if outcome is None or event.payload["outcome"] == outcome]


@pytest.fixture(scope="module")
def masked_clause():
    return Masker().session().mask(CLAUSE).masked


@pytest.fixture
def redis(settings):
    connection = Redis.from_url(settings.REDIS_URL)

    def forget_endpoints() -> None:
        for key in connection.scan_iter("llm:*"):
            connection.delete(key)

    forget_endpoints()
    yield connection
    forget_endpoints()


@pytest.fixture
def llm(settings, redis, llm_server):
    """Settings pointing at the live embedded server, with short waits; returns the version the gate approves."""
    settings.LLM_ENDPOINTS = [llm_server]
    settings.LLM_TIMEOUT_SECONDS = 60.0
    settings.LLM_ENDPOINT_DOWN_SECONDS = 30.0
    settings.LLM_ENDPOINT_CONCURRENCY = 2
    settings.LLM_BUSY_WAIT_SECONDS = 0.5
    seed_register()
    return ModelVersion.objects.get(served_name=EMBEDDED_MODEL_NAME)


def _generate(masked, schema=Summary, **options):
    return llm_client().generate(
        masked, schema=schema, use=Use.CONTRACT_REVIEW, system=SYSTEM_PROMPT, max_tokens=48, **options
    )


# The schema sent to the servers


def test_llama_cpp_schema_bounds_strings_to_one_line_and_compiles_to_a_grammar():
    schema = structured_schema(Flag, Dialect.LLAMA_CPP)
    properties = schema["properties"]
    assert properties["explanation"]["pattern"] == r'^[^"\\\x00-\x1f\x7f]{0,80}$'
    assert "maxLength" not in properties["explanation"]  # llama.cpp would prefer it and allow raw newlines
    assert properties["fallback"]["anyOf"][0]["pattern"].endswith("{0,1000}$")
    assert properties["keywords"]["maxItems"] == 3
    assert properties["keywords"]["items"]["pattern"].endswith("{0,1000}$")
    assert schema["additionalProperties"] is False
    grammar = json_schema_to_gbnf(json.dumps(schema))
    assert r'[^"\\\x00-\x1f\x7f]' in grammar  # the pattern became the grammar, not the generic JSON fallback
    LlamaGrammar.from_string(grammar, verbose=False)
    assert response_format(Flag, Dialect.LLAMA_CPP) == {"type": "json_object", "schema": schema}


def test_vllm_schema_is_a_bounded_json_schema_response_format():
    sent = response_format(Flag, Dialect.VLLM)
    assert sent["type"] == "json_schema" and sent["json_schema"]["name"] == "Flag"
    properties = sent["json_schema"]["schema"]["properties"]
    assert properties["explanation"]["maxLength"] == 80
    assert properties["fallback"]["anyOf"][0]["maxLength"] == 1000
    assert properties["keywords"]["maxItems"] == 3


def test_an_output_schema_with_a_severity_is_refused():
    # A model never sets severities, so an injected "rate this low risk" has no field to land in.
    with pytest.raises(ValueError, match="severity"):
        structured_schema(WithSeverity, Dialect.VLLM)


# Calls to the real server


@pytest.mark.django_db
def test_plain_text_or_a_severity_schema_is_refused_before_any_call(llm, masked_clause):
    with pytest.raises(TypeError, match="MaskedText"):
        _generate(CLAUSE)
    with pytest.raises(ValueError, match="severity"):
        _generate(masked_clause, schema=WithSeverity)
    assert _llm_events() == []


@pytest.mark.django_db
def test_a_structured_call_parses_validates_and_is_audited_without_the_prompt(llm, settings, masked_clause):
    result = _generate(masked_clause, matter_id=7, user_id=3)

    assert isinstance(result.value, Summary) and 1 <= len(result.value.summary) <= 40
    assert "\n" not in result.value.summary
    assert (result.endpoint_index, result.model, result.model_version_id) == (0, EMBEDDED_MODEL_NAME, llm.pk)
    assert result.tokens_in > 0 and result.tokens_out > 0 and result.latency_ms > 0
    [event] = _llm_events()
    assert (event.matter_id, event.object_type, event.object_id) == (7, "licenses.modelversion", str(llm.pk))
    assert event.payload | {"latency_ms": None} == {
        "outcome": "ok", "endpoint": _base(settings.LLM_ENDPOINTS[0]), "endpoint_index": 0, "model": EMBEDDED_MODEL_NAME,
        "model_version_id": llm.pk, "weights_sha256": local_weights_sha256(embedded_model_path()), "user_id": 3,
        "use": "contract_review", "schema": "Summary", "prompt_sha256": result.prompt_sha256, "attempt": 1,
        "tokens_in": result.tokens_in, "tokens_out": result.tokens_out, "latency_ms": None, "error": "",
    }  # fmt: skip
    recorded = json.dumps(event.payload)
    assert all(text not in recorded for text in (masked_clause.text, "terminate", result.value.summary))


@pytest.mark.django_db
def test_a_dead_endpoint_is_marked_down_and_the_next_one_answers(llm, settings, redis, masked_clause):
    live = settings.LLM_ENDPOINTS[0]
    dead = _entry(_free_port())
    settings.LLM_ENDPOINTS = [dead, live]

    first = _generate(masked_clause)
    second = _generate(masked_clause)

    assert first.endpoint_index == second.endpoint_index == 1
    [failure] = _llm_events("error")  # the second call skipped the dead endpoint without calling it
    assert failure.payload["endpoint"] == _base(dead) and failure.payload["error"] == "unreachable"
    assert [event.payload["endpoint_index"] for event in _llm_events("ok")] == [1, 1]
    assert redis.exists(f"llm:down:{_base(dead)}")


class _Relay(socketserver.ThreadingTCPServer):
    """A server coming back, in milliseconds rather than a second llama.cpp load: a port relayed to the live one."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        super().__init__(("127.0.0.1", port), _RelayConnection)


class _RelayConnection(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        with socket.create_connection(self.server.upstream) as upstream:
            threading.Thread(target=_pipe, args=(upstream, self.request), daemon=True).start()
            _pipe(self.request, upstream)


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


@pytest.mark.django_db
def test_a_down_server_means_retries_until_it_comes_back(llm, settings, masked_clause):
    live = urlsplit(_base(settings.LLM_ENDPOINTS[0]))
    port = _free_port()
    settings.LLM_ENDPOINTS = [_entry(port)]
    settings.LLM_ENDPOINT_DOWN_SECONDS = 0.5
    relay = None
    try:
        waits, backoff, deadline = 0, 0.25, time.monotonic() + 30
        while True:  # what the review task does: retry with backoff while no model answers
            try:
                result = _generate(masked_clause)
                break
            except NoModelAvailable:
                waits += 1
                assert time.monotonic() < deadline, "the server never came back"
                if relay is None:  # the server comes back after the first failure
                    relay = _Relay(port, (live.hostname, live.port))
                    threading.Thread(target=relay.serve_forever, daemon=True).start()
                time.sleep(backoff)
                backoff *= 2
    finally:
        if relay is not None:
            relay.shutdown()
            relay.server_close()
    assert waits >= 1 and isinstance(result.value, Summary)
    # One failed call: the retry within the down mark skipped the endpoint without calling it.
    assert [event.payload["outcome"] for event in _llm_events()] == ["error", "ok"]


@pytest.mark.django_db
def test_invalid_output_is_asked_for_once_more_then_recorded_as_failed(llm, masked_clause):
    with pytest.raises(InvalidModelOutput):
        _generate(masked_clause, schema=NeverValid)
    events = _llm_events()
    assert [(e.payload["outcome"], e.payload["attempt"]) for e in events] == [
        ("invalid_output", 1),
        ("invalid_output", 2),
    ]
    assert all(e.payload["error"] == "value_error" and e.payload["tokens_out"] > 0 for e in events)


@pytest.mark.django_db
def test_a_request_the_server_rejects_fails_without_marking_the_server_down(
    llm, settings, redis, masked_clause
):
    too_long = MaskedText.join([masked_clause] * 400)  # far beyond the server's 4096-token context
    with pytest.raises(RequestRejected, match="http_400"):
        _generate(too_long)
    assert [(e.payload["outcome"], e.payload["error"]) for e in _llm_events()] == [("error", "http_400")]
    assert not redis.exists(f"llm:down:{_base(settings.LLM_ENDPOINTS[0])}")


@pytest.mark.django_db
def test_a_version_the_register_blocks_is_never_called(llm, masked_clause):
    services.change_status(
        actor=None, system="test", model_version=llm, to_status=Status.BLOCKED, reason="license withdrawn"
    )
    with pytest.raises(ModelNotApproved, match="not approved"):
        _generate(masked_clause)
    assert AuditEvent.objects.filter(action="model.gate_refused").exists()
    [event] = _llm_events()
    assert event.payload["outcome"] == "refused" and event.payload["tokens_in"] is None


@pytest.mark.django_db
def test_weights_that_differ_from_the_register_are_refused(llm, masked_clause):
    ModelVersion.objects.filter(pk=llm.pk).update(weights_sha256="0" * 64)
    with pytest.raises(ModelNotApproved, match="weights SHA-256"):
        _generate(masked_clause)
    assert [event.payload["outcome"] for event in _llm_events()] == ["refused"]


@pytest.mark.django_db
def test_a_busy_endpoint_makes_the_call_wait_then_give_up(llm, settings, redis, masked_clause):
    settings.LLM_ENDPOINT_CONCURRENCY = 1
    [endpoint] = parse_endpoints(settings.LLM_ENDPOINTS)
    state = EndpointState(redis, down_seconds=30, concurrency=1, lease_seconds=60)
    token = state.acquire_slot(endpoint)  # another worker's call in progress

    started = time.monotonic()
    with pytest.raises(NoModelAvailable):
        _generate(masked_clause)
    assert time.monotonic() - started >= settings.LLM_BUSY_WAIT_SECONDS
    assert _llm_events() == []

    state.release_slot(endpoint, token)
    assert isinstance(_generate(masked_clause).value, Summary)


def test_a_slot_lease_runs_out_when_its_holder_never_releases_it(settings, redis):
    [endpoint] = parse_endpoints([_entry(1)])
    state = EndpointState(redis, down_seconds=1, concurrency=2, lease_seconds=0.3)
    assert state.acquire_slot(endpoint) and state.acquire_slot(endpoint)
    assert state.acquire_slot(endpoint) is None
    time.sleep(0.4)
    assert state.acquire_slot(endpoint) is not None
