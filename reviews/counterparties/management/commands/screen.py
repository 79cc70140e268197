import csv
import json
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.counterparties.matcher_cache import ScreeningUnavailable, current_matcher
from worker.sanctions import Query
from worker.sanctions.countries import to_iso2
from worker.sanctions.dates import DateError, read_date

BATCH = 500
COLUMNS = ("full_name", "date_of_birth", "nationality", "gender")
DROPPED = "screened without it"
SKIPPED = "not screened"


@dataclass(frozen=True)
class Problem:
    line: int  # in the file as an editor shows it: the header is line 1
    row: int  # the row's "row" in OUT
    column: str
    value: str
    reason: str
    outcome: str


class Command(BaseCommand):
    help = (
        "Screen the names of a CSV file (UTF-8) against the sanctions lists currently loaded in the database "
        "(import them first with import_sanctions). IN.csv has a header (in any case) with full_name and "
        "optionally date_of_birth, nationality and gender; other columns are ignored. A date of birth may be "
        "written 1969, 1969-07, 1969-7-16, 1969/7/16, 16 July 1969, 'July 16, 1969', Jul 1969 or 1969年7月16日; a "
        "nationality as an ISO code or a country's English or Japanese name, current or former. OUT.jsonl gets "
        "one line per data row, in order: row (counted from 0), decision, best_score, matches. A value that "
        "cannot be read is left out and the row screened on the rest; a row without full_name is not screened "
        "and keeps its line in OUT with decision \"skipped\", best_score null and no matches. Each such problem "
        "is listed in --errors ERRORS.csv (UTF-8 with a BOM, for spreadsheets; columns line, row, column, value, "
        "reason, outcome; line as an editor shows it, the header being line 1), or on stderr without --errors. "
        "Only a file that is not UTF-8 CSV or has no full_name column is refused, and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="source", type=Path, required=True)
        parser.add_argument("--out", dest="target", type=Path, required=True)
        parser.add_argument("--errors", dest="errors", type=Path, help="CSV file for the values and rows not read")

    def handle(self, *args, source: Path, target: Path, errors: Path | None, **options):
        queries, problems = _queries(_rows(source))
        try:
            matcher = current_matcher().matcher
        except ScreeningUnavailable as error:
            raise CommandError(str(error)) from error
        screened = [(row, query) for row, query in enumerate(queries) if query is not None]
        results = {}
        for start in range(0, len(screened), BATCH):
            batch = screened[start : start + BATCH]
            results.update(zip((row for row, _ in batch), matcher.screen_many([q for _, q in batch]), strict=True))
        skipped = {"decision": "skipped", "best_score": None, "matches": []}
        lines = [json.dumps({"row": row, **(results[row].as_dict() if row in results else skipped)},
                            ensure_ascii=False) for row in range(len(queries))]  # fmt: skip
        target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        self._report(problems, errors)
        self.stderr.write(f"{len(results)} of {len(lines)} rows screened into {target}; {len(problems)} problems"
                          + (f" listed in {errors}" if errors else ""))  # fmt: skip

    def _report(self, problems: list[Problem], errors: Path | None) -> None:
        if errors is None:
            for p in problems:
                self.stderr.write(f"line {p.line}: {p.column}: {p.reason} ({p.outcome})")
            return
        with errors.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(f.name for f in fields(Problem))
            writer.writerows(astuple(p) for p in problems)


def _rows(source: Path) -> list[tuple[int, dict[str, str]]]:
    """(line where the row starts, its cells by lower-cased column name); blank lines are no rows."""
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader, [])]
            if "full_name" not in header:
                raise CommandError("the header has no full_name column; nothing was written")
            rows, end = [], reader.line_num
            for cells in reader:
                start, end = end + 1, reader.line_num
                if cells:
                    rows.append((start, dict(zip(header, cells))))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(f"cannot read {source} as UTF-8 CSV: {error}; nothing was written") from error
    return rows


def _queries(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[Query | None], list[Problem]]:
    """A query per row on what of it can be read (None without a name), and what could not be read."""
    queries: list[Query | None] = []
    problems: list[Problem] = []
    for row, (line, cells) in enumerate(rows):
        name, date_text, country_text, gender = ((cells.get(column) or "").strip() for column in COLUMNS)
        if not name:
            queries.append(None)
            problems.append(Problem(line, row, "full_name", "", "full_name is empty.", SKIPPED))
            continue
        birth = country = None
        if date_text:
            try:
                birth = read_date(date_text).isoformat()
            except DateError as error:
                problems.append(Problem(line, row, "date_of_birth", date_text, error.message, DROPPED))
        if country_text:
            country = to_iso2(country_text)
            if country is None:
                reason = f"“{country_text[:40]}” is not a country code or name."
                problems.append(Problem(line, row, "nationality", country_text, reason, DROPPED))
        queries.append(Query(name, date_of_birth=birth, nationality=country, gender=gender or None))
    return queries, problems
