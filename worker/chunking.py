"""Long text cut into pieces that fit a model's context, each at the most natural boundary that makes it fit.

A piece ends at a paragraph (a blank line) where it can, else at a line break, else after a sentence (English
or Japanese), else at a space, and only a paragraph of one unbroken run is cut between two characters. Cutting
at boundaries keeps names whole, so that the masker still recognises them in every piece.

Sizes are estimated in tokens without the model's tokenizer (the client has none, and the server may change),
generously, since a prompt over the context is refused rather than shortened. Measured with SmolLM2's
tokenizer: English prose takes about four characters a token, digits and punctuation about one each, Japanese
about 1.6 tokens a character.
"""

import re

_BOUNDARIES = (
    re.compile(r"\n[ \t\f\v\r\u3000]*\n\s*"),  # paragraphs
    re.compile(r"\n\s*"),  # lines
    re.compile(r"[.!?。！？][\"'”’)）」』]*\s*"),  # sentences
    re.compile(r"[\s、，,;；]+"),  # words and clauses
)


def estimated_tokens(text: str) -> int:
    return -(-sum(map(_thirds, text)) // 3)


def _thirds(char: str) -> int:
    """A character's estimated share of a token, in thirds of a token: ASCII letters and spaces a third, other
    ASCII characters one token, any other character two."""
    if not char.isascii():
        return 6
    return 1 if char.isalpha() or char.isspace() else 3


def chunk_text(text: str, budget: int) -> list[str]:
    """`text` in order, in pieces of at most `budget` estimated tokens, stripped; no piece is empty."""
    if budget < 1:
        raise ValueError("a chunk budget is at least one token")
    return [piece.strip() for piece in _pack(text, budget, level=0) if piece.strip()]


def _pack(text: str, budget: int, level: int) -> list[str]:
    """Consecutive pieces of `text` split at the boundaries of `level`, joined while they fit the budget; a piece
    that alone is too large is split at the next, finer boundary."""
    if estimated_tokens(text) <= budget:
        return [text]
    if level == len(_BOUNDARIES):
        return _cut(text, budget)
    chunks, current, size = [], "", 0
    for piece in _split(text, _BOUNDARIES[level]):
        piece_size = estimated_tokens(piece)
        if size + piece_size <= budget:
            current, size = current + piece, size + piece_size
            continue
        if current:
            chunks.append(current)
        if piece_size <= budget:
            current, size = piece, piece_size
        else:
            chunks.extend(_pack(piece, budget, level + 1))
            current, size = "", 0
    if current:
        chunks.append(current)
    return chunks


def _split(text: str, boundary: re.Pattern[str]) -> list[str]:
    """`text` cut after each boundary, which stays with the piece before it: joined, the pieces are `text`."""
    cuts = [match.end() for match in boundary.finditer(text) if 0 < match.end() < len(text)]
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]


def _cut(text: str, budget: int) -> list[str]:
    """`text` cut between characters, as late as the budget allows."""
    pieces, start, thirds = [], 0, 0
    for index, char in enumerate(text):
        thirds += _thirds(char)
        if thirds > 3 * budget:
            pieces.append(text[start:index])
            start, thirds = index, _thirds(char)
    pieces.append(text[start:])
    return pieces
