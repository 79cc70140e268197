import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from licenses.gate import ModelNotApproved, check_model, require_model
from licenses.models import ModelVersion, Status
from licenses.seed import seed_register
from licenses.served import check_served_model
from licenses.tasks import gate_check
from licenses.uses import Use
from tests.licenses.conftest import approve, make_version
from worker.llm.served import ServerUnreachable
from worker.model_gate import file_sha256, local_weights_sha256

pytestmark = pytest.mark.django_db


def test_an_approved_version_passes(steward, llm):
    approve(llm, steward)
    decision = check_model(
        model_name="TestLLM", version="1", use=Use.CONTRACT_REVIEW, weights_sha256="a" * 64
    )
    assert decision.allowed and decision.model_version_id == llm.pk
    assert not AuditEvent.objects.filter(action="model.gate_refused").exists()


def test_a_pending_version_is_refused_with_a_clear_reason_and_an_audit_event(llm):
    decision = check_model(model_name="TestLLM", version="1", use=Use.CONTRACT_REVIEW)
    assert not decision.allowed
    assert decision.reason == "Model TestLLM version 1 is not approved for contract review (status: pending)."
    event = AuditEvent.objects.get(action="model.gate_refused")
    assert event.object_id == str(llm.pk) and event.payload["use"] == "contract_review"


def test_a_use_outside_a_restricted_approval_is_refused(steward, llm):
    approve(llm, steward, to_status=Status.RESTRICTED, uses=[Use.COUNTERPARTY_REVIEW])
    assert check_model(model_name="TestLLM", version="1", use=Use.COUNTERPARTY_REVIEW).allowed
    assert not check_model(model_name="TestLLM", version="1", use=Use.CONTRACT_REVIEW).allowed


def test_a_hash_mismatch_is_refused(steward, llm):
    approve(llm, steward)
    with pytest.raises(ModelNotApproved, match="differs from the registered"):
        require_model(model_name="TestLLM", version="1", use=Use.CONTRACT_REVIEW, weights_sha256="b" * 64)


def test_unknown_models_and_uses_are_refused(steward, llm):
    approve(llm, steward)
    assert (
        "not in the model register"
        in check_model(model_name="Other", version="9", use="contract_review").reason
    )
    assert not check_model(model_name="TestLLM", version="1", use="poetry").allowed


def test_a_served_name_without_version_resolves(steward, apache, llm):
    approve(llm, steward)
    assert check_model(model_name="test-llm", version=None, use=Use.CONTRACT_REVIEW).allowed
    make_version(
        apache, version="2", served_name="test-llm", weights_sha256="c" * 64
    )  # same name, new weights
    ambiguous = check_model(model_name="test-llm", version=None, use=Use.CONTRACT_REVIEW)
    assert not ambiguous.allowed and "must say which one" in ambiguous.reason
    # The weights hash picks the version: the approved one passes, the pending one does not.
    assert check_model(
        model_name="test-llm", version=None, use="contract_review", weights_sha256="a" * 64
    ).allowed
    assert not check_model(
        model_name="test-llm", version=None, use="contract_review", weights_sha256="c" * 64
    ).allowed


