"""The type of text that has been through the masker.

The LLM client accepts only `MaskedText`, so "masked before it reaches a model" is checked by the
type rather than trusted to a convention. Only the masker holds the key its constructor demands,
so a plain `str` cannot be turned into one; and it is not a `str`, so anything built from its
`.text` is a plain `str` again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

_MASKER_KEY = object()


class MaskedText:
    __slots__ = ("_text",)
    _text: str

    def __init__(self, text: str, *, key: object) -> None:
        if key is not _MASKER_KEY:
            raise TypeError("MaskedText is created by the PII masker only")
        object.__setattr__(self, "_text", text)

    @property
    def text(self) -> str:
        return self._text

    @classmethod
    def join(cls, parts: Iterable[MaskedText], separator: str = "\n\n") -> MaskedText:
        """Masked chunks of one document joined into one prompt text; the separator may only be
        whitespace, so nothing unmasked can be slipped in between."""
        items = list(parts)
        if separator.strip() or not all(isinstance(part, MaskedText) for part in items):
            raise TypeError("only MaskedText parts and a whitespace separator can be joined")
        return cls(separator.join(part.text for part in items), key=_MASKER_KEY)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("MaskedText is immutable")

    def __reduce__(self) -> NoReturn:
        # Unpickling would rebuild it without the key.
        raise TypeError("MaskedText cannot be pickled; mask the text where it is used")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"MaskedText({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaskedText) and other._text == self._text

    def __hash__(self) -> int:
        return hash((MaskedText, self._text))

    def __len__(self) -> int:
        return len(self._text)


def _seal(text: str) -> MaskedText:
    """Wrap the masker's output; imported by the masker module alone."""
    return MaskedText(text, key=_MASKER_KEY)
