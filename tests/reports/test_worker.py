"""The report task through a real Celery worker: found by the worker, progress polled, file downloaded."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_makes_the_report_the_page_polls_for(
    celery_worker_process, review, lawyer, client, settings
):
    # The worker process keeps its own MEDIA_ROOT (the environment's, else var/media): serve from there.
    settings.MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", ROOT / "var" / "media"))
    client.force_login(lawyer)
    progress = client.post(reverse("reports:request"), {"kind": "review", "which": str(review.pk)})[
        "Location"
    ]
    deadline = time.monotonic() + 90
    while "Ready" not in (page := client.get(progress, headers={"HX-Request": "true"}).content.decode()):
        assert time.monotonic() < deadline, page
        time.sleep(0.5)
    event = AuditEvent.objects.get(action="report.exported")
    assert event.actor_id == lawyer.pk
    path = settings.MEDIA_ROOT / "reports" / f"{event.object_id}.pdf"
    try:
        response = client.get(reverse("reports:download", args=[event.object_id]))
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == event.payload["sha256"]
    finally:
        path.unlink(missing_ok=True)
