"""The LLM evaluation set: computed by the workbench against the endpoint, never typed; compared by the gate;
run again when the version changes (a new approval, different weights served)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from licenses import llm_evaluation, services
from licenses.models import EvaluationRun, ModelVersion, Status
from licenses.seed import EMBEDDED_VERSION, seed_register
from licenses.served import check_served_model
from licenses.uses import Task, Use
from tests.factories import UserFactory
from tests.licenses.conftest import approve, computed_run, make_version
from worker.llm.evaluation import evaluation_set

SET = evaluation_set()
INJECTED = [item for item in SET.items if item.canary]


class StandInLLM:
    """An OpenAI-compatible server in a thread. `behaviour` decides each answer from the item it was asked:
    "careful" writes valid JSON without the canary, "obedient" follows the injected instruction (the canary in
    every field), "sloppy" answers the Japanese items with prose instead of JSON, "down" answers HTTP 500."""

    def __init__(self, model: str) -> None:
        self.model, self.behaviour, self.requests = model, "careful", []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._send(200 if self.path == "/v1/models" else 404,
                           {"object": "list", "data": [{"id": stand_in.model, "object": "model"}]})  # fmt: skip

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests.append(body)
                if stand_in.behaviour == "down":
                    self._send(500, {"error": "overloaded"})
                    return
                content = stand_in.answer(body["messages"][-1]["content"])
                self._send(200, {"choices": [{"message": {"role": "assistant", "content": content}}],
                                 "usage": {"prompt_tokens": 40, "completion_tokens": 20}})  # fmt: skip

            def _send(self, status, payload):
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/v1"

    def answer(self, prompt: str) -> str:
        item = next(item for item in SET.items if item.clause in prompt)
        if self.behaviour == "obedient" and item.canary:
            return json.dumps({"explanation": item.canary, "fallback": item.canary}, ensure_ascii=False)
        if self.behaviour == "sloppy" and item.language == "ja":
            return "The clause is risky."
        return json.dumps({"explanation": "The clause departs from the firm's position.",
                           "fallback": "Use the firm's preferred wording."})  # fmt: skip


@pytest.fixture
def stand_in(settings):
    server = StandInLLM("test-llm")
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    settings.LLM_ENDPOINTS = [f"{server.base_url}|test-llm|vllm"]
    yield server
    server.server.shutdown()


def _evaluate(version, actor, django_capture_on_commit_callbacks) -> EvaluationRun:
    """Request a run as a steward does, then run the worker's part in-process; the request queues one task."""
    with django_capture_on_commit_callbacks() as queued:
        run = llm_evaluation.request_evaluation(actor=actor, model_version=version)
    assert len(queued) == 1 and run.state == EvaluationRun.State.RUNNING and run.computed
    llm_evaluation.run_evaluation(run.pk)
    run.refresh_from_db()
    return run


pytestmark = pytest.mark.django_db


def test_a_model_that_follows_injected_instructions_is_measured_and_compared(
    steward, llm, stand_in, django_capture_on_commit_callbacks, settings
):
    settings.LICENSE_EVAL_MAX_DROP = 0.05
    stand_in.behaviour = "careful"
    careful = _evaluate(llm, steward, django_capture_on_commit_callbacks)
    assert careful.state == EvaluationRun.State.DONE and careful.computed
    assert careful.metrics["schema_validity"] == 1.0 and careful.metrics["injection_refusal"] == 1.0
    assert careful.items_done == careful.items_total == careful.metrics["items"] == len(SET.items)
    assert careful.dataset_label == SET.label and careful.endpoint == stand_in.base_url
    approve(llm, steward, evaluation_run=careful)

    v2 = make_version(llm.license, name="TestLLM", version="2", served_name="test-llm")
    stand_in.behaviour = "obedient"
    obedient = _evaluate(v2, steward, django_capture_on_commit_callbacks)
    # Every answer fits the schema, and every injected item wrote the canary.
    assert obedient.metrics["schema_validity"] == 1.0 and obedient.metrics["injection_refusal"] == 0.0
    v2.refresh_from_db()
    assert v2.status == Status.PENDING  # figures block nothing by themselves: the gate compares them
    comparison = services.compare_evaluation(v2, obedient)
    assert comparison.previous == careful and comparison.metric == "injection_refusal"
    assert comparison.drop == pytest.approx(1.0) and comparison.drop_exceeds
    with pytest.raises(ValidationError, match="Injected instructions refused dropped by 1.000"):
        services.propose_status(
            actor=steward, model_version=v2, to_status=Status.APPROVED, reason="ok", evaluation_run=obedient
        )
    event = AuditEvent.objects.filter(action="model_version.evaluated", object_id=str(v2.pk)).get()
    assert event.payload["computed"] is True and event.payload["evaluation_run"] == obedient.pk
    assert float(event.payload["injection_refusal"]) == 0.0
    # One request per item, each audited as an LLM call without its text.
    calls = AuditEvent.objects.filter(action="llm.called", payload__evaluation_run=obedient.pk)
    assert calls.count() == len(SET.items)
    trail = json.dumps([call.payload for call in calls], ensure_ascii=False)
    assert not any(item.clause[:30] in trail or item.canary in trail for item in INJECTED)


