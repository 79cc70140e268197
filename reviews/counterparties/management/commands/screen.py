import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.counterparties.matcher_cache import ScreeningUnavailable, current_matcher
from worker.sanctions import Query
from worker.sanctions.countries import to_iso2
from worker.sanctions.evidence import parse_query_birth

BATCH = 500


class Command(BaseCommand):
    help = (
        "Screen the names of a CSV file against the sanctions lists currently loaded in the database (import "
        "them first with import_sanctions). IN.csv has a header with full_name and optionally date_of_birth "
        "(YYYY or YYYY-MM-DD), nationality (ISO code or name) and gender; other columns are ignored. OUT.jsonl "
        "gets one line per data row, in order: row, decision, best_score, matches. A row with a bad value "
        "refuses the whole file, naming the row, and OUT is not written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="source", type=Path, required=True)
        parser.add_argument("--out", dest="target", type=Path, required=True)

    def handle(self, *args, source: Path, target: Path, **options):
        queries = self._queries(source)
        try:
            matcher = current_matcher().matcher
        except ScreeningUnavailable as error:
            raise CommandError(str(error)) from error
        lines = []
        for start in range(0, len(queries), BATCH):
            for offset, result in enumerate(matcher.screen_many(queries[start : start + BATCH])):
                lines.append(json.dumps({"row": start + offset, **result.as_dict()}, ensure_ascii=False))
        target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        self.stderr.write(f"{len(lines)} rows screened into {target}")

    def _queries(self, source: Path) -> list[Query]:
        try:
            with source.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = list(reader)
                header = reader.fieldnames or []
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"cannot read {source}: {error}") from error
        if "full_name" not in header:
            raise CommandError("the header has no full_name column")
        queries = []
        for number, row in enumerate(rows):
            name = (row.get("full_name") or "").strip()
            if not name:
                raise CommandError(f"row {number}: full_name is empty; nothing was written")
            query = Query(name, date_of_birth=(row.get("date_of_birth") or "").strip() or None,
                          nationality=(row.get("nationality") or "").strip() or None,
                          gender=(row.get("gender") or "").strip() or None)  # fmt: skip
            try:
                _check(query)
            except ValueError as error:
                raise CommandError(f"row {number}: {error}; nothing was written") from error
            queries.append(query)
        return queries


def _check(query: Query) -> None:
    """The engine's own checks of the optional fields, run before anything is screened."""
    if query.date_of_birth:
        parse_query_birth(query.date_of_birth)
    if query.nationality and to_iso2(query.nationality) is None:
        raise ValueError(f"nationality {query.nationality[:40]!r} is not a country code or name")
