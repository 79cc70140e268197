import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.counterparties.lists import FORMATS, import_file
from worker.sanctions import MalformedListError


class Command(BaseCommand):
    help = (
        "Import a sanctions list from its publisher's file as the list's new current version (the previous "
        "version is kept for the audit trail). A malformed file is refused, naming the line or element, and "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=FORMATS, dest="file_format")
        parser.add_argument(
            "--published", type=dt.date.fromisoformat, default=None,
            help="Publication date YYYY-MM-DD. The OFAC SDN CSV carries none: without this option the file's "
                 "modification date is used. The UN XML has its own (this option overrides it).",
        )  # fmt: skip

    def handle(self, *args, file: Path, file_format: str, published: dt.date | None, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        if published is None and file_format == "ofac-sdn-csv":
            published = dt.datetime.fromtimestamp(file.stat().st_mtime, tz=dt.UTC).date()
            self.stderr.write(f"no --published given: using the file's modification date {published}")
        try:
            version = import_file(file_format, data, published=published, system="import_sanctions")
        except MalformedListError as error:
            raise CommandError(f"{file.name} refused, nothing changed: {error}") from error
        self.stdout.write(
            f"{version.sanctions_list.name}: version #{version.pk} published {version.published} with "
            f"{version.entry_count} entries is now current"
        )
