"""Screening: a name (and what else is known) against every loaded list entry and alias."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from worker.messages import gettext_noop

from .countries import to_iso2
from .evidence import (
    BIRTH_DATE_MATCH,
    COUNTRY_MATCH,
    IDENTIFIER_MIN_LENGTH,
    Adjustment,
    birth_adjustment,
    country_adjustment,
    gender_adjustment,
    identifier_key,
    parse_query_birth,
    type_adjustment,
)
from .index import NameIndex, NameRecord
from .model import ENTRY_TYPES, ListEntry
from .normalize import comparison_mode, is_transliterated, name_tokens
from .similarity import NameComparison, Spelling, compare_names, letter_similarities

Decision = Literal["match", "review", "clear"]
# Weak aliases (UN "Low") are shared by many people, so a hit on one alone counts for less.
LOW_QUALITY_ALIAS = -0.05
_MAX_BONUS = BIRTH_DATE_MATCH + COUNTRY_MATCH
_GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}


@dataclass(frozen=True, slots=True)
class Thresholds:
    match: float = 0.93
    review: float = 0.70

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.match <= 1:
            raise ValueError("thresholds need 0 < review <= match <= 1")


@dataclass(frozen=True, slots=True)
class Query:
    full_name: str
    date_of_birth: str | None = None  # YYYY or YYYY-MM-DD
    nationality: str | None = None  # ISO code or country name
    gender: str | None = None
    identifiers: tuple[str, ...] = ()
    type: str | None = None  # individual / entity / vessel / aircraft


@dataclass(frozen=True, slots=True)
class Hit:
    list: str
    entry_id: str
    name: str
    score: float
    why: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        return {
            "list": self.list,
            "entry_id": self.entry_id,
            "name": self.name,
            "score": self.score,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    decision: Decision
    best_score: float
    matches: list[Hit] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "decision": self.decision,
            "best_score": self.best_score,
            "matches": [hit.as_dict() for hit in self.matches],
        }


@dataclass(frozen=True, slots=True)
class _Facts:
    """A query's optional fields, validated and normalised once."""

    birth: tuple[int, dt.date | None] | None  # year, and the date when the query gives one
    country: str | None
    gender: str | None
    type: str | None
    identifiers: tuple[str, ...]


