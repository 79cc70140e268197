"""Alerts fire once when a threshold is crossed and resolve once when it is back, mailed to the admins and
recorded; the periodic drill keeps its result."""

import json
import socket
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from audit.checkpoints import write_checkpoint
from audit.models import AuditEvent
from operations import tasks
from operations.alerts import alert_firing_metric
from operations.models import AlertState, DrillRun, Observation
from reviews.contracts import services as contracts
from reviews.contracts.models import ContractReview, Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from tests.factories import MatterFactory, UserFactory, grant


@pytest.fixture
def admins(settings, tmp_path):
    """Two admins (one reading Japanese) and a lawyer, who gets no alert mail; this test's checkpoint file."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(role=Role.LAWYER)
    return [UserFactory(role=Role.ADMIN, language="ja"), UserFactory(role=Role.ADMIN)]


def _mailed(messages, admins, english: str, japanese: str) -> bool:
    """The English-reading admin's mail says `english`; the Japanese-reading one's says `japanese`."""
    reader_ja, reader_en = admins
    body = {admin.pk: next(m.body for m in messages if m.to == [admin.email]) for admin in admins}
    return english in body[reader_en.pk] and japanese in body[reader_ja.pk]


def _events(action: str, rule: str) -> int:
    return AuditEvent.objects.filter(action=action, payload__rule=rule).count()


def _alert_events() -> int:
    return AuditEvent.objects.filter(action__startswith="alert.").count()


class StandInLLM:
    """An OpenAI-compatible server's GET /v1/models on a fixed port, which a test starts and stops."""

    def __init__(self) -> None:
        with socket.socket() as probe:  # a port with nothing listening, until start()
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._server = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1|stand-in|vllm"

    def start(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"data": [{"id": "stand-in"}]}).encode()
                self.send_response(200 if self.path == "/v1/models" else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def stand_in():
    server = StandInLLM()
    yield server
    server.stop()


@pytest.mark.django_db
def test_a_stopped_llm_endpoint_fires_once_and_resolves_once(admins, settings, stand_in):
    settings.LLM_ENDPOINTS = [stand_in.endpoint]  # nothing listens there yet

    tasks.observe()
    tasks.observe()

    assert list(AlertState.objects.filter(firing=True).values_list("rule", flat=True)) == ["endpoint_down"]
    state = AlertState.objects.get(rule="endpoint_down")
    assert state.subject == f"http://127.0.0.1:{stand_in.port}/v1"
    assert _events("alert.fired", "endpoint_down") == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(admin.email for admin in admins)
    assert _mailed(mail.outbox, admins, "FIRING: LLM endpoint down", "発生: LLMエンドポイントが停止しています")
    fired_events, fired_mails = _alert_events(), len(mail.outbox)
    assert [(sample.labels, sample.value) for sample in alert_firing_metric().samples] == [
        ({"rule": "endpoint_down", "subject": state.subject}, 1)]  # fmt: skip

    stand_in.start()
    tasks.observe()
    tasks.observe()

    state.refresh_from_db()
    assert not state.firing and state.resolved_at is not None
    assert _events("alert.fired", "endpoint_down") == 1
    assert _events("alert.resolved", "endpoint_down") == 1
    assert _alert_events() == fired_events + 1  # and nothing else changed on the way
    assert len(mail.outbox) == fired_mails + len(admins)
    assert _mailed(mail.outbox[fired_mails:], admins, "RESOLVED: LLM endpoint down",
                   "解消: LLMエンドポイントが停止しています")  # fmt: skip
    assert Observation.objects.count() == 4
    assert [row["up"] for row in Observation.objects.first().gauges["endpoints"]] == [True]


@pytest.mark.django_db
def test_a_queued_review_without_a_worker_fires_once_and_resolves_once(admins, settings, monkeypatch):
    from reviews.contracts import tasks as review_tasks

    monkeypatch.setattr(review_tasks.run_contract_review, "delay", lambda *args, **kwargs: None)
    # A queue no worker consumes: the stopped worker, whatever else runs on this broker.
    settings.CELERY_TASK_DEFAULT_QUEUE = f"alerts-stalled-{uuid.uuid4().hex[:8]}"
    settings.ALERT_QUEUE_MINUTES = settings.ALERT_NO_WORKERS_MINUTES = 0
    settings.LLM_ENDPOINTS = []
    load_shipped_playbooks()
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    review = contracts.submit_contract_review(actor=lawyer, matter=matter, name="a.txt", data=b"AGREEMENT\n",
                                              playbook=Playbook.objects.get(name="NDA"))  # fmt: skip
    ContractReview.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(minutes=1))

    tasks.observe()
    tasks.observe()

    gauges = Observation.objects.first().gauges
    assert gauges["workers"][settings.CELERY_TASK_DEFAULT_QUEUE] == 0
    assert gauges["oldest_queued_seconds"]["contract"] >= 60
    assert _events("alert.fired", "no_workers") == 1
    assert _events("alert.fired", "queue_old") == 1
    assert set(AlertState.objects.filter(firing=True).values_list("rule", flat=True)) == {
        "no_workers",
        "queue_old",
    }
    assert len(mail.outbox) == len(admins)  # both alerts in one mail each
    assert _mailed(mail.outbox, admins, "No worker is running for queued reviews",
                   "キューにあるレビューを処理するワーカーがありません")  # fmt: skip
    fired_events = _alert_events()

    ContractReview.objects.filter(pk=review.pk).update(state=ContractReview.State.RUNNING)  # a worker took it
    tasks.observe()
    tasks.observe()

    assert _events("alert.resolved", "no_workers") == 1
    assert _events("alert.resolved", "queue_old") == 1
    assert _alert_events() == fired_events + 2
    assert len(mail.outbox) == 2 * len(admins)
    assert not AlertState.objects.filter(rule__in=["no_workers", "queue_old"], firing=True).exists()


@pytest.mark.django_db
def test_old_snapshots_are_pruned(admins, settings):
    settings.LLM_ENDPOINTS = []
    old = Observation.objects.create(taken_at=timezone.now() - timedelta(days=settings.OBSERVE_KEEP_DAYS + 1))

    result = tasks.observe()

    assert result["pruned"] == 1
    assert not Observation.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_periodic_drill_keeps_its_result_and_records_it(admins, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    write_checkpoint()

    result = tasks.dr_drill()

    run = DrillRun.objects.get()
    assert result == {"drill": run.pk, "ok": True, "seconds": run.total_seconds}
    assert set(run.steps) == {"backup", "restore", "verify", "open a review"}
    assert run.recovery_point and all(source == restored for source, restored in run.counts.values())
    event = AuditEvent.objects.get(action="operations.dr_drill")
    assert (
        event.object_id == str(run.pk) and event.payload["ok"] is True and event.payload["scheduled"] is True
    )
