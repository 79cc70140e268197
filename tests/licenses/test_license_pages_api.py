import csv
import io

import pytest
from django.urls import reverse

from licenses.models import Status
from licenses.uses import Use
from tests.licenses.conftest import approve, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(steward, apache, llm):
    approve(llm, steward, to_status=Status.RESTRICTED, uses=[Use.COUNTERPARTY_REVIEW])
    hidden = make_version(apache, name="=HYPERLINK(evil)", version="2")
    return {"approved": llm, "pending": hidden}


def test_everyone_reads_what_is_approved_for_what(client, lawyer, register):
    client.force_login(lawyer)
    page = client.get(reverse("licenses:approved-list")).content.decode()
    assert "TestLLM" in page and "counterparty review" in page
    assert "HYPERLINK" not in page
    assert "Model register" in page  # the navigation entry
    body = client.get(reverse("model-version-list")).json()
    assert [row["model"] for row in body["results"]] == ["TestLLM"]
    assert body["results"][0]["approved_uses"] == ["counterparty_review"]
    assert client.get(reverse("model-version-detail", args=[register["pending"].pk])).status_code == 404


@pytest.mark.parametrize(
    ("method", "url_name", "data"),
    [
        ("get", "licenses:register", None),
        ("get", "licenses:register-csv", None),
        ("get", "licenses:version-detail", "pending"),
        ("post", "licenses:version-status", "pending"),
        ("post", "licenses:version-evaluation", "pending"),
        ("get", "licenses:license-diff", "license"),
        ("post", "licenses:license-text-add", "license"),
        ("post", "licenses:version-add", None),
    ],
)
def test_steward_pages_refuse_other_roles_with_403(client, lawyer, register, method, url_name, data):
    client.force_login(lawyer)
    pk = {"pending": register["pending"].pk, "license": register["pending"].license_id}.get(data)
    url = reverse(url_name, args=[pk] if pk else [])
    response = getattr(client, method)(url, {"to_status": "approved", "reason": "x", "text": "t"})
    assert response.status_code == 403
    register["pending"].refresh_from_db()
    assert register["pending"].status == Status.PENDING


def test_api_writes_are_for_stewards_only(client, lawyer, steward, register):
    approved = register["approved"]
    url = reverse("model-version-status", args=[approved.pk])
    client.force_login(lawyer)
    assert (
        client.post(url, {"to_status": "blocked", "reason": "x"}, content_type="application/json").status_code
        == 403
    )
    assert client.get(reverse("evaluation-run-list")).status_code == 403
    license_texts = reverse("license-texts", args=[approved.license_id])
    assert client.post(license_texts, {"text": "t", "retrieved_on": "2026-01-01"}).status_code == 403
    approved.refresh_from_db()
    assert approved.status == Status.RESTRICTED

    client.force_login(steward)
    response = client.post(
        url, {"to_status": "blocked", "reason": "AUP concern"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "blocked"
    bad = client.post(url, {"to_status": "approved", "reason": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "cannot become" in str(bad.json())
    assert len(client.get(reverse("model-version-list")).json()["results"]) == 2


def test_api_keeps_typed_figures_as_notes_and_records_license_texts(client, steward, register):
    client.force_login(steward)
    pending = register["pending"]
    figures = {"schema_validity": 0.9, "injection_refusal": 1, "latency_p50_seconds": 0.8,
               "latency_p95_seconds": 1.5, "items": 12}  # fmt: skip
    created = client.post(
        reverse("evaluation-run-list"),
        {"model_version": pending.pk, "dataset_label": "my-own-set", "metrics": figures, "computed": True},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["metrics"]["schema_validity"] == 0.9
    assert created.json()["computed"] is False  # typed figures stay a note, whatever the request says
    bad = client.post(
        reverse("evaluation-run-list"),
        {"model_version": pending.pk, "dataset_label": "x", "metrics": {**figures, "schema_validity": 7}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and pending.evaluation_runs.count() == 1
    refused = client.post(
        reverse("model-version-status", args=[pending.pk]),
        {"to_status": "approved", "reason": "ok", "evaluation_run": created.json()["id"]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "kept as a note only" in str(refused.json())
    text = client.post(
        reverse("license-texts", args=[pending.license_id]),
        {"text": "Full terms", "retrieved_on": "2026-01-01"},
        content_type="application/json",
    )
    assert text.status_code == 201 and text.json()["number"] == 1
    register["approved"].refresh_from_db()
    assert register["approved"].status == Status.PENDING  # a new text sends it back to review


def test_the_register_filters_and_exports_csv(client, steward, register):
    client.force_login(steward)
    page = client.get(reverse("licenses:register"), {"status": "pending"}).content.decode()
    assert "<title>Model register ·" in page
    assert "HYPERLINK(evil)</a>" in page and ">TestLLM</a>" not in page
    response = client.get(reverse("licenses:register-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_model = {row["model"]: row for row in rows}
    assert by_model["TestLLM"]["status"] == "restricted" and by_model["TestLLM"]["weights_sha256"] == "a" * 64
    assert "'=HYPERLINK(evil)" in by_model  # a formula in a cell is neutralised


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "-1", "x"])
def test_odd_query_parameters_are_ignored(client, steward, register, value):
    client.force_login(steward)
    assert client.get(reverse("licenses:register"), {"license": value, "status": value}).status_code == 200
    diff = reverse("licenses:license-diff", args=[register["pending"].license_id])
    assert client.get(diff, {"old": value, "new": value}).status_code == 200


def test_register_query_count_does_not_grow_with_rows(client, steward, apache, django_assert_max_num_queries):
    for n in range(20):
        approve(make_version(apache, name=f"M{n}", version="1"), steward, uses=())
    client.force_login(steward)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("licenses:register")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("licenses:approved-list")).status_code == 200


def test_a_steward_adds_a_model_update_as_pending(client, steward, register):
    client.force_login(steward)
    llm = register["approved"]
    response = client.post(
        reverse("licenses:version-add"), {"model": llm.model_id, "version": "2", "served_name": "test-llm-2"}
    )
    added = llm.model.versions.get(version="2")
    assert response.status_code == 302 and response.url == reverse("licenses:version-detail", args=[added.pk])
    assert (added.status, added.license) == (Status.PENDING, llm.license)
    duplicate = client.post(reverse("licenses:version-add"), {"model": llm.model_id, "version": "2"})
    assert duplicate.status_code == 200 and llm.model.versions.count() == 2
