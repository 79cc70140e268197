"""The Prometheus rules and the Grafana dashboard in deploy/: they load, and every series they query is one
the workbench's /metrics serves (or node_exporter's, or Prometheus's own `up`)."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
# The series the files are written against (issue #27): counters and histograms by their family name.
EXPOSED = {
    "workbench_queue_depth", "workbench_oldest_queued_review_age_seconds", "workbench_celery_workers_alive",
    "workbench_llm_call_duration_seconds", "workbench_llm_tokens_per_second", "workbench_llm_endpoint_up",
    "workbench_audit_checkpoint_age_seconds", "workbench_sanctions_list_age_seconds",
    "workbench_http_request_duration_seconds", "workbench_http_requests", "workbench_celery_tasks",
    "workbench_reviews", "workbench_vllm_num_requests_running", "workbench_vllm_num_requests_waiting",
    "workbench_vllm_kv_cache_usage_perc", "workbench_alert_firing",
}  # fmt: skip
# vLLM before 0.10 named its KV cache gauge so (republished when such a server serves it); Prometheus's
# own `up`; node_exporter's file systems.
OTHERS = {
    "workbench_vllm_gpu_cache_usage_perc",
    "up",
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
}
RECORDED_VLLM = (Path(__file__).parent / "data" / "vllm_metrics.txt").read_bytes()
SUFFIXES = re.compile(r"_(bucket|count|sum|total)$")


def _rules() -> list[dict]:
    groups = yaml.safe_load((DEPLOY / "prometheus" / "workbench-alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def _dashboard_exprs() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "workbench-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def _series(expr: str) -> set[str]:
    """The metric names an expression selects (identifiers followed by a selector, a range or an operator)."""
    names = set(re.findall(r"\b((?:workbench|node)_[a-z_]+|up)\b(?=\s*[{\[)=<>!*/+-]|\s*$)", expr))
    return {SUFFIXES.sub("", name) if name.startswith("workbench_") else name for name in names}


def test_the_rules_and_the_dashboard_load_and_query_only_known_series():
    rules = _rules()
    assert rules
    for rule in rules:
        assert rule["alert"] and rule["expr"] and rule["annotations"]["summary"], rule
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule
    exprs = [rule["expr"] for rule in rules] + _dashboard_exprs()
    queried = set().union(*map(_series, exprs))
    assert queried - EXPOSED - OTHERS == set()
    assert {"workbench_llm_endpoint_up", "workbench_alert_firing", "node_filesystem_avail_bytes"} <= queried


@pytest.fixture
def vllm():
    """A vLLM server's /metrics, as recorded."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/metrics" else 404)
            self.end_headers()
            self.wfile.write(RECORDED_VLLM if self.path == "/metrics" else b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1|recorded|vllm"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_metrics_serves_every_series_the_files_query(client, settings, vllm):
    settings.METRICS_TOKEN = "scrape-secret"
    settings.LLM_ENDPOINTS = [vllm]
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer scrape-secret")
    families = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert EXPOSED - families == set()
