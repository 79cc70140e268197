"""The workbench's state as Prometheus metrics, read from the database and the broker when scraped.

Reading at scrape time keeps one truth for every web process (no per-process counters to merge): review and
explanation states, queue depths, LLM calls, tokens and latency from the calls the audit trail records, the audit
chain's length and its last checkpoint's age, and each sanctions list's age.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from audit.models import AuditCheckpoint, AuditEvent
from reviews.contracts.models import ContractReview, Finding
from reviews.counterparties.models import CounterpartyReview, ListVersion

# Counted once per scrape with one GROUP BY each over the recorded LLM calls.
_LLM_CALLS = """
    SELECT payload->>'model', payload->>'outcome', count(*), coalesce(sum((payload->>'tokens_in')::int), 0),
           coalesce(sum((payload->>'tokens_out')::int), 0), coalesce(sum((payload->>'latency_ms')::int), 0)
    FROM audit_auditevent WHERE action = 'llm.called' GROUP BY 1, 2
"""


class WorkbenchCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from self._reviews()
        yield from self._llm_calls()
        yield from self._audit()
        yield self._queues()
        yield self._lists()

    def _reviews(self) -> Iterator[Metric]:
        reviews = GaugeMetricFamily("workbench_reviews", "Reviews by kind and state.", labels=["kind", "state"])
        for kind, model in (("contract", ContractReview), ("counterparty", CounterpartyReview)):
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

    def _llm_calls(self) -> Iterator[Metric]:
        labels = ["model", "outcome"]
        calls = CounterMetricFamily("workbench_llm_calls", "LLM calls by model and outcome.", labels=labels)
        tokens_in = CounterMetricFamily("workbench_llm_prompt_tokens", "Prompt tokens sent.", labels=labels)
        tokens_out = CounterMetricFamily("workbench_llm_completion_tokens", "Completion tokens received.", labels=labels)
        seconds = CounterMetricFamily("workbench_llm_call_seconds", "Time spent in LLM calls.", labels=labels)
        with connection.cursor() as cursor:
            cursor.execute(_LLM_CALLS)
            for model, outcome, count, prompt, completion, latency_ms in cursor.fetchall():
                key = [model or "", outcome or ""]
                calls.add_metric(key, count)
                tokens_in.add_metric(key, prompt)
                tokens_out.add_metric(key, completion)
                seconds.add_metric(key, latency_ms / 1000)
        yield from (calls, tokens_in, tokens_out, seconds)

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
