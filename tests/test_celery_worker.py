import pytest

from audit.checkpoints import read_checkpoints
from audit.models import AuditEvent
from audit.services import record_event
from audit.tasks import write_checkpoint


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_in_a_real_worker_over_redis(celery_worker_process, settings):
    record_event(action="test.happened", system="tests")
    head = AuditEvent.objects.order_by("-seq").first()

    result = write_checkpoint.delay().get(timeout=30)

    assert result["seq"] == head.seq and result["hash"] == head.hash
    # The worker wrote the same checkpoint to the file this process reads.
    assert read_checkpoints()[-1].hash == head.hash
