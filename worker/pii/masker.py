"""Masking personal data with consistent pseudonyms, and un-masking model output for display.

    masker = Masker()                         # once per process: loads spaCy
    session = masker.session()                # once per document
    results = session.mask_all(chunks)        # a MaskResult per chunk; same value -> same placeholder
    session.mapping                           # {"<PERSON_1>": "Jane Doe", ...}: store it encrypted
    unmask(llm_output, session.mapping)       # for display only
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine, RecognizerResult
from prometheus_client import Histogram

from worker.pii import japanese
from worker.pii.analyzer import analyze_batch, build_analyzer
from worker.pii.companies import company_spans
from worker.pii.masked_text import MaskedText, _seal
from worker.pii.names import known_name_mentions, name_words
from worker.pii.spans import PERSON, Entity, clean_results, resolve_overlaps

_PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_\d+>")
# A paragraph goes through the English analyzer unless it is Japanese without a Latin letter.
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# A known name found again by its words alone: as sure as the rules, less than the model.
KNOWN_NAME_SCORE = 0.6
# One observation per batch, in the process that masks (a worker): seconds divided by the characters masked.
# Japanese text takes a different analyzer, hence the label. See operations/instrumentation.py on processes.
SECONDS_PER_CHARACTER = Histogram(
    "workbench_masking_seconds_per_character", "Time to mask a batch of text, per character.", ["language"],
    buckets=(1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2),
)  # fmt: skip


@dataclass(frozen=True)
class MaskResult:
    masked: MaskedText
    # Offsets into the text that was masked.
    entities: tuple[Entity, ...]


class Masker:
    """The loaded analyzer. Build one per process (loading takes seconds); sessions only read it,
    so threads may share it as far as spaCy allows (Celery's prefork workers each build their own)."""

    def __init__(self) -> None:
        self._analyzer = build_analyzer()

    def session(self, resumed: Mapping[str, str] | None = None) -> MaskingSession:
        """A session for one document; `resumed` is the mapping an earlier session of it produced, so a value
        keeps its placeholder from one run to the next."""
        session = MaskingSession(self._analyzer)
        for placeholder, original in (resumed or {}).items():
            session.adopt(placeholder, original)
        return session


class MaskingSession:
    """Pseudonyms for one document: a value gets the same placeholder in every chunk, and a name
    found in one chunk is masked wherever it recurs in the others."""

    def __init__(self, analyzer: AnalyzerEngine) -> None:
        self._analyzer = analyzer
        self._placeholders: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._mapping: dict[str, str] = {}
        self._known_names: set[str] = set()
        self._known_japanese_names: set[str] = set()

    @property
    def mapping(self) -> Mapping[str, str]:
        """Placeholder -> original value, for every placeholder this session produced."""
        return dict(self._mapping)

    def mask(self, text: str) -> MaskResult:
        return self.mask_all([text])[0]

    def mask_all(self, texts: Sequence[str]) -> list[MaskResult]:
        """Mask chunks of the document in one batch: spaCy runs faster over a batch, and a name
        found in any chunk of the batch is masked in all of them. A chunk with Japanese in it is
        analysed by the Japanese rules, and by the English ones for its Latin-script words."""
        started = time.perf_counter()
        results = self._mask_batch(texts)
        if characters := sum(map(len, texts)):
            language = "ja" if any(map(japanese.has_japanese, texts)) else "en"
            SECONDS_PER_CHARACTER.labels(language).observe((time.perf_counter() - started) / characters)
        return results

    def _mask_batch(self, texts: Sequence[str]) -> list[MaskResult]:
        # Company names are found once per text: both the analysis and the known-name search skip them.
        companies = [company_spans(text) for text in texts]
        detected = [
            self._detect(text, results, named)
            for text, results, named in zip(texts, self._analyze_english(texts), companies)
        ]
        for text, entities in zip(texts, detected):
            self._known_names |= name_words(text, [(e.start, e.end) for e in entities if e.type == PERSON])
            self._known_japanese_names |= japanese.known_names(text, entities)
        return [
            self._mask_one(text, entities, named) for text, entities, named in zip(texts, detected, companies)
        ]

    def _analyze_english(self, texts: Sequence[str]) -> list[list[RecognizerResult]]:
        english = [
            i for i, text in enumerate(texts) if _LATIN_LETTER.search(text) or not japanese.has_japanese(text)
        ]
        results: list[list[RecognizerResult]] = [[] for _ in texts]
        for i, analyzed in zip(english, analyze_batch(self._analyzer, [texts[i] for i in english])):
            results[i] = analyzed
        return results

    @staticmethod
    def _detect(
        text: str, english_results: list[RecognizerResult], companies: list[tuple[int, int]]
    ) -> list[Entity]:
        entities = clean_results(text, english_results, companies)
        if not japanese.has_japanese(text):
            return entities
        latin_only = [e for e in entities if not japanese.has_japanese(text[e.start:e.end])]
        return latin_only + japanese.japanese_entities(text)

    def _mask_one(self, text: str, detected: list[Entity], companies: list[tuple[int, int]]) -> MaskResult:
        mentions = known_name_mentions(text, self._known_names, companies)
        if japanese.has_japanese(text):
            mentions += japanese.known_name_mentions(text, self._known_japanese_names)
        entities = resolve_overlaps(detected + [Entity(PERSON, *span, KNOWN_NAME_SCORE) for span in mentions])
        pieces, position = [], 0
        for entity in entities:  # in text order, so placeholders are numbered in order of appearance
            pieces += [text[position:entity.start], self.placeholder(entity.type, text[entity.start:entity.end])]
            position = entity.end
        masked = "".join(pieces) + text[position:]
        return MaskResult(_seal(masked), tuple(entities))

    def adopt(self, placeholder: str, original: str) -> None:
        """Take over a placeholder an earlier session gave `original`; new values are numbered after it."""
        entity_type, number = placeholder[1:-1].rsplit("_", 1)
        self._placeholders[(entity_type, original)] = placeholder
        self._counts[entity_type] = max(self._counts.get(entity_type, 0), int(number))
        self._mapping[placeholder] = original
        if entity_type == PERSON:  # a name of the earlier run is masked where it recurs in this one
            whole = [Entity(PERSON, 0, len(original), KNOWN_NAME_SCORE)]
            self._known_names |= name_words(original, [(0, len(original))])
            self._known_japanese_names |= japanese.known_names(original, whole)

    def placeholder(self, entity_type: str, original: str) -> str:
        """The placeholder of a value, numbered per type in order of first appearance."""
        key = (entity_type, original)
        if key not in self._placeholders:
            self._counts[entity_type] = self._counts.get(entity_type, 0) + 1
            placeholder = f"<{entity_type}_{self._counts[entity_type]}>"
            self._placeholders[key] = placeholder
            self._mapping[placeholder] = original
        return self._placeholders[key]


def unmask(text: str | MaskedText, mapping: Mapping[str, str]) -> str:
    """Put the original values back in place of their placeholders, for display only; placeholders
    the mapping does not know (a model may invent some) are left as they are."""
    return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(), m.group()), str(text))
