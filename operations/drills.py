"""The periodic disaster-recovery drill (beat, every DR_DRILL_DAYS): the `dr_drill` command's drill, kept."""

import tempfile
from dataclasses import asdict
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from operations.backup import BackupError, drill
from operations.models import DrillRun


def run_drill() -> DrillRun:
    """Run the drill and store its result, passed or failed, with an audit event like the command's."""
    started = timezone.now()
    with tempfile.TemporaryDirectory(prefix="workbench-drill-") as work:
        try:
            report = drill(Path(work))
        except (
            BackupError,
            ImproperlyConfigured,
        ) as error:  # e.g. no BACKUP_KEY, or a role that may not CREATE DATABASE
            run, payload = (
                DrillRun(started_at=started, ok=False, detail=str(error)[:2000]),
                {"error": str(error)[:500]},
            )
        else:
            run = DrillRun(started_at=started, ok=report.ok, steps=report.steps, counts=report.counts,
                           recovery_point=report.recovery_point or "", detail=report.verify)  # fmt: skip
            payload = asdict(report)
    with transaction.atomic():
        run.save()
        record_event(
            action="operations.dr_drill",
            system="dr_drill",
            target=run,
            payload={**payload, "scheduled": True},
        )
    return run
