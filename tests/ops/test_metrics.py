"""/metrics: the workbench's state for a monitoring system's scraper, and for nobody else; the token usage page."""

import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import record_event
from licenses.seed import seed_register
from operations.usage import start_of, token_usage
from reviews.contracts import services as contracts
from reviews.contracts.models import ContractReview, Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from reviews.counterparties import lists
from reviews.counterparties import services as counterparties
from reviews.counterparties.models import CounterpartyReview
from tests.conftest import _wait, _worker_idle
from tests.counterparties.lists_data import OFAC_PUBLISHED, OFAC_SMALL
from tests.factories import MatterFactory, UserFactory, grant
from tests.helpers import wait_for_explanations, wait_for_review, wait_until_finished
from worker.llm.endpoint_state import EndpointState
from worker.llm.endpoints import parse_endpoints

pytestmark = pytest.mark.django_db

VLLM_PAGE = Path(__file__).parent / "data" / "vllm_metrics.txt"
TOKEN = "scrape-secret"


def _series(text: str) -> dict[str, float]:
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if line and not line.startswith("#")}  # fmt: skip


def test_the_metrics_show_reviews_llm_calls_and_the_audit_chain_to_a_token_bearer(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    load_shipped_playbooks()
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    contracts.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=b"AGREEMENT\n\n1. Term.\n",
                                     playbook=Playbook.objects.get(name="NDA"))  # fmt: skip
    record_event(action="llm.called", system="tests", payload={"model": "m1", "outcome": "ok", "tokens_in": 120,
                                                               "tokens_out": 30, "latency_ms": 1500})  # fmt: skip

    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer scrape-secret")

    assert response.status_code == 200
    series = _series(response.content.decode())
    assert series['workbench_reviews{kind="contract",state="queued"}'] == 1
    assert series['workbench_llm_calls_total{endpoint="",model="m1",outcome="ok"}'] == 1
    assert series['workbench_llm_prompt_tokens_total{endpoint="",model="m1",outcome="ok"}'] == 120
    assert series['workbench_llm_call_seconds_total{endpoint="",model="m1",outcome="ok"}'] == 1.5
    assert series["workbench_audit_chain_length"] >= 2
    assert any(name.startswith("workbench_queue_depth{") for name in series)


@pytest.mark.parametrize("authorization", ["", "Bearer wrong", "Bearer "])
def test_anyone_else_gets_nothing(client, settings, authorization):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES = "scrape-secret", []
    client.force_login(UserFactory(role=Role.ADMIN))  # a session is not enough either
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION=authorization).status_code == 404


