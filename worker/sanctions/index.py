"""Every listed name and alias, indexed by character trigrams: a query is compared with a few candidates."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import ListEntry
from .normalize import is_abjad, name_tokens, skeleton
from .similarity import Spelling

# Trigrams found in more than this share of names ("al ", "moh") lengthen the search and barely discriminate.
_MAX_DF = 0.03
# Weight of a token: 1 when rarer than this many names, falling towards the floor for "al", "bin", "mohammed".
_RARE_DF = 20
_SMALL_LIST = 1_000
_WEIGHT_FLOOR = 0.2
_SHORT_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class NameRecord:
    entry: int  # position in Matcher.entries
    name: str  # as the list writes it
    spelling: Spelling
    quality: str | None  # None for the primary name


class NameIndex:
    def __init__(self, entries: Sequence[ListEntry]) -> None:
        names: list[tuple[int, str, tuple[str, ...], str | None]] = []
        for position, entry in enumerate(entries):
            seen: set[tuple[str, ...]] = set()
            written = [(entry.name, None)] + [(a.name, a.quality or "alias") for a in entry.aliases]
            for name, quality in written:
                tokens = _ordered_tokens(name, entry.type)
                if tokens and tokens not in seen:
                    seen.add(tokens)
                    names.append((position, name, tokens, quality))
        document_frequency = Counter(t for _, _, tokens, _ in names for t in set(tokens))
        scale = math.log(len(names) / _RARE_DF)
        self._weights = {
            token: min(1.0, max(_WEIGHT_FLOOR, math.log(len(names) / df) / scale))
            for token, df in document_frequency.items()
            if df > _RARE_DF
        }
        self.records = [
            NameRecord(position, name, self.spell(tokens, abjad=is_abjad(name)), quality)
            for position, name, tokens, quality in names
        ]
        # char_wb trigrams ignore word order; the consonant index serves queries in vowel-less scripts.
        # The cut of common trigrams only makes sense on large lists: on a small in-house list 3% is not even
        # one name, and every trigram is needed.
        max_df = _MAX_DF if len(self.records) >= _SMALL_LIST else 1.0
        self._words = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 3), dtype=np.float32, sublinear_tf=True, max_df=max_df
        )
        self._words_t = self._words.fit_transform(" ".join(r.spelling.tokens) for r in self.records).T.tocsr()
        # No max_df here: outlines are short, their few n-grams are all they have.
        self._consonants = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 3), dtype=np.float32, sublinear_tf=True
        )
        self._consonants_t = self._consonants.fit_transform(
            " ".join(r.spelling.outlines) for r in self.records
        ).T.tocsr()

    def spell(self, tokens: tuple[str, ...], *, abjad: bool = False) -> Spelling:
        # One- and two-letter words ("az", "al", an initial) say little even when the lists lack them.
        weights = tuple(self._weights.get(t, 1.0 if len(t) > 2 else _SHORT_WEIGHT) for t in tokens)
        return Spelling(tokens, tuple(skeleton(t, abjad=abjad) for t in tokens), weights)

    def candidates(
        self, queries: Sequence[Spelling], *, consonants: bool, limit: int, min_cosine: float
    ) -> list[np.ndarray]:
        """For each spelled query, the positions of the `limit` most similar records, best first.

        Records whose n-gram cosine is under `min_cosine` share too little with the query to score well.
        """
        if consonants:
            vectors = self._consonants.transform([" ".join(q.outlines) for q in queries])
            similarities = (vectors @ self._consonants_t).tocsr()
        else:
            vectors = self._words.transform([" ".join(q.tokens) for q in queries])
            similarities = (vectors @ self._words_t).tocsr()
        found = []
        for row in range(similarities.shape[0]):
            start, end = similarities.indptr[row], similarities.indptr[row + 1]
            values, columns = similarities.data[start:end], similarities.indices[start:end]
            close = values >= min_cosine
            values, columns = values[close], columns[close]
            if len(values) > limit:
                keep = np.argpartition(-values, limit)[:limit]
                values, columns = values[keep], columns[keep]
            found.append(columns[np.argsort(-values)])
        return found

    def memory_bytes(self) -> int:
        """Size of the sparse matrices; the records and vocabularies add Python object overhead."""
        return sum(
            m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (self._words_t, self._consonants_t)
        )


def _ordered_tokens(name: str, entry_type: str) -> tuple[str, ...]:
    # "SURNAME, Given Middle" is read "Given Middle SURNAME", so middle names sit between paired words.
    if entry_type == "individual" and name.count(",") == 1:
        surname, given = name.split(",")
        return name_tokens(f"{given} {surname}")
    return name_tokens(name)
