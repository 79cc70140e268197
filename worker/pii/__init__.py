"""PII masking before any text reaches an LLM: Presidio with spaCy's small English model and a name
lexicon for English, SudachiPy and the cues of Japanese documents for Japanese."""

from functools import cache

from worker.pii.masked_text import MaskedText
from worker.pii.masker import Masker, MaskingSession, MaskResult, unmask
from worker.pii.spans import Entity

__all__ = ["Entity", "MaskResult", "MaskedText", "Masker", "MaskingSession", "shared_masker", "unmask"]


@cache
def shared_masker() -> Masker:
    """One masker per worker process: loading spaCy takes seconds."""
    return Masker()