def test_an_allowed_address_needs_no_token(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES = "", ["127.0.0.1"]
    assert client.get(reverse("metrics")).status_code == 200
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.5"]
    assert client.get(reverse("metrics")).status_code == 404


def _samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [(s.name, s.labels, s.value) for family in text_string_to_metric_families(text) for s in family.samples]


def _value(samples, name: str, **labels: str) -> float:
    """The one sample of `name` whose labels include `labels`."""
    found = [value for sample_name, sample_labels, value in samples
             if sample_name == name and labels.items() <= sample_labels.items()]  # fmt: skip
    assert len(found) == 1, f"{name}{labels}: {found}"
    return found[0]


def _scrape(client) -> list[tuple[str, dict[str, str], float]]:
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return _samples(response.content.decode())


def test_llm_latency_speed_and_endpoint_health_come_from_the_recorded_calls(client, settings):
    settings.METRICS_TOKEN = TOKEN
    gpu = "http://gpu1.internal:8000/v1"
    for latency_ms, tokens_out in ((800, 16), (3000, 90)):
        record_event(action="llm.called", system="tests", payload={
            "endpoint": gpu, "model": "m1", "outcome": "ok", "tokens_in": 100, "tokens_out": tokens_out,
            "latency_ms": latency_ms})  # fmt: skip
    record_event(action="llm.called", system="tests", payload={"endpoint": gpu, "model": "m1", "outcome": "error",
                                                               "latency_ms": None, "error": "unreachable"})  # fmt: skip

    samples = _scrape(client)

    histogram = {"endpoint": gpu, "model": "m1"}
    assert _value(samples, "workbench_llm_call_duration_seconds_bucket", le="0.5", **histogram) == 0
    assert _value(samples, "workbench_llm_call_duration_seconds_bucket", le="1.0", **histogram) == 1
    assert _value(samples, "workbench_llm_call_duration_seconds_bucket", le="5.0", **histogram) == 2
    assert _value(samples, "workbench_llm_call_duration_seconds_count", **histogram) == 2
    assert _value(samples, "workbench_llm_call_duration_seconds_sum", **histogram) == 3.8
    assert _value(samples, "workbench_llm_tokens_per_second", **histogram) == pytest.approx(106 / 3.8)
    assert _value(samples, "workbench_llm_calls_total", outcome="error", **histogram) == 1
    assert _value(samples, "workbench_llm_completion_tokens_total", outcome="ok", **histogram) == 106

    endpoint = parse_endpoints(settings.LLM_ENDPOINTS)[0]
    assert _value(samples, "workbench_llm_endpoint_up", endpoint=endpoint.base_url) == 1
    state = EndpointState(Redis.from_url(settings.REDIS_URL), down_seconds=30, concurrency=1, lease_seconds=1)
    state.mark_down(endpoint)  # as the client does after a failed call
    try:
        assert _value(_scrape(client), "workbench_llm_endpoint_up", endpoint=endpoint.base_url) == 0
    finally:
        Redis.from_url(settings.REDIS_URL).delete(f"llm:down:{endpoint.base_url}")


def test_a_queued_review_has_an_age_and_requests_are_counted_by_url_name(client, settings):
    settings.METRICS_TOKEN = TOKEN
    load_shipped_playbooks()
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    grant(lawyer, matter, "view_matter")
    review = contracts.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=b"AGREEMENT\n\n1. Term.\n",
                                              playbook=Playbook.objects.get(name="NDA"))  # fmt: skip
    ContractReview.objects.filter(pk=review.pk).update(created_at=review.created_at.replace(year=2020))
    client.force_login(lawyer)
    assert client.get(reverse("contracts:review-detail", args=[review.pk])).status_code == 200
    assert client.get("/no/such/page/12345/").status_code == 404
    client.logout()

    samples = _scrape(client)

    assert _value(samples, "workbench_oldest_queued_review_age_seconds", kind="contract") > 5 * 365 * 86400
    assert _value(samples, "workbench_oldest_queued_review_age_seconds", kind="counterparty") == 0
    view = {"view": "contracts:review-detail"}
    assert _value(samples, "workbench_http_requests_total", method="GET", status="200", **view) >= 1
    assert _value(samples, "workbench_http_request_duration_seconds_count", **view) >= 1
    assert _value(samples, "workbench_http_requests_total", view="unresolved", method="GET", status="404") >= 1
    # No path in a label: paths carry ids.
    assert not any("/" in value for _n, labels, _v in samples for key, value in labels.items() if key != "endpoint")


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = VLLM_PAGE.read_bytes() if self.path == "/metrics" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def vllm_stand_in():
    """A vLLM server as far as its /metrics goes: it serves a page recorded from vLLM."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_vllm_gauges_are_republished_per_endpoint_and_a_silent_one_is_not_an_error(client, settings, vllm_stand_in):
    silent = "http://127.0.0.1:9/v1"  # the discard port: nothing answers
    settings.METRICS_TOKEN = TOKEN
    settings.LLM_ENDPOINTS = [f"{vllm_stand_in}|Qwen/Qwen2.5-7B-Instruct|vllm", f"{silent}|Qwen/Qwen2.5-7B-Instruct|vllm",
                              "http://127.0.0.1:8010/v1|SmolLM2-135M-Instruct|llama.cpp"]  # fmt: skip

    samples = _scrape(client)

    assert _value(samples, "workbench_vllm_scrape_ok", endpoint=vllm_stand_in) == 1
    assert _value(samples, "workbench_vllm_scrape_ok", endpoint=silent) == 0
    served = {"endpoint": vllm_stand_in, "model_name": "Qwen/Qwen2.5-7B-Instruct", "engine": "0"}
    assert _value(samples, "workbench_vllm_num_requests_running", **served) == 3
    assert _value(samples, "workbench_vllm_num_requests_waiting", **served) == 2
    assert _value(samples, "workbench_vllm_kv_cache_usage_perc", **served) == 0.4375
    names = {name for name, _labels, _value in samples}
    # Counters, histograms and info gauges stay vLLM's; the llama.cpp server has no /metrics to read.
    assert not {"workbench_vllm_prompt_tokens_total", "workbench_vllm_cache_config_info"} & names
    assert not any(labels.get("endpoint") == silent for name, labels, _v in samples if name != "workbench_vllm_scrape_ok"
                   and name.startswith("workbench_vllm_"))  # fmt: skip
    assert not any(labels.get("endpoint", "").endswith(":8010/v1") for name, labels, _v in samples
                   if name.startswith("workbench_vllm_"))  # fmt: skip


def _record_call(matter, user, model: str, tokens_in: int, tokens_out: int, latency_ms: int) -> None:
    record_event(action="llm.called", system="tests", matter_id=matter.pk if matter else None, payload={
        "endpoint": "http://gpu1:8000/v1", "model": model, "outcome": "ok", "user_id": user.pk if user else None,
        "tokens_in": tokens_in, "tokens_out": tokens_out, "latency_ms": latency_ms})  # fmt: skip


def test_token_usage_adds_up_the_recorded_calls_by_matter_user_and_model(client):
    first, second = MatterFactory(), MatterFactory()
    alice, bob = UserFactory(role=Role.LAWYER), UserFactory(role=Role.LAWYER)
    _record_call(first, alice, "m1", 100, 20, 1000)
    _record_call(first, bob, "m1", 50, 10, 500)
    _record_call(second, alice, "m2", 300, 60, 4000)
    _record_call(None, None, "m2", 7, 3, 100)  # a call for no matter and no user (an evaluation run)

    usage = token_usage(since=start_of("24h"))

    by_matter = {row.key: row for row in usage.by_matter}
    assert (by_matter[first.pk].label, by_matter[first.pk].calls) == (first.reference, 2)
    assert (by_matter[first.pk].prompt_tokens, by_matter[first.pk].completion_tokens) == (150, 30)
    assert by_matter[second.pk].tokens == 360 and by_matter[None].tokens == 10
    by_user = {row.key: row for row in usage.by_user}
    assert (by_user[alice.pk].label, by_user[alice.pk].tokens, by_user[alice.pk].seconds) == (alice.username, 480, 5.0)
    assert by_user[bob.pk].tokens == 60
    assert [(row.key, row.tokens) for row in usage.by_model] == [("m2", 370), ("m1", 180)]  # the heaviest first
    assert sum(row.calls for row in usage.by_model) == AuditEvent.objects.filter(action="llm.called").count()

    client.force_login(UserFactory(role=Role.ADMIN))
    page = client.get(reverse("operations:usage"), {"period": "30d"})
    assert page.status_code == 200 and page.context["period"] == "30d"
    html = page.content.decode()
    assert first.reference in html and alice.username in html and 'data-key="m2"' in html
    assert client.get(reverse("operations:usage"), {"period": "1y"}).context["period"] == "7d"


@pytest.mark.parametrize("role, status", [(Role.ADMIN, 200), (Role.COMPLIANCE_OFFICER, 200), (Role.LAWYER, 403),
                                          (Role.RISK_OFFICER, 403), (Role.MODEL_STEWARD, 403)])  # fmt: skip
def test_token_usage_is_for_admins_and_compliance_officers(client, role, status):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("operations:usage")).status_code == status


def test_token_usage_needs_a_sign_in(client):
    response = client.get(reverse("operations:usage"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


MSA = (b"MASTER SERVICES AGREEMENT\n\nThis Agreement is between Acme Corporation and Jane Doe.\n\n"
       b"1. Governing Law. This Agreement is governed by the laws of Texas.\n\n"
       b"2. Liability. Liability shall not exceed the fees paid in the three (3) months preceding the claim.\n")  # fmt: skip
EXTRACT = b"COMPANIES REGISTRY - EXTRACT\nCompany: Korea Mining Development Trading Corporation\nDirector: Ri Won Ho.\n"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_review_and_a_screening_in_a_worker_the_metrics_show_them(client, settings, tmp_path_factory,
                                                                        celery_worker_process, approved_clause_model,
                                                                        msa_playbook):  # fmt: skip
    settings.METRICS_TOKEN = TOKEN
    seed_register()  # approves the embedded model for counterparty review too, as the demo does
    lists.import_file("ofac-sdn-csv", OFAC_SMALL, published=OFAC_PUBLISHED, system="tests")
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    grant(lawyer, matter, "view_matter")
    review = contracts.submit_contract_review(actor=lawyer, matter=matter, name="msa.txt", data=MSA,
                                              playbook=msa_playbook)  # fmt: skip
    counterparty = counterparties.create_counterparty(actor=lawyer, matter=matter, name="Korea Mining Development",
                                                      kind="organisation", country="KP")  # fmt: skip
    screening = counterparties.submit_counterparty_review(actor=lawyer, counterparty=counterparty,
                                                          documents=[("extract.txt", EXTRACT)], answers={})  # fmt: skip
    assert wait_for_review(review.pk).state == ContractReview.State.DONE
    wait_for_explanations(review.pk)
    assert wait_until_finished(CounterpartyReview, screening.pk).state == CounterpartyReview.State.DONE
    _wait(_worker_idle, 300, "the worker's model text")  # the summary, and an idle worker answers pings
    client.force_login(lawyer)
    assert client.get(reverse("contracts:review-detail", args=[review.pk])).status_code == 200
    client.logout()
    calls = AuditEvent.objects.filter(action="llm.called", matter_id=matter.pk)
    assert calls.exists() and {event.payload["user_id"] for event in calls} == {lawyer.pk}

    # What the worker process counted is in its multiprocess files, as gunicorn's and Celery's would be.
    settings.PROMETHEUS_MULTIPROC_DIR = str(tmp_path_factory.getbasetemp() / "worker-metrics")
    samples = _scrape(client)

    assert _value(samples, "workbench_reviews", kind="contract", state="done") == 1
    assert _value(samples, "workbench_reviews", kind="counterparty", state="done") == 1
    assert _value(samples, "workbench_reviews_waiting_for_model", kind="contract") == 0
    task = {"task": "reviews.contracts.tasks.run_contract_review"}
    assert _value(samples, "workbench_celery_tasks_total", outcome="success", **task) >= 1
    assert _value(samples, "workbench_celery_task_duration_seconds_count", **task) >= 1
    assert _value(samples, "workbench_celery_tasks_total", outcome="success",
                  task="reviews.counterparties.tasks.run_counterparty_review") >= 1  # fmt: skip
    assert _value(samples, "workbench_masking_seconds_per_character_count", language="en") >= 1
    assert _value(samples, "workbench_masking_seconds_per_character_sum", language="en") > 0
    endpoint = calls.first().payload["endpoint"]
    llm = {"endpoint": endpoint, "model": "SmolLM2-135M-Instruct"}
    recorded = AuditEvent.objects.filter(action="llm.called", payload__endpoint=endpoint)
    assert sum(v for n, labels, v in samples if n == "workbench_llm_calls_total"
               and labels["endpoint"] == endpoint) == recorded.count()  # fmt: skip
    assert _value(samples, "workbench_llm_call_duration_seconds_count", **llm) >= 1
    assert _value(samples, "workbench_llm_tokens_per_second", **llm) > 0
    for queue in (django_settings.CELERY_TASK_DEFAULT_QUEUE, django_settings.MODEL_TEXT_QUEUE):
        assert _value(samples, "workbench_queue_depth", queue=queue) == 0
    assert _value(samples, "workbench_celery_workers_alive") >= 1

    # The web process's own requests, in this (single, in-memory) test process.
    settings.PROMETHEUS_MULTIPROC_DIR = ""
    samples = _scrape(client)
    assert _value(samples, "workbench_http_requests_total", view="contracts:review-detail", method="GET",
                  status="200") >= 1  # fmt: skip
