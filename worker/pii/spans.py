"""From the analyzer's raw results to the spans the masker replaces."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult

from worker.pii import name_context
from worker.pii.companies import ORGANIZATION, organisations_with_legal_form, overlaps
from worker.pii.names import is_name_shaped, neighbouring_names, trim_person

PERSON = "PERSON"
CUE_RECOGNIZERS = frozenset({"PersonCueRecognizer", "PersonBeforeDetailsRecognizer"})
# Scores of the persons these rules add: below the NER model's, above the analyzer's threshold.
LISTED_NAME_SCORE = 0.6
NAME_SHAPED_SCORE = 0.5


@dataclass(frozen=True)
class Entity:
    """A span of the input text the masker replaces; `type` is a Presidio entity type name."""

    type: str
    start: int
    end: int
    score: float


def clean_results(
    text: str, results: Iterable[RecognizerResult], companies: list[tuple[int, int]]
) -> list[Entity]:
    """Entities to mask from the analyzer's results. Organisations are not masked, unless shaped
    like a personal name; persons are trimmed to the name, cut where a company name starts, and
    joined by the names listed with them and the names their context tells (`name_context`).
    `companies` are the text's `company_spans`."""
    results = list(results)
    companies = companies + organisations_with_legal_form(text, results)
    entities = []
    for result in results:
        if result.entity_type == ORGANIZATION:
            span = (result.start, result.end)
            if is_name_shaped(text[result.start:result.end]) and not overlaps(*span, companies):
                entities.append(Entity(PERSON, result.start, result.end, NAME_SHAPED_SCORE))
        elif result.entity_type == PERSON:
            entities += _persons(text, result, companies)
        else:
            entities.append(Entity(result.entity_type, result.start, result.end, result.score))
    # Exact spans, lower-case and all-capital names included: nothing to trim.
    entities += [
        Entity(PERSON, *span, name_context.SCORE) for span in name_context.context_names(text)
        if not overlaps(*span, companies)
    ]
    return entities


def _persons(text: str, result: RecognizerResult, companies: list[tuple[int, int]]) -> list[Entity]:
    # The model runs a name into the company after it ("Fabio Rossi\nRossi Group S.r.l."): the part
    # before the company is the name.
    cut = min([start for start, _ in companies if result.start < start < result.end] + [result.end])
    from_cue = result.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) in CUE_RECOGNIZERS
    name = trim_person(text, result.start, cut, keep_capitals=from_cue)
    if name is None or overlaps(*name, companies):
        return []
    listed = neighbouring_names(text, name, companies)
    return [Entity(PERSON, *name, result.score)] + [Entity(PERSON, *span, LISTED_NAME_SCORE) for span in listed]


def resolve_overlaps(entities: Iterable[Entity]) -> list[Entity]:
    """Non-overlapping entities in text order: overlapping spans become their union, typed after
    the longest member (the most confident on a tie), so no detected character stays readable."""
    groups: list[list[Entity]] = []
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if groups and entity.start < max(e.end for e in groups[-1]):
            groups[-1].append(entity)
        else:
            groups.append([entity])
    resolved = []
    for group in groups:
        best = max(group, key=lambda e: (e.end - e.start, e.score))
        resolved.append(Entity(best.type, group[0].start, max(e.end for e in group), best.score))
    return resolved