class Matcher:
    """Screens queries against list entries and their aliases.

    Candidates come from a character n-gram index; each is scored by weighted token alignment
    (similarity.compare_names), then adjusted by birth date, country, gender and type (evidence.py). An exact
    identifier is decisive. Score >= thresholds.match is "match", >= thresholds.review is "review".
    """

    def __init__(
        self,
        entries: Iterable[ListEntry],
        *,
        thresholds: Thresholds = Thresholds(),
        candidates: int = 20,
        abjad_candidates: int = 60,
        min_cosine: float = 0.2,
        max_matches: int = 10,
    ) -> None:
        self.entries: list[ListEntry] = list(entries)
        self.thresholds = thresholds
        self._candidates = candidates
        self._abjad_candidates = abjad_candidates  # for vowel-less names with a short word (_crowded)
        self._min_cosine = min_cosine
        self._max_matches = max_matches
        self._index = NameIndex(self.entries)
        self._identifiers: dict[str, list[int]] = {}
        for position, entry in enumerate(self.entries):
            for identifier in entry.identifiers:
                key = identifier_key(identifier.number)
                if len(key) >= IDENTIFIER_MIN_LENGTH:
                    self._identifiers.setdefault(key, []).append(position)

    @property
    def index(self) -> NameIndex:
        return self._index

    def screen(self, query: Query) -> ScreeningResult:
        return self.screen_many([query])[0]

    def screen_many(self, queries: Sequence[Query]) -> list[ScreeningResult]:
        """Screen several queries; the same as screening them one by one."""
        facts = [_facts(q) for q in queries]
        modes = [comparison_mode(q.full_name) for q in queries]
        spellings = [
            self._index.spell(name_tokens(q.full_name), mode)
            for q, mode in zip(queries, modes)
        ]
        found = [
            self._index.candidates(
                spelling,
                consonants=mode == "consonants",
                limit=self._abjad_candidates if _crowded(spelling, mode) else self._candidates,
                min_cosine=self._min_cosine,
                transliterated=is_transliterated(q.full_name),
            )
            for q, spelling, mode in zip(queries, spellings, modes)
        ]
        return [
            self._result(spelling, fact, candidates, mode)
            for spelling, fact, candidates, mode in zip(spellings, facts, found, modes)
        ]

    def _result(
        self, spelling: Spelling, facts: _Facts, candidates: Iterable[int], mode: str
    ) -> ScreeningResult:
        best: dict[int, tuple[NameRecord, NameComparison]] = {}
        records = [self._index.records[position] for position in candidates]
        letters = letter_similarities(spelling, [r.spelling for r in records]) if mode == "tokens" else None
        for k, record in enumerate(records):
            comparison = compare_names(spelling, record.spelling, mode, letters[k] if letters else None)
            held = best.get(record.entry)
            if held is None or comparison.score > held[1].score:
                best[record.entry] = (record, comparison)
        decisive = {p for key in facts.identifiers for p in self._identifiers.get(key, ())}
        # Adjustments move a score by a few hundredths at most: explain only names that may be reported.
        floor = self.thresholds.review - _MAX_BONUS
        hits = [
            self._hit(entry, facts, best.get(entry), entry in decisive)
            for entry in set(best) | decisive
            if entry in decisive or best[entry][1].score >= floor
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.list, hit.entry_id))
        nearest = max((c.score for _, c in best.values()), default=0.0)
        best_score = hits[0].score if hits else round(nearest, 4)
        if decisive:
            decision: Decision = "match"
        elif best_score >= self.thresholds.match:
            decision = "match"
        elif best_score >= self.thresholds.review:
            decision = "review"
        else:
            decision = "clear"
        reported = [h for h in hits if h.score >= self.thresholds.review or h.why.get("identifier")]
        return ScreeningResult(decision, best_score, reported[: self._max_matches])

    def _hit(
        self, position: int, facts: _Facts, named: tuple[NameRecord, NameComparison] | None, decisive: bool
    ) -> Hit:
        entry = self.entries[position]
        why: dict[str, object] = {}
        score = 0.0
        adjustments: list[Adjustment | None] = []
        if named:
            record, comparison = named
            score = comparison.score
            why["name_pair"] = {
                "listed": record.name,
                "listed_as": record.quality or "primary name",
                "method": comparison.method,
                "similarity": round(comparison.score, 4),
                "paired_tokens": [list(p) for p in comparison.pairs],
                "unpaired_query_tokens": list(comparison.unpaired_query),
                "unpaired_listed_tokens": list(comparison.unpaired_listed),
            }
            if record.quality and record.quality.lower() == "low":
                adjustments.append(Adjustment("alias_quality", LOW_QUALITY_ALIAS, gettext_noop("low-quality alias")))
        if facts.birth:
            adjustments.append(birth_adjustment(entry, *facts.birth))
        if facts.country:
            adjustments.append(country_adjustment(entry, facts.country))
        if facts.gender:
            adjustments.append(gender_adjustment(entry, facts.gender))
        if facts.type:
            adjustments.append(type_adjustment(entry, facts.type))
        applied = [a for a in adjustments if a]
        score += sum(a.delta for a in applied)
        why["adjustments"] = [a.as_dict() for a in applied]
        if decisive:
            numbers = [i for i in entry.identifiers if identifier_key(i.number) in facts.identifiers]
            why["identifier"] = [
                f"{i.kind} {i.number}" + (f" ({i.country})" if i.country else "") for i in numbers
            ]
            score = 1.0
        return Hit(entry.list_name, entry.entry_id, entry.name, round(min(1.0, max(0.0, score)), 4), why)


def _crowded(spelling: Spelling, mode: str) -> bool:
    # Without written vowels, a word of one or two letters ("وو", Wu: "ww") is a part of hundreds of listed
    # names, and the right one often ranks 20th to 60th on n-grams alone.
    return mode == "consonants" and any(len(token) <= 2 for token in spelling.tokens)


def _facts(query: Query) -> _Facts:
    birth = parse_query_birth(query.date_of_birth) if query.date_of_birth else None
    gender = _GENDERS.get((query.gender or "").strip().lower())
    entry_type = (query.type or "").strip().lower() or None
    if entry_type and entry_type not in ENTRY_TYPES:
        raise ValueError(f"type must be one of {', '.join(ENTRY_TYPES)}")
    keys = tuple(k for k in (identifier_key(i) for i in query.identifiers) if len(k) >= IDENTIFIER_MIN_LENGTH)
    country = to_iso2(query.nationality)
    if query.nationality and query.nationality.strip() and country is None:
        raise ValueError(f"nationality {query.nationality[:40]!r} is not a country code or name")
    return _Facts(birth, country, gender, entry_type, keys)
