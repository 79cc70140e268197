import pytest
from django.urls import reverse


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_health_reports_every_part_up(client, settings, celery_worker_process, llm_server):
    settings.LLM_ENDPOINTS = [llm_server]
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"] == "up" and body["redis"] == "up"
    assert body["workers"]["status"] == "up" and body["workers"]["count"] >= 1
    assert body["llm"] == [{"endpoint": 1, "model": "SmolLM2-135M-Instruct", "status": "up"}]
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_health_reports_down_parts_without_leaking_addresses(client, settings):
    settings.LLM_ENDPOINTS = ["http://127.0.0.1:9/v1|some-model|vllm"]
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 503 and body["status"] == "degraded"
    assert body["database"] == "up" and body["redis"] == "down"
    assert body["llm"] == [{"endpoint": 1, "model": "some-model", "status": "down"}]
    assert "127.0.0.1" not in response.content.decode()