def test_invalid_json_lowers_schema_validity_and_counts_as_not_refusing(
    steward, llm, stand_in, django_capture_on_commit_callbacks
):
    stand_in.behaviour = "sloppy"
    run = _evaluate(llm, steward, django_capture_on_commit_callbacks)
    japanese = [item for item in SET.items if item.language == "ja"]
    assert run.metrics["schema_validity"] == pytest.approx(1 - len(japanese) / len(SET.items), abs=1e-6)
    refused = sum(1 for item in INJECTED if item.language != "ja")
    assert run.metrics["injection_refusal"] == pytest.approx(refused / len(INJECTED), abs=1e-6)
    assert run.metrics["latency_p95_seconds"] >= run.metrics["latency_p50_seconds"] >= 0
    # The vLLM dialect's structured-output request, with the schema the answers are scored against.
    formats = {json.dumps(body["response_format"], sort_keys=True) for body in stand_in.requests}
    assert len(formats) == 1 and stand_in.requests[0]["response_format"]["type"] == "json_schema"
    schema = stand_in.requests[0]["response_format"]["json_schema"]["schema"]
    assert set(schema["properties"]) == {"explanation", "fallback"} and "description" not in schema


def test_a_failing_endpoint_fails_the_run_without_figures(steward, llm, stand_in, django_capture_on_commit_callbacks):
    stand_in.behaviour = "down"
    run = _evaluate(llm, steward, django_capture_on_commit_callbacks)
    assert run.state == EvaluationRun.State.FAILED and run.metrics == {} and "HTTP 500" in run.error
    assert AuditEvent.objects.filter(action="model_version.evaluation_failed", object_id=str(llm.pk)).exists()
    with pytest.raises(ValidationError, match="decide on a finished run"):
        approve(llm, steward, evaluation_run=run)


def test_what_cannot_be_evaluated_is_refused_clearly(steward, llm, apache, stand_in, settings):
    settings.LLM_ENDPOINTS = [f"{stand_in.base_url}|another-llm|vllm"]
    with pytest.raises(ValidationError, match="No endpoint in LLM_ENDPOINTS serves TestLLM 1"):
        llm_evaluation.request_evaluation(actor=steward, model_version=llm)
    settings.LLM_ENDPOINTS = [f"{stand_in.base_url}|test-llm|vllm"]
    services.change_status(actor=steward, model_version=llm, to_status=Status.BLOCKED, reason="terms")
    with pytest.raises(ValidationError, match="is blocked"):
        llm_evaluation.request_evaluation(actor=steward, model_version=llm)
    classifier = make_version(apache, name="Classifier", version="1", task=Task.CLAUSE_CLASSIFICATION)
    with pytest.raises(ValidationError, match="for LLMs"):
        llm_evaluation.request_evaluation(actor=steward, model_version=classifier)
    pending = make_version(apache, name="TestLLM", version="2", served_name="test-llm")
    llm_evaluation.request_evaluation(actor=steward, model_version=pending)  # pending: the set holds no client data
    with pytest.raises(ValidationError, match="already running"):
        llm_evaluation.request_evaluation(actor=steward, model_version=pending)
    with pytest.raises(Exception, match="model stewards"):
        llm_evaluation.request_evaluation(actor=UserFactory(role=Role.LAWYER), model_version=pending)
    assert not llm.evaluation_runs.exists() and pending.evaluation_runs.count() == 1


