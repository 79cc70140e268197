"""The neutral structure every sanctions list is parsed into, whatever its publisher's format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from worker.messages import Refusal

EntryType = Literal["individual", "entity", "vessel", "aircraft"]
ENTRY_TYPES: tuple[str, ...] = ("individual", "entity", "vessel", "aircraft")


class MalformedListError(Refusal, ValueError):
    """A list file that cannot be trusted; the message names the line or element at fault."""


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    # Publisher's own grading where given (UN "Good"/"Low", OFAC "a.k.a."/"f.k.a."); None when absent.
    quality: str | None = None


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date, a year or a span of years; `approximate` widens the span by a year when comparing."""

    year_from: int
    year_to: int
    date: dt.date | None = None
    approximate: bool = False

    def contains_year(self, year: int) -> bool:
        slack = 1 if self.approximate else 0
        return self.year_from - slack <= year <= self.year_to + slack

    def year_distance(self, year: int) -> int:
        if self.contains_year(year):
            return 0
        return min(abs(year - self.year_from), abs(year - self.year_to))


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: str
    number: str
    country: str | None = None  # ISO 3166 alpha-2 when recognised, else the publisher's text


@dataclass(slots=True)
class ListEntry:
    list_name: str
    entry_id: str
    name: str
    type: EntryType
    aliases: list[Alias] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)  # ISO alpha-2 (nationality, citizenship)
    countries: list[str] = field(default_factory=list)  # ISO alpha-2 (addresses, birth place, registrations)
    identifiers: list[Identifier] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    gender: str | None = None  # "male" / "female" when the list says so


@dataclass(slots=True)
class ParsedList:
    list_name: str
    published: dt.date
    entries: list[ListEntry]
