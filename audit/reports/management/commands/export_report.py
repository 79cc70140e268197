"""python manage.py export_report KIND WHICH --out FILE.pdf [--user NAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from audit.reports.base import ReportError, no_progress
from audit.reports.registry import BUILDERS
from audit.reports.services import export_report


class Command(BaseCommand):
    help = "Render a PDF report. KIND: " + ", ".join(BUILDERS) + "."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=list(BUILDERS))
        parser.add_argument("which", help="an object id; for audit-log all or FIRST..END (2026-01-01..2026-02-01); "
                                          "for license-register all")  # fmt: skip
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")
        parser.add_argument(
            "--user", help="export as this user, with their access (default: the server itself)"
        )

    def handle(self, *args, kind: str, which: str, out: Path, user: str | None, **options) -> None:
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user!r}")
        try:
            report = export_report(kind=kind, which=which, user=actor, system="export_report", out=out,
                                   progress=self._progress if options["verbosity"] > 1 else no_progress)  # fmt: skip
        except ReportError as error:
            raise CommandError(str(error)) from None
        except (Http404, PermissionDenied):
            raise CommandError(f"{user} may not export this report") from None
        self.stdout.write(f"{report.path}: {report.pages} pages, {report.size} bytes, sha256 {report.sha256}, "
                          f"report id {report.report_id}{'' if report.signed else ', not signed'}")  # fmt: skip

    def _progress(self, stage: str, percent: int) -> None:
        self.stderr.write(f"{percent:3d}% {stage}")
