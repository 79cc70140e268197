import pytest

from accounts.roles import Role
from audit.approvals import services as approvals
from licenses import services
from licenses.models import EvaluationRun, License, Model, ModelVersion, Status
from licenses.uses import Task
from tests.factories import UserFactory


@pytest.fixture
def steward():
    return UserFactory(role=Role.MODEL_STEWARD)


@pytest.fixture
def lawyer():
    return UserFactory(role=Role.LAWYER)


@pytest.fixture
def apache():
    return License.objects.create(name="Apache License 2.0 (test)", spdx_id="Apache-2.0")


def make_version(
    license, *, name="TestLLM", version="1", task=Task.TEXT_GENERATION, **fields
) -> ModelVersion:
    model, _ = Model.objects.get_or_create(name=name, defaults={"provider": "Test", "task": task})
    return ModelVersion.objects.create(model=model, version=version, license=license, **fields)


def computed_run(version: ModelVersion, value: float = 0.5, *, split: str = "test-split", created_by=None,
                 **metrics) -> EvaluationRun:  # fmt: skip
    """A finished computed run as a fixture row: test data standing in for figures the workbench measured
    (the classifier's artifact, the LLM evaluation set), with `value` as the task's headline figures."""
    by_task = {
        Task.CLAUSE_CLASSIFICATION: {"aupr": value, "p_at_80r": value / 2, "p_at_90r": value / 4},
        Task.TEXT_GENERATION: {"schema_validity": value, "injection_refusal": value, "latency_p50_seconds": 1.0,
                               "latency_p95_seconds": 2.0, "items": 12},
    }  # fmt: skip
    return EvaluationRun.objects.create(
        model_version=version, dataset_label=split, metrics={**by_task[version.model.task], **metrics},
        computed=True, state=EvaluationRun.State.DONE, trigger=EvaluationRun.Trigger.STEWARD, created_by=created_by,
    )  # fmt: skip


def approve(
    version: ModelVersion, actor, *, to_status=Status.APPROVED, approver=None, **kwargs
) -> ModelVersion:
    """Four eyes: `actor` evaluates (unless the test brings a run) and proposes, a second steward approves the flow."""
    if "evaluation_run" not in kwargs:
        kwargs["evaluation_run"] = computed_run(version, created_by=actor)
    services.propose_status(actor=actor, model_version=version, to_status=to_status, reason="ok", **kwargs)
    flow = approvals.submit(actor=actor, obj=version)
    approvals.decide(
        actor=approver or UserFactory(role=Role.MODEL_STEWARD), flow=flow, decision="approve", reason="second look"
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def llm(apache):
    return make_version(apache, name="TestLLM", version="1", served_name="test-llm", weights_sha256="a" * 64)
