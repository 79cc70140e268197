"""Shared fixtures: real PostgreSQL (pytest-django's test database), real Redis, real Celery workers.

The test environment (Redis database, queue, checkpoint file) is set in pyproject.toml's pytest `env`.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Static files straight from the apps: no collectstatic manifest needed.
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    # A request in Japanese leaves Japanese active in this thread; the next test starts in the default language.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database keeps the append-only triggers, except the one refusing TRUNCATE.

    Transactional tests (live server, real workers) end with Django's flush, which truncates every table;
    production keeps that trigger, and the tests of the triggers exercise UPDATE and DELETE.
    """
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent")
    Path(settings.AUDIT_CHECKPOINT_FILE).unlink(missing_ok=True)  # checkpoints of an earlier test database


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f}s")


@pytest.fixture(scope="session")
def worker_llm(llm_server):
    """The embedded server as the Celery worker reaches it: through a proxy a test can turn off (`answering`)."""
    from tests.support.recording_llm import RecordingLLM

    upstream, model, dialect = llm_server.split("|")
    with RecordingLLM(upstream) as proxy:
        proxy.endpoint = f"{proxy.base_url}|{model}|{dialect}"
        yield proxy
        proxy.answering = True


@pytest.fixture
def celery_worker_process(_celery_worker):
    """The worker, for one test: the test ends once the worker has finished what the test queued (a review's
    explanations outlive the review), so that no task of this test runs into the next one's data."""
    yield _celery_worker
    _wait(_worker_idle, 300, "the Celery worker's last tasks")


def _worker_idle() -> bool:
    """Nothing running, reserved, scheduled for a retry or waiting in the queue. A busy solo worker does not
    answer, which counts as busy."""
    from django.conf import settings

    from workbench.celery import app

    inspect = app.control.inspect(timeout=1)
    replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
    if any(reply is None or any(reply.values()) for reply in replies):
        return False
    with app.connection_for_read() as broker:
        queues = (settings.CELERY_TASK_DEFAULT_QUEUE, settings.MODEL_TEXT_QUEUE)
        return all(broker.default_channel.client.llen(queue) == 0 for queue in queues)


@pytest.fixture(scope="session")
def _celery_worker(django_db_setup, django_db_blocker, worker_llm, tmp_path_factory):
    """A real `celery worker` process on the test database and the test queue, using the embedded LLM.

    It explains at most two flags per review, to keep the tiny CPU model's share of the suite small, and retries
    a model that does not answer after a second.
    """
    from workbench.celery import app

    # The worker connects as the workbench's processes do: the runtime role, on the test database.
    role, db = settings.RUNTIME_DATABASE, connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_AS_OWNER": "false",
        "DATABASE_URL": f"postgres://{role['USER']}:{quote(role['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "LLM_ENDPOINTS": worker_llm.endpoint,
        "REVIEW_LLM_MAX_FLAGS": "2",
        "MODEL_RETRY_SECONDS": "1",
        # Its task and masking series, in files that tests/ops/test_metrics.py reads (operations/instrumentation.py).
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path_factory.mktemp("worker-metrics", numbered=False)),
    }
    hostname = f"test-{os.getpid()}@%h"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workbench", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--hostname", hostname, "--without-gossip", "--without-mingle",
         "--queues", f"{settings.CELERY_TASK_DEFAULT_QUEUE},{settings.MODEL_TEXT_QUEUE}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait(lambda: process.poll() is None and bool(app.control.ping(timeout=0.5)), 60, "the Celery worker")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def llm_server():
    """The embedded llama.cpp server with the packaged SmolLM2 model; yields its LLM_ENDPOINTS entry."""
    import httpx

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "worker.llm.local_server", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            return httpx.get(f"{base_url}/models", timeout=1).is_success
        except httpx.HTTPError:
            return False

    try:
        _wait(answers, 120, "the llama.cpp server")
        yield f"{base_url}|SmolLM2-135M-Instruct|llama.cpp"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def recording_llm(llm_server, settings):
    """The embedded server behind a recording proxy, with LLM_ENDPOINTS pointing at the proxy (in-process runs):
    `.messages()` is every message the model was sent."""
    from tests.support.recording_llm import RecordingLLM

    upstream, model, dialect = llm_server.split("|")
    with RecordingLLM(upstream) as recorder:
        settings.LLM_ENDPOINTS = [f"{recorder.base_url}|{model}|{dialect}"]
        yield recorder


@pytest.fixture
def msa_playbook(db):
    from reviews.contracts.models import Playbook
    from reviews.contracts.playbooks import load_shipped_playbooks

    load_shipped_playbooks()
    return Playbook.objects.get(name="Master services / SaaS")


@pytest.fixture
def registered_clause_model(db):
    """The current clause model artifact in the register (seeded), pending a steward's approval."""
    from licenses.artifacts import register_clause_artifact
    from licenses.seed import seed_register
    from worker.clauses import artifact_info

    seed_register()
    return register_clause_artifact(artifact_info())


@pytest.fixture
def approved_clause_model(db):
    """The current clause model artifact, approved as the demo does (its evaluation run attached)."""
    from licenses.artifacts import register_clause_artifact
    from licenses.seed import seed_register
    from worker.clauses import artifact_info

    seed_register()
    return register_clause_artifact(artifact_info(), approve_first=True)
