"""PII masking before any text reaches an LLM (Presidio with spaCy's small English model)."""

from worker.pii.masked_text import MaskedText
from worker.pii.masker import Masker, MaskingSession, MaskResult, unmask
from worker.pii.spans import Entity

__all__ = ["Entity", "MaskResult", "MaskedText", "Masker", "MaskingSession", "unmask"]
