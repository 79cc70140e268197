"""Dates as lists and people write them: "12 Jan 1960", "Jan 1960", "1960", "circa 1960", "1958 to 1962",
"1960-1-12", "1960/01/12", "January 12, 1960", "1960年1月12日", full-width digits too."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from worker.messages import Refusal, gettext_noop

from .model import BirthDate

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"  # a name, or its start from three letters: "jul", "sept"
_FORMS = [
    re.compile(p)
    for p in (
        r"(?P<year>\d{4})(?:(?P<sep>[-/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?)?",  # 1969-7-16, 1969/07
        rf"(?:{_DAY}[\s-]+)?(?:{_MONTH}[\s-]+)?(?P<year>\d{{4}})",  # 16 July 1969, 16-Jul-1969, Jul 1969
        rf"{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})",  # July 16, 1969
        r"(?P<year>\d{4})\s*年(?:\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?)?",  # 1969年7月16日
    )
]


class DateError(Refusal, ValueError):
    """A date people typed that cannot be read, or a day that does not exist."""


UNREADABLE = gettext_noop("“%(value)s” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日.")
NO_SUCH_DAY = gettext_noop("“%(value)s” does not exist in the calendar.")


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A year, a month of a year, or a day; ValueError when the calendar has no such month or day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        dt.date(self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day)

    @property
    def date(self) -> dt.date | None:
        return None if self.day is None else dt.date(self.year, self.month, self.day)

    def isoformat(self) -> str:
        """"1969", "1969-07" or "1969-07-16"."""
        return f"{self.year:04d}" + "".join(f"-{part:02d}" for part in (self.month, self.day) if part is not None)


def _numbers(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) as written, not yet checked against the calendar; None when no form fits."""
    text = unicodedata.normalize("NFKC", text).strip().lower()  # full-width digits, "１９６９年"
    match = next(filter(None, (form.fullmatch(text) for form in _FORMS)), None)
    if match is None:
        return None
    month, day = match["month"], match["day"]
    if not month:
        return None if day else (int(match["year"]), None, None)  # "16 1969" has no month
    month_number = int(month) if month.isdigit() else _month_number(month)
    if month_number is None:
        return None
    return int(match["year"]), month_number, int(day) if day else None


def _month_number(name: str) -> int | None:
    return next((number for number, full in enumerate(_MONTHS, start=1) if full.startswith(name)), None)


def read_date(text: str) -> WrittenDate:
    """One date as people type it, checked against the calendar; DateError says what is wrong."""
    numbers = _numbers(text)
    if numbers is None:
        raise DateError(UNREADABLE, value=text.strip()[:40])
    try:
        return WrittenDate(*numbers)
    except ValueError as error:
        raise DateError(NO_SUCH_DAY, value=text.strip()[:40]) from error


def _point(text: str) -> tuple[int, dt.date | None] | None:
    """(year, full date or None) from list text; a day that does not exist still gives its year."""
    numbers = _numbers(text)
    if numbers is None:
        return None
    try:
        return numbers[0], WrittenDate(*numbers).date
    except ValueError:
        return numbers[0], None


def parse_birth_date(text: str) -> BirthDate | None:
    """A BirthDate from list text, or None when the text holds no usable date."""
    text = text.strip().rstrip(".")
    approximate = False
    lowered = text.lower()
    for hedge in ("circa ", "approximately ", "about "):
        if lowered.startswith(hedge):
            approximate, text = True, text[len(hedge) :]
            break
    if " to " in text:
        start, end = (_point(part) for part in text.split(" to ", 1))
        if start and end and start[0] <= end[0]:
            return BirthDate(start[0], end[0], approximate=approximate)
        return None
    point = _point(text)
    if point is None:
        return None
    return BirthDate(point[0], point[0], date=point[1], approximate=approximate)
