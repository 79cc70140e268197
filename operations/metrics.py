"""The workbench's state as Prometheus metrics, read from the database, the broker and the LLM servers when scraped.

Reading at scrape time keeps one truth for every web process (no per-process counters to merge): review and
explanation states, queue depths and the oldest queued review, the workers answering a ping, LLM calls, tokens,
latency and tokens per second from the calls the audit trail records, endpoints marked down, each vLLM server's
own gauges (operations/vllm.py), the audit chain's length and its last checkpoint's age, and each sanctions list's
age. What processes count themselves (requests, tasks, masking) is in operations/instrumentation.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from redis import Redis

from audit.models import AuditCheckpoint, AuditEvent
from operations.alerts import alert_firing_metric
from operations.observe import REVIEWS, oldest_queued_seconds
from operations.vllm import vllm_metrics
from reviews.contracts.models import ContractReview, Finding
from reviews.counterparties.models import CounterpartyReview, ListVersion
from reviews.review_runs import ModelText
from worker.llm.endpoint_state import EndpointState
from worker.llm.endpoints import parse_endpoints

# Counted once per scrape with one GROUP BY each over the recorded LLM calls. Calls recorded before the payload
# named its endpoint count under endpoint "".
_LLM_CALLS = """
    SELECT coalesce(payload->>'endpoint', ''), coalesce(payload->>'model', ''), coalesce(payload->>'outcome', ''),
           count(*), coalesce(sum((payload->>'tokens_in')::int), 0), coalesce(sum((payload->>'tokens_out')::int), 0),
           coalesce(sum((payload->>'latency_ms')::int), 0)
    FROM audit_auditevent WHERE action = 'llm.called' GROUP BY 1, 2, 3
"""
# Upper bounds (seconds) of the LLM latency histogram, counted in SQL: one count per bucket per endpoint and model.
LLM_BUCKETS = (0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)
_LLM_LATENCY = """
    SELECT coalesce(payload->>'endpoint', ''), coalesce(payload->>'model', ''), count(*),
           sum((payload->>'latency_ms')::int) / 1000.0, {buckets}
    FROM audit_auditevent WHERE action = 'llm.called' AND payload->>'latency_ms' IS NOT NULL GROUP BY 1, 2
""".format(buckets=", ".join(["count(*) FILTER (WHERE (payload->>'latency_ms')::int <= %s)"] * len(LLM_BUCKETS)))
# Completion tokens over the time spent in the calls that produced them, in the last hour.
_LLM_SPEED = """
    SELECT coalesce(payload->>'endpoint', ''), coalesce(payload->>'model', ''),
           sum((payload->>'tokens_out')::int) / (sum((payload->>'latency_ms')::int) / 1000.0)
    FROM audit_auditevent
    WHERE action = 'llm.called' AND occurred_at >= %s AND (payload->>'tokens_out')::int > 0
      AND (payload->>'latency_ms')::int > 0
    GROUP BY 1, 2
