"""The Celery app: configured from Django settings (CELERY_* names), tasks found in the apps."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

app = Celery("workbench")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _fresh_content_types(**kwargs) -> None:
    """Look content types up afresh for each task.

    A worker lives across database resets (a restore, a re-migration, the test suite's flushes), after which
    cached content-type and permission ids would be stale; a fresh lookup costs a query or two per task.
    """
    from django.contrib.contenttypes.models import ContentType
    from guardian.shortcuts import clear_ct_cache

    ContentType.objects.clear_cache()
    clear_ct_cache()
