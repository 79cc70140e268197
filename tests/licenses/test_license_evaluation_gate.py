import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from licenses import services
from licenses.models import EvaluationRun, Status, StatusChange
from licenses.uses import Task, Use
from tests.licenses.conftest import approve, computed_run, make_version

pytestmark = pytest.mark.django_db
SPLIT = "cuad-v1-validation"


def _run(version, steward, aupr, split=SPLIT):
    return computed_run(version, aupr, split=split, created_by=steward)


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
    assert comparison.metric == "aupr" and comparison.drop == pytest.approx(0.01) and not comparison.drop_exceeds
    assert approve(classifier_v2, steward, evaluation_run=run).status == Status.APPROVED
    event = AuditEvent.objects.filter(
        action="model_version.status_changed", object_id=str(classifier_v2.pk)
    ).first()
    assert event.payload["evaluation_run"] == run.pk and event.payload["evaluation_metric"] == "aupr"
    assert float(event.payload["evaluation_drop"]) == pytest.approx(0.01)  # floats are strings in the trail


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


def test_metrics_are_validated_for_the_models_task(steward, llm, classifier_v2):
    llm_figures = {"schema_validity": 0.9, "injection_refusal": 0.5, "latency_p50_seconds": 1.2,
                   "latency_p95_seconds": 3.4, "items": 12}  # fmt: skip
    for version, metrics in (
        (llm, {"aupr": 0.5, "p_at_80r": 0.4, "p_at_90r": 0.3}),  # a classifier's figures for an LLM
        (llm, {**llm_figures, "schema_validity": 1.5}),
        (llm, {**llm_figures, "latency_p95_seconds": -1}),
        (llm, {**llm_figures, "items": "x"}),
        (classifier_v2, {"aupr": float("nan"), "p_at_80r": 0, "p_at_90r": 0}),
        (classifier_v2, {}),
    ):
        with pytest.raises(ValidationError):
            services.record_evaluation_run(actor=steward, model_version=version, dataset_label=SPLIT, metrics=metrics)
    assert not llm.evaluation_runs.exists() and not classifier_v2.evaluation_runs.exists()
    note = services.record_evaluation_run(actor=steward, model_version=llm, dataset_label=SPLIT, metrics=llm_figures)
    assert note.metrics["latency_p95_seconds"] == 3.4 and not note.computed


def test_the_gate_refuses_typed_figures_whatever_the_override(steward, classifier_v2):
    """The low-AUPR dodge's other half: figures a steward types in never carry an approval."""
    typed = services.record_evaluation_run(
        actor=steward, model_version=classifier_v2, dataset_label=SPLIT,
        metrics={"aupr": 0.99, "p_at_80r": 0.99, "p_at_90r": 0.99},
    )  # fmt: skip
    assert not typed.computed
    event = AuditEvent.objects.get(action="model_version.evaluated", object_id=str(classifier_v2.pk))
    assert event.payload["computed"] is False
    for override in ("", "trust me"):
        with pytest.raises(ValidationError, match="typed in: they are kept as a note only"):
            services.propose_status(
                actor=steward, model_version=classifier_v2, to_status=Status.APPROVED, reason="ok",
                evaluation_run=typed, override_reason=override,
            )  # fmt: skip
    running = computed_run(classifier_v2, 0.5)
    EvaluationRun.objects.filter(pk=running.pk).update(state=EvaluationRun.State.RUNNING)
    running.refresh_from_db()
    with pytest.raises(ValidationError, match="decide on a finished run"):
        approve(classifier_v2, steward, evaluation_run=running)
    classifier_v2.refresh_from_db()
    assert classifier_v2.status == Status.PENDING and not classifier_v2.proposals.exists()
    # The page offers computed, finished runs only; the typed one is a note.
    with pytest.raises(PermissionDenied):
        services.record_evaluation_run(actor=steward, model_version=classifier_v2, dataset_label=SPLIT,
                                       metrics=typed.metrics, computed=True)  # fmt: skip


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
