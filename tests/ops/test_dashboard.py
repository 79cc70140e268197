"""The operations page: for admins only, every section readable as tables, chart data for a static script."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.services import record_event
from licenses.models import EvaluationRun, License
from operations import tasks
from operations.models import DrillRun
from tests.e2e.conftest import CHROMIUM
from tests.factories import PASSWORD, UserFactory
from tests.licenses.conftest import make_version

pytestmark = pytest.mark.django_db

SECTIONS = ["alerts", "service", "endpoints", "charts", "history", "drill", "regression", "usage"]


def test_an_admin_sees_every_section_with_the_latest_snapshot(client, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    settings.LLM_ENDPOINTS = ["http://127.0.0.1:9/v1|stand-in|vllm"]  # the discard port: nothing answers
    call = {"endpoint": "http://127.0.0.1:9/v1", "model": "m1", "outcome": "ok", "tokens_in": 100,
            "tokens_out": 40, "latency_ms": 2000}  # fmt: skip
    record_event(action="llm.called", system="tests", payload=call)
    DrillRun.objects.create(
        ok=True, steps={"backup": 1.5, "restore": 2.0}, recovery_point="2026-12-01T00:00:00+00:00"
    )
    tasks.observe()
    tasks.observe()
    client.force_login(UserFactory(role=Role.ADMIN))

    response = client.get(reverse("operations:dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    for section in SECTIONS:
        assert f'data-section="{section}"' in page
    assert "LLM endpoint down" in page  # firing, and in the history
    assert "<td>20.0</td>" in page  # tokens per second: 40 tokens in 2 s
    assert "3.5 seconds in all" in page
    assert "<td>1</td><td>100</td><td>40</td><td>2.0</td>" in page  # token usage: the call, with no matter
    charts = response.context["chart_data"]
    assert set(charts) == {"chart-queues", "chart-latency", "chart-speed", "chart-errors"}
    assert len(charts["chart-speed"]["x"]) == 2 and charts["chart-speed"]["series"][0]["values"] == [
        20.0,
        20.0,
    ]
    assert 'id="operations-charts" type="application/json"' in page
    assert "<script>" not in page  # the charts are drawn by a static file, nothing inline
    assert (
        json.loads(page.split('id="operations-charts" type="application/json">')[1].split("</script>")[0])
        == charts
    )


@pytest.mark.parametrize(
    "role", [Role.LAWYER, Role.RISK_OFFICER, Role.COMPLIANCE_OFFICER, Role.MODEL_STEWARD]
)
def test_everyone_else_is_refused(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("operations:dashboard")).status_code == 403


def test_the_page_says_so_before_the_first_snapshot(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get(reverse("operations:dashboard"))
    assert response.status_code == 200
    assert "No snapshot yet" in response.content.decode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_charts_draw_from_the_static_script_in_a_browser(live_server, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    settings.LLM_ENDPOINTS = []
    tasks.observe()
    tasks.observe()
    UserFactory(username="ada", role=Role.ADMIN)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/login/?next=/operations/")
        page.fill("#id_username", "ada")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/operations/")
        page.wait_for_selector("[data-chart=chart-queues] canvas")
        drawn = page.locator("[data-chart] canvas").count()
        page.screenshot(path=str(tmp_path / "operations.png"), full_page=True)
        browser.close()
    assert errors == []
    assert drawn == 2  # queues and errors; without an LLM call the latency and speed charts have no series


def test_the_regression_table_sets_a_models_newest_evaluation_beside_the_one_before(client):
    license = License.objects.create(name="Apache 2.0 (dashboard test)", spdx_id="Apache-2.0")
    first, second = make_version(license, version="1"), make_version(license, version="2")
    for version, validity, trigger in ((first, 0.917, "steward"), (second, 0.5, "approval")):
        EvaluationRun.objects.create(
            model_version=version, dataset_label="llm-structured-output-test", computed=True, trigger=trigger,
            metrics={"schema_validity": validity, "injection_refusal": 1.0}, finished_at=timezone.now(),
        )  # fmt: skip
    client.force_login(UserFactory(role=Role.ADMIN))

    section = client.get(reverse("operations:dashboard")).content.decode().split('data-section="regression"')[1]
    section = section.split("</section>")[0]
    assert "TestLLM" in section and "0.917" in section and "0.500" in section
    assert section.index("0.917") < section.index("0.500")  # before, then after
    assert "a new approval was applied" in section
