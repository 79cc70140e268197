"""Personal data in Japanese text (a paragraph with Japanese script in it): names from SudachiPy's
morphemes and the cues contracts and KYC files put around them (`names`), identifiers by their shape
(`identifiers`); company names stay readable (`companies`)."""

from __future__ import annotations

from worker.pii.japanese.identifiers import identifier_entities, my_number_valid
from worker.pii.japanese.names import known_name_mentions, known_names, person_entities
from worker.pii.japanese.text import fold_width, has_japanese
from worker.pii.spans import Entity

__all__ = [
    "fold_width", "has_japanese", "japanese_entities", "known_name_mentions", "known_names", "my_number_valid",
]


def japanese_entities(text: str) -> list[Entity]:
    """Personal data in one paragraph of Japanese (or mixed) text."""
    folded = fold_width(text)
    return person_entities(text, folded) + identifier_entities(folded)