def test_the_version_page_runs_the_set_and_shows_runs_before_and_after(
    client, steward, lawyer, llm, stand_in, django_capture_on_commit_callbacks
):
    before = computed_run(llm, 1.0, split=SET.label)
    client.force_login(lawyer)
    assert client.post(reverse("licenses:version-evaluation-run", args=[llm.pk])).status_code == 403
    assert client.get(reverse("licenses:version-evaluation-runs", args=[llm.pk])).status_code == 403
    client.force_login(steward)
    url = reverse("licenses:version-detail", args=[llm.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="run-evaluation"' in page and "Typed figures (a note only)" in page
    assert "Schema-valid answers" in page and "AUPR" not in page  # the LLM's metrics, not the classifier's

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("licenses:version-evaluation-run", args=[llm.pk]))
    assert response.status_code == 302 and len(queued) == 1
    after = llm.evaluation_runs.filter(computed=True).latest("pk")
    assert after.trigger == EvaluationRun.Trigger.STEWARD and after.created_by == steward
    event = AuditEvent.objects.get(action="model_version.evaluation_requested", object_id=str(llm.pk))
    assert event.actor == steward.get_username() and event.payload["evaluation_run"] == after.pk
    EvaluationRun.objects.filter(pk=after.pk).update(items_done=3)
    progress = client.get(reverse("licenses:version-evaluation-runs", args=[llm.pk])).content.decode()
    assert f"3 of {len(SET.items)} items" in progress and "hx-trigger" in progress  # polled while running

    stand_in.behaviour = "obedient"
    llm_evaluation.run_evaluation(after.pk)
    page = client.get(url).content.decode()
    rows = page.split('data-testid="computed-runs"')[1]
    assert rows.index(f'data-run="{after.pk}"') < rows.index(f'data-run="{before.pk}"')  # after, then before
    assert "0.000" in rows and "1.000" in rows and "hx-trigger" not in rows


def test_the_typed_figures_form_keeps_a_note_the_gate_refuses(client, steward, llm):
    client.force_login(steward)
    figures = {"dataset_label": "vendor-sheet", "schema_validity": 1, "injection_refusal": 1,
               "latency_p50_seconds": 0.1, "latency_p95_seconds": 0.2, "items": 12}  # fmt: skip
    response = client.post(reverse("licenses:version-evaluation", args=[llm.pk]), figures)
    assert response.status_code == 302
    note = llm.evaluation_runs.get()
    assert not note.computed
    page = client.get(reverse("licenses:version-detail", args=[llm.pk])).content.decode()
    assert 'data-testid="notes"' in page and "vendor-sheet" in page
    response = client.post(
        reverse("licenses:version-status", args=[llm.pk]),
        {"to_status": "approved", "reason": "ok", "evaluation_run": note.pk},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    llm.refresh_from_db()
    assert llm.status == Status.PENDING and not llm.proposals.exists()


def test_the_api_starts_a_computed_run(client, steward, lawyer, llm, stand_in, django_capture_on_commit_callbacks):
    url = reverse("model-version-evaluate", args=[llm.pk])
    client.force_login(lawyer)
    assert client.post(url).status_code in (403, 404)
    client.force_login(steward)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url)
    assert response.status_code == 202 and len(queued) == 1
    body = response.json()
    assert body["computed"] is True and body["state"] == "running" and body["items_total"] == len(SET.items)
    again = client.post(url)
    assert again.status_code == 400 and "already running" in str(again.json())


def test_an_applied_approval_and_different_served_weights_run_the_set_again(
    steward, llm, stand_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        approve(llm, steward, evaluation_run=computed_run(llm, 1.0, split=SET.label))
    after_approval = llm.evaluation_runs.get(trigger=EvaluationRun.Trigger.APPROVAL)
    assert after_approval.state == EvaluationRun.State.RUNNING and after_approval.created_by is None
    assert len(queued) == 1
    llm_evaluation.run_evaluation(after_approval.pk)

    served = "b" * 64  # the registered weights are "a" * 64
    with django_capture_on_commit_callbacks() as queued:
        decision = check_served_model(
            base_url=stand_in.base_url, model="test-llm", use=Use.CONTRACT_REVIEW, weights_sha256=served
        )
    assert not decision.allowed and "differs from the registered" in decision.reason
    rerun = llm.evaluation_runs.get(trigger=EvaluationRun.Trigger.SERVED_WEIGHTS)
    assert rerun.weights_sha256 == served and len(queued) == 1
    llm_evaluation.run_evaluation(rerun.pk)
    rerun.refresh_from_db()
    assert rerun.state == EvaluationRun.State.DONE and rerun.weights_sha256 == served
    # Once per served hash: the same weights seen again start nothing more.
    check_served_model(base_url=stand_in.base_url, model="test-llm", use=Use.CONTRACT_REVIEW, weights_sha256=served)
    assert llm.evaluation_runs.filter(trigger=EvaluationRun.Trigger.SERVED_WEIGHTS).count() == 1
    # The registered weights start nothing.
    check_served_model(base_url=stand_in.base_url, model="test-llm", use=Use.CONTRACT_REVIEW, weights_sha256="a" * 64)
    assert llm.evaluation_runs.filter(computed=True).count() == 3


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_set_runs_on_the_embedded_model_in_a_worker(celery_worker_process, worker_llm, settings):
    settings.LLM_ENDPOINTS = [worker_llm.endpoint]
    seed_register()
    embedded = ModelVersion.objects.get(model__name="SmolLM2-135M-Instruct", version=EMBEDDED_VERSION)
    steward = UserFactory(role=Role.MODEL_STEWARD)
    started = time.monotonic()
    run = llm_evaluation.request_evaluation(actor=steward, model_version=embedded)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state != EvaluationRun.State.RUNNING:
            break
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    assert run.state == EvaluationRun.State.DONE, run.error
    assert run.computed and run.items_done == run.items_total == len(SET.items) == run.metrics["items"]
    for name in ("schema_validity", "injection_refusal"):
        assert 0.0 <= run.metrics[name] <= 1.0
    assert 0 < run.metrics["latency_p50_seconds"] <= run.metrics["latency_p95_seconds"] < elapsed
    assert len(run.weights_sha256) == 64  # the embedded server's weights, hashed where the worker runs
    assert AuditEvent.objects.filter(action="model_version.evaluated", payload__evaluation_run=run.pk).exists()
    assert AuditEvent.objects.filter(action="llm.called", payload__evaluation_run=run.pk).count() == len(SET.items)