@pytest.fixture
def models_server():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"object": "list", "data": [{"id": "test-llm", "object": "model"}]}).encode()
            self.send_response(200 if self.path == "/v1/models" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_an_endpoint_is_checked_against_what_it_serves(steward, llm, models_server):
    approve(llm, steward)
    assert check_served_model(base_url=models_server, model="test-llm", use=Use.CONTRACT_REVIEW).allowed
    wrong = check_served_model(base_url=models_server, model="other-model", use=Use.CONTRACT_REVIEW)
    assert not wrong.allowed and "does not serve" in wrong.reason
    assert AuditEvent.objects.filter(action="model.gate_refused", payload__model="other-model").exists()
    with pytest.raises(ServerUnreachable):
        check_served_model(base_url="http://127.0.0.1:9/v1", model="test-llm", use=Use.CONTRACT_REVIEW)


def test_model_gate_check_exits_0_or_3(steward, llm, capsys):
    with pytest.raises(CommandError) as refused:
        call_command("model_gate_check", "TestLLM", "1", "--use", "contract_review")
    assert refused.value.returncode == 3 and "is not approved for contract review" in str(refused.value)
    approve(llm, steward)
    call_command("model_gate_check", "TestLLM", "1", "--use", "contract_review")
    assert "is approved for contract review" in capsys.readouterr().out
    call_command("model_gate_check", "test-llm", "-", "--use", "contract_review")


def test_register_model_file_records_the_hash_and_new_weights_need_review(steward, apache, tmp_path):
    version = approve(make_version(apache, name="Local", version="q4"), steward)
    weights = tmp_path / "local.gguf"
    weights.write_bytes(b"weights one")
    call_command("register_model_file", str(weights), "--model", "Local", "--version", "q4")
    version.refresh_from_db()
    assert version.weights_sha256 == file_sha256(weights) and version.size_bytes == 11
    assert version.status == Status.APPROVED  # the first hash of approved weights keeps the approval

    weights.write_bytes(b"weights two")
    call_command("register_model_file", str(weights), "--model", "Local", "--version", "q4")
    version.refresh_from_db()
    assert version.weights_sha256 == file_sha256(weights) and version.status == Status.PENDING
    assert AuditEvent.objects.filter(action="model_version.weights_recorded").count() == 2


def test_register_model_file_adds_a_new_version_as_pending(steward, apache, tmp_path):
    approve(make_version(apache, name="Local", version="q4"), steward)
    weights = tmp_path / "local-q8.gguf"
    weights.write_bytes(b"better weights")
    call_command(
        "register_model_file", str(weights), "--model", "Local", "--version", "q8", "--quantization", "Q8_0"
    )
    new = ModelVersion.objects.get(model__name="Local", version="q8")
    assert (new.status, new.license, new.quantization) == (Status.PENDING, apache, "Q8_0")
    assert new.weights_sha256 == file_sha256(weights)
    assert AuditEvent.objects.filter(action="model_version.created", object_id=str(new.pk)).exists()


def test_register_model_file_refuses_unknown_models(tmp_path):
    weights = tmp_path / "x.gguf"
    weights.write_bytes(b"x")
    with pytest.raises(CommandError, match="not in the register"):
        call_command("register_model_file", str(weights), "--model", "Nope", "--version", "1")
    assert not ModelVersion.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_gate_refuses_in_a_real_worker(celery_worker_process, steward, llm):
    refused = gate_check.delay("TestLLM", "1", Use.CONTRACT_REVIEW).get(timeout=30)
    assert refused == {
        "allowed": False,
        "reason": "Model TestLLM version 1 is not approved for contract review (status: pending).",
        "model_version_id": llm.pk,
    }
    approve(llm, steward)
    assert gate_check.delay("TestLLM", "1", Use.CONTRACT_REVIEW, "a" * 64).get(timeout=30)["allowed"]
    mismatch = gate_check.delay("TestLLM", "1", Use.CONTRACT_REVIEW, "b" * 64).get(timeout=30)
    assert not mismatch["allowed"] and "differs from the registered" in mismatch["reason"]
    refusals = AuditEvent.objects.filter(action="model.gate_refused").order_by("seq")
    assert [event.actor for event in refusals] == ["system:worker.gate_check"] * 2


def test_the_embedded_llm_server_passes_the_gate_with_its_file_hash(llm_server):
    from worker.llm.local_server import embedded_model_path

    seed_register()
    call_command("register_model_file", "embedded")
    base_url, model, _dialect = llm_server.split("|")
    weights = local_weights_sha256(embedded_model_path())
    assert ModelVersion.objects.get(served_name=model).weights_sha256 == weights
    assert check_served_model(
        base_url=base_url, model=model, use=Use.CONTRACT_REVIEW, weights_sha256=weights
    ).allowed
    other_weights = check_served_model(
        base_url=base_url, model=model, use=Use.CONTRACT_REVIEW, weights_sha256="0" * 64
    )
    assert not other_weights.allowed and "differs from the registered" in other_weights.reason
