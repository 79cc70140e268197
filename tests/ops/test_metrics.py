"""/metrics: the workbench's state for a monitoring system's scraper, and for nobody else."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.services import record_event
from reviews.contracts import services as contracts
from reviews.contracts.models import Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


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
    assert series['workbench_llm_calls_total{model="m1",outcome="ok"}'] == 1
    assert series['workbench_llm_prompt_tokens_total{model="m1",outcome="ok"}'] == 120
    assert series['workbench_llm_call_seconds_total{model="m1",outcome="ok"}'] == 1.5
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
