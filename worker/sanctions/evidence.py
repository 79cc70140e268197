"""Score adjustments from what a query says besides the name: birth date, country, gender, type,
identifiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from worker.messages import gettext_noop

from .dates import read_date
from .model import ListEntry

# A contradicting birth year is strong evidence of another person; a matching one is weak (many share it).
BIRTH_DATE_MATCH = 0.05
BIRTH_YEAR_MATCH = 0.03
BIRTH_YEAR_CONTRADICTS = -0.15
COUNTRY_MATCH = 0.03
NATIONALITY_CONTRADICTS = -0.10
GENDER_CONTRADICTS = -0.05
TYPE_CONTRADICTS = -0.15
# Shorter numbers collide by chance too often to decide a match alone.
IDENTIFIER_MIN_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Adjustment:
    kind: str
    delta: float
    template: str  # English, with %(name)s parameters: the web layer shows it in the user's language
    params: dict[str, str] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return self.template % self.params

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "delta": self.delta, "detail": self.detail, "template": self.template,
                "params": self.params}  # fmt: skip


def parse_query_birth(value: str) -> tuple[int, dt.date | None]:
    """(year, full date or None) from a date as people write it (dates.read_date); DateError otherwise."""
    written = read_date(value)
    return written.year, written.date


def identifier_key(text: str) -> str:
    """The comparable part of an identifier: letters and digits of its digit-bearing words, upper-cased."""
    words = [w for w in text.split() if any(ch.isdigit() for ch in w)] or text.split()
    return "".join(ch for ch in "".join(words).upper() if ch.isalnum())


def birth_adjustment(entry: ListEntry, year: int, date: dt.date | None) -> Adjustment | None:
    if not entry.birth_dates:
        return None
    if date and any(b.date == date for b in entry.birth_dates):
        return Adjustment(
            "birth_date", BIRTH_DATE_MATCH, gettext_noop("date of birth %(date)s matches"), {"date": date.isoformat()}
        )
    if any(b.contains_year(year) for b in entry.birth_dates):
        return Adjustment("birth_year", BIRTH_YEAR_MATCH, gettext_noop("birth year %(year)s matches"), {"year": str(year)})
    distance = min(b.year_distance(year) for b in entry.birth_dates)
    listed = ", ".join(sorted({_years(b.year_from, b.year_to) for b in entry.birth_dates}))
    if distance <= 1:
        return None  # an off-by-one year is a common data-entry slip, neither for nor against
    return Adjustment(
        "birth_year", BIRTH_YEAR_CONTRADICTS, gettext_noop("birth year %(year)s contradicts listed %(listed)s"),
        {"year": str(year), "listed": listed},
    )


def _years(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}-{end}"


def country_adjustment(entry: ListEntry, country: str) -> Adjustment | None:
    if country in entry.nationalities or country in entry.countries:
        return Adjustment("country", COUNTRY_MATCH, gettext_noop("country %(country)s matches"), {"country": country})
    if entry.nationalities:
        listed = ", ".join(entry.nationalities)
        return Adjustment(
            "nationality", NATIONALITY_CONTRADICTS, gettext_noop("nationality %(country)s contradicts listed %(listed)s"),
            {"country": country, "listed": listed},
        )
    return None


def gender_adjustment(entry: ListEntry, gender: str) -> Adjustment | None:
    if entry.gender and gender != entry.gender:
        return Adjustment(
            "gender", GENDER_CONTRADICTS, gettext_noop("gender %(gender)s contradicts listed %(listed)s"),
            {"gender": gender, "listed": entry.gender},
        )
    return None


def type_adjustment(entry: ListEntry, entry_type: str) -> Adjustment | None:
    if entry_type != entry.type:
        return Adjustment(
            "type", TYPE_CONTRADICTS, gettext_noop("type %(type)s differs from listed %(listed)s"),
            {"type": entry_type, "listed": entry.type},
        )
    return None
