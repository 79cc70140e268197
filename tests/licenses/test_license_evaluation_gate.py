import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from licenses import services
from licenses.models import Status, StatusChange
from licenses.uses import Task, Use
from tests.licenses.conftest import approve, make_version

pytestmark = pytest.mark.django_db
SPLIT = "cuad-v1-validation"


def _run(version, steward, aupr, split=SPLIT):
    return services.record_evaluation_run(
        actor=steward, model_version=version, dataset_label=split,
        metrics={"aupr": aupr, "p_at_80r": aupr / 2, "p_at_90r": aupr / 4},
    )  # fmt: skip


@pytest.fixture
def classifier_v1(steward, apache):
    v1 = make_version(apache, name="Classifier", version="1", task=Task.CLAUSE_CLASSIFICATION)
    return approve(v1, steward, evaluation_run=_run(v1, steward, 0.40))


@pytest.fixture
def classifier_v2(apache, classifier_v1):
    return make_version(apache, name="Classifier", version="2", task=Task.CLAUSE_CLASSIFICATION)


def test_approving_for_clause_extraction_needs_an_evaluation_run(steward, classifier_v2):
    for override in ("", "urgent"):  # a person cannot override the absence of a run
        with pytest.raises(ValidationError, match="needs an evaluation run"):
            services.propose_status(
                actor=steward, model_version=classifier_v2, to_status=Status.APPROVED, reason="ok",
                override_reason=override,
            )  # fmt: skip
    assert classifier_v2.status == Status.PENDING


def test_a_run_of_another_version_does_not_count(steward, classifier_v1, classifier_v2):
    with pytest.raises(ValidationError, match="another model version"):
        approve(classifier_v2, steward, evaluation_run=classifier_v1.evaluation_runs.get())


def test_a_drop_within_the_threshold_is_approved_beside_the_previous_figures(
    steward, classifier_v1, classifier_v2
):
    run = _run(classifier_v2, steward, 0.39)
    comparison = services.compare_evaluation(classifier_v2, run)
    assert comparison.previous == classifier_v1.evaluation_runs.get()
    assert comparison.aupr_drop == pytest.approx(0.01) and not comparison.drop_exceeds
    assert approve(classifier_v2, steward, evaluation_run=run).status == Status.APPROVED
    event = AuditEvent.objects.filter(
        action="model_version.status_changed", object_id=str(classifier_v2.pk)
    ).first()
    assert event.payload["evaluation_run"] == run.pk and float(event.payload["aupr_drop"]) == pytest.approx(
        0.01
    )  # floats are strings in the trail


def test_a_drop_beyond_the_threshold_needs_an_override_reason(steward, classifier_v2, settings):
    settings.LICENSE_EVAL_MAX_DROP = 0.02
    run = _run(classifier_v2, steward, 0.35)
    with pytest.raises(ValidationError, match="override reason"):
        approve(classifier_v2, steward, evaluation_run=run)
    assert not StatusChange.objects.filter(model_version=classifier_v2).exists()

    approve(classifier_v2, steward, evaluation_run=run, override_reason="faster; accepted by legal ops")
    change = StatusChange.objects.get(model_version=classifier_v2)
    assert change.override_reason == "faster; accepted by legal ops" and change.evaluation_run == run


def test_figures_on_another_split_cannot_be_compared_without_an_override(steward, classifier_v2):
    run = _run(classifier_v2, steward, 0.10, split="another-split")
    comparison = services.compare_evaluation(classifier_v2, run)
    assert comparison.previous is None and comparison.not_comparable
    with pytest.raises(ValidationError, match="no figures on another-split"):
        approve(classifier_v2, steward, evaluation_run=run)
    approved = approve(classifier_v2, steward, evaluation_run=run, override_reason="new split adopted")
    assert approved.status == Status.APPROVED


def test_the_first_version_of_a_model_needs_only_its_own_figures(steward, apache):
    first = make_version(apache, name="NewClassifier", version="1", task=Task.CLAUSE_CLASSIFICATION)
    run = _run(first, steward, 0.2)
    assert not services.compare_evaluation(first, run).not_comparable
    assert approve(first, steward, evaluation_run=run).status == Status.APPROVED


def test_llm_approval_for_contract_review_needs_an_evaluation_but_summaries_do_not(steward, llm):
    with pytest.raises(ValidationError, match="needs an evaluation run"):
        services.propose_status(actor=steward, model_version=llm, to_status=Status.APPROVED, reason="ok")
    services.propose_status(
        actor=steward, model_version=llm, to_status=Status.RESTRICTED, reason="summaries",
        uses=[Use.COUNTERPARTY_REVIEW],
    )  # fmt: skip


def test_metrics_are_validated(steward, llm):
    for metrics in ({"aupr": 1.5, "p_at_80r": 0, "p_at_90r": 0}, {"aupr": "x"}, {}):
        with pytest.raises(ValidationError):
            services.record_evaluation_run(
                actor=steward, model_version=llm, dataset_label=SPLIT, metrics=metrics
            )
    assert not llm.evaluation_runs.exists()


def test_the_version_page_shows_both_figures_and_refuses_without_override(client, steward, classifier_v2):
    run = _run(classifier_v2, steward, 0.30)
    client.force_login(steward)
    url = reverse("licenses:version-detail", args=[classifier_v2.pk])
    page = client.get(url).content.decode()
    assert "0.400" in page and "0.300" in page and "override reason" in page
    response = client.post(
        reverse("licenses:version-status", args=[classifier_v2.pk]),
        {"to_status": "approved", "reason": "ok", "evaluation_run": run.pk},
    )
    assert response.status_code == 200 and "needs an override reason" in response.content.decode()
    classifier_v2.refresh_from_db()
    assert classifier_v2.status == Status.PENDING