"""

class WorkbenchCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from self._reviews()
        yield from self._llm_calls()
        yield self._llm_latency()
        yield self._llm_speed()
        yield self._llm_endpoints()
        yield from vllm_metrics(parse_endpoints(settings.LLM_ENDPOINTS),
                                timeout=settings.METRICS_PROBE_TIMEOUT_SECONDS)  # fmt: skip
        yield from self._audit()
        yield self._queues()
        yield self._oldest_queued()
        yield self._workers()
        yield self._lists()
        yield alert_firing_metric()  # the alert rules beat evaluates (operations/alerts.py)

    def _reviews(self) -> Iterator[Metric]:
        reviews = GaugeMetricFamily("workbench_reviews", "Reviews by kind and state.", labels=["kind", "state"])
        for kind, model in REVIEWS.items():
            for state, count in _counts(model.objects, "state"):
                reviews.add_metric([kind, state], count)
        yield reviews
        text = GaugeMetricFamily("workbench_model_text", "What the LLM writes after a review, by kind and state.",
                                 labels=["kind", "state"])  # fmt: skip
        for state, count in _counts(Finding.objects, "explanation_state"):
            text.add_metric(["explanation", state], count)
        for state, count in _counts(CounterpartyReview.objects, "summary_state"):
            text.add_metric(["summary", state], count)
        yield text
        # A done review whose explanations or summary are still queued is waiting for a model (ModelText).
        waiting = GaugeMetricFamily("workbench_reviews_waiting_for_model",
                                    "Done reviews whose model text is still queued for an LLM.", labels=["kind"])  # fmt: skip
        waiting.add_metric(["contract"], ContractReview.objects.filter(
            findings__explanation_state=ModelText.QUEUED).distinct().count())  # fmt: skip
        waiting.add_metric(["counterparty"], CounterpartyReview.objects.filter(summary_state=ModelText.QUEUED).count())
        yield waiting

    def _llm_calls(self) -> Iterator[Metric]:
        labels = ["endpoint", "model", "outcome"]
        calls = CounterMetricFamily("workbench_llm_calls", "LLM calls by endpoint, model and outcome.", labels=labels)
        tokens_in = CounterMetricFamily("workbench_llm_prompt_tokens", "Prompt tokens sent.", labels=labels)
        tokens_out = CounterMetricFamily("workbench_llm_completion_tokens", "Completion tokens received.", labels=labels)
        seconds = CounterMetricFamily("workbench_llm_call_seconds", "Time spent in LLM calls.", labels=labels)
        with connection.cursor() as cursor:
            cursor.execute(_LLM_CALLS)
            for endpoint, model, outcome, count, prompt, completion, latency_ms in cursor.fetchall():
                key = [endpoint, model, outcome]
                calls.add_metric(key, count)
                tokens_in.add_metric(key, prompt)
                tokens_out.add_metric(key, completion)
                seconds.add_metric(key, latency_ms / 1000)
        yield from (calls, tokens_in, tokens_out, seconds)

    def _llm_latency(self) -> Metric:
        latency = HistogramMetricFamily("workbench_llm_call_duration_seconds", "Time of each LLM call.",
                                        labels=["endpoint", "model"])  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_LLM_LATENCY, [round(bound * 1000) for bound in LLM_BUCKETS])
            for endpoint, model, count, seconds, *within in cursor.fetchall():
                buckets = [(str(float(bound)), n) for bound, n in zip(LLM_BUCKETS, within)] + [("+Inf", count)]
                latency.add_metric([endpoint, model], buckets, float(seconds))
        return latency

    def _llm_speed(self) -> Metric:
        speed = GaugeMetricFamily("workbench_llm_tokens_per_second",
                                  "Completion tokens per second of LLM call time, over the last hour.",
                                  labels=["endpoint", "model"])  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_LLM_SPEED, [timezone.now() - timedelta(hours=1)])
            for endpoint, model, rate in cursor.fetchall():
                speed.add_metric([endpoint, model], float(rate))
        return speed

    def _llm_endpoints(self) -> Metric:
        """1 unless a worker marked the endpoint down after a failed call (worker/llm/endpoint_state.py)."""
        up = GaugeMetricFamily("workbench_llm_endpoint_up", "Whether the LLM client may use the endpoint.",
                               labels=["endpoint"])  # fmt: skip
        state = EndpointState(Redis.from_url(settings.REDIS_URL), down_seconds=settings.LLM_ENDPOINT_DOWN_SECONDS,
                              concurrency=settings.LLM_ENDPOINT_CONCURRENCY, lease_seconds=1)  # only read here
        for endpoint in parse_endpoints(settings.LLM_ENDPOINTS):
            up.add_metric([endpoint.base_url], 0 if state.is_down(endpoint) else 1)
        return up

    def _audit(self) -> Iterator[Metric]:
        length = AuditEvent.objects.aggregate(length=Max("seq"))["length"] or 0
        checkpointed = AuditCheckpoint.objects.aggregate(last=Max("written_at"))["last"]
        yield GaugeMetricFamily("workbench_audit_chain_length", "Events appended to the audit chain.", value=length)
        age = (timezone.now() - checkpointed).total_seconds() if checkpointed else float("inf")
        yield GaugeMetricFamily("workbench_audit_checkpoint_age_seconds", "Age of the last signed checkpoint.",
                                value=age)  # fmt: skip

    def _queues(self) -> Metric:
        depth = GaugeMetricFamily("workbench_queue_depth", "Tasks waiting in each queue.", labels=["queue"])
        with current_app.connection_for_read() as broker:
            for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.MODEL_TEXT_QUEUE):
                depth.add_metric([queue], broker.default_channel.client.llen(queue))
        return depth

    def _oldest_queued(self) -> Metric:
        age = GaugeMetricFamily("workbench_oldest_queued_review_age_seconds",
                                "Age of the oldest review still queued (0 when none is).", labels=["kind"])  # fmt: skip
        for kind, seconds in oldest_queued_seconds(timezone.now()).items():
            age.add_metric([kind], seconds or 0)
        return age

    def _workers(self) -> Metric:
        # A worker busy in a long task with the solo pool does not answer; prefork workers answer while busy.
        replies = current_app.control.ping(timeout=settings.METRICS_PROBE_TIMEOUT_SECONDS)
        return GaugeMetricFamily("workbench_celery_workers_alive", "Celery workers that answered a ping.",
                                 value=len(replies))  # fmt: skip

    def _lists(self) -> Metric:
        age = GaugeMetricFamily("workbench_sanctions_list_age_seconds", "Age of each current sanctions list.",
                                labels=["list"])  # fmt: skip
        now = timezone.now()
        for version in ListVersion.objects.filter(is_current=True).select_related("sanctions_list"):
            published = datetime.combine(version.published, time.min, tzinfo=UTC)
            age.add_metric([version.sanctions_list.name], (now - published).total_seconds())
        return age


def _counts(rows, field: str) -> list[tuple[str, int]]:
    return list(rows.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
