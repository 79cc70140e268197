import pytest

from accounts.roles import Role
from audit.approvals import services as approvals
from licenses import services
from licenses.models import License, Model, ModelVersion, Status
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


def approve(
    version: ModelVersion, actor, *, to_status=Status.APPROVED, approver=None, **kwargs
) -> ModelVersion:
    """Four eyes: `actor` evaluates (unless the test brings a run) and proposes, a second steward approves the flow."""
    if "evaluation_run" not in kwargs:
        kwargs["evaluation_run"] = services.record_evaluation_run(
            actor=actor, model_version=version, dataset_label="test-split",
            metrics={"aupr": 0.5, "p_at_80r": 0.4, "p_at_90r": 0.3},
        )  # fmt: skip
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
