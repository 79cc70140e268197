import datetime as dt
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.counterparties.lists import import_file
from reviews.counterparties.models import ListVersion
from worker.sanctions import MalformedListError

# Shipped excerpts of the real lists (every 250th OFAC row, every 36th UN individual and 30th entity), so that
# a counterparty review screens against something on a machine without the full snapshots.
DEMO_LISTS = Path(__file__).resolve().parents[2] / "demo_lists"
FORMATS = {".csv": "ofac-sdn-csv", ".xml": "un-xml"}
# OFAC's CSV carries no date: the snapshot's file name does (ofac_sdn_2024-05.csv).
_NAMED_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


class Command(BaseCommand):
    help = (
        "Load the sanctions lists in SANCTIONS_LISTS_DIR (OFAC SDN .csv, UN consolidated .xml), or the demo "
        "excerpts the project ships when that folder is absent. A file already current is skipped."
    )

    def handle(self, *args, **options):
        folder = settings.SANCTIONS_LISTS_DIR if settings.SANCTIONS_LISTS_DIR.is_dir() else DEMO_LISTS
        files = sorted(path for path in folder.iterdir() if path.suffix in FORMATS)
        if not files:
            raise CommandError(f"{folder} holds no .csv or .xml list")
        for path in files:
            data = path.read_bytes()
            if ListVersion.objects.filter(is_current=True, sha256=hashlib.sha256(data).hexdigest()).exists():
                self.stdout.write(f"{path.name}: already current")
                continue
            file_format = FORMATS[path.suffix]
            published = _published(path) if file_format == "ofac-sdn-csv" else None  # the UN's XML has its own
            try:
                version = import_file(file_format, data, published=published, system="seed_sanctions_lists")
            except MalformedListError as error:
                raise CommandError(f"{path.name} refused, nothing changed: {error}") from error
            self.stdout.write(f"{path.name}: {version.sanctions_list.name} with {version.entry_count} entries is now current")


def _published(path: Path) -> dt.date:
    if named := _NAMED_DATE.search(path.stem):
        year, month, day = named.groups()
        return dt.date(int(year), int(month), int(day or 1))
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()
