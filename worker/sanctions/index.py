"""Every listed name and alias, indexed by character trigrams: a query is compared with a few candidates."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import OSA, Indel
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import ListEntry
from .normalize import comparison_mode, is_legal_form, is_serial, name_tokens, skeleton, vowel_outline
from .similarity import Spelling

# Trigrams found in more than this share of names ("al ", "moh") lengthen the search and barely discriminate.
_MAX_DF = 0.03
# Weight of a token: 1 when rarer than this many names, falling towards the floor for "al", "bin", "mohammed".
_RARE_DF = 20
_SMALL_LIST = 1_000
_WEIGHT_FLOOR = 0.2
_SHORT_WEIGHT = 0.3
_LEGAL_FORM_WEIGHT = 0.2
# A rare serial number (normalize.is_serial) says more of who is named than a word, and no person's name has
# one. Two slips in "RA" left "jo-02791" unflagged.
_SERIAL_WEIGHT = 2.0
# A name with the same consonant outlines is a candidate whatever the trigrams say ("Мухаммад Фаисал" ranks
# below twenty other Faisals), when its letters are close enough: Jeffrey Ellison is not Gafur Elshani.
_SAME_OUTLINES_LETTERS_MIN = 0.75
# A name written in another script (Cyrillic "моксинг картун", Moxing Cartoon) keeps its outlines through
# transliteration, not its letters: "ks" for "x", "u" for "oo", "k" for "c".
_SAME_OUTLINES_TRANSLITERATED_MIN = 0.5
# A rare listed word misspelt twice ("lhammaki" for HAMMAMI, "mohler" for MOKHBER) shares too few trigrams to
# outrank the other Omars and Mohammads of the list: words a slip or two apart are found by shared deletions.
_NEAR_MIN_LENGTH = 4
# Two slips apart are found for words of 7 letters or more (and checked against words of 6 or more): shorter
# words share deletions with too many others to be worth it.
_NEAR_TWO_SLIPS_LENGTH = 7
_NEAR_TWO_SLIPS_MIN = 6
_NEAR_RECORDS = 5  # the ones with most trigrams in common


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
                for tokens, surname in _listed_tokens(name, entry.type):
                    if tokens and tokens not in seen:
                        seen.add(tokens)
                        names.append((position, name, tokens, surname, quality))
        document_frequency = Counter(t for _, _, tokens, _, _ in names for t in set(tokens))
        scale = math.log(len(names) / _RARE_DF)
        self._weights = {
            token: min(1.0, max(_WEIGHT_FLOOR, math.log(len(names) / df) / scale))
            for token, df in document_frequency.items()
            if df > _RARE_DF
        }
        self.records = [
            NameRecord(
                position,
                name,
                self._legal_forms_light(
                    self.spell(tokens, comparison_mode(name), surname), entries[position].type
                ),
                quality,
            )
            for position, name, tokens, surname, quality in names
        ]
        # char_wb trigrams ignore word order; the consonant index serves queries in vowel-less scripts.
        # The cut of common trigrams only makes sense on large lists: on a small in-house list 3% is not even
        # one name, and every trigram is needed.
        max_df = _MAX_DF if len(self.records) >= _SMALL_LIST else 1.0
        self._words = _GramIndex([r.spelling.tokens for r in self.records], ngrams=(3, 3), max_df=max_df)
        # No max_df here: outlines are short, their few n-grams are all they have.
        self._consonants = _GramIndex([r.spelling.outlines for r in self.records], ngrams=(2, 3), max_df=1.0)
        self._near = _NearWords([r.spelling.tokens for r in self.records], document_frequency)
        self._by_outlines: dict[tuple[str, ...], list[int]] = {}
        self._by_written: dict[tuple[str, ...], list[int]] = {}
        for position, record in enumerate(self.records):
            self._by_outlines.setdefault(tuple(sorted(record.spelling.outlines)), []).append(position)
            self._by_written.setdefault(_written(record.spelling.tokens), []).append(position)

    def spell(self, tokens: tuple[str, ...], mode: str = "tokens", surname: int = 0) -> Spelling:
        """Tokens with their outlines and weights; `mode` is normalize.comparison_mode of the written name,
        `surname` how many trailing tokens are a listed surname (Spelling.surname)."""
        # One- and two-letter words ("az", "al", an initial) say little even when the lists lack them; not so
        # in scripts without vowels ("تاج", Taj, is "tj") or Chinese syllables ("柯", Ke).
        short = _SHORT_WEIGHT if mode == "tokens" else 1.0
        unlisted = {t: _SERIAL_WEIGHT if is_serial(t) else 1.0 if len(t) > 2 else short for t in tokens}
        weights = tuple(self._weights.get(t, unlisted[t]) for t in tokens)
        outlines = tuple(skeleton(t, abjad=mode == "consonants") for t in tokens)
        return Spelling(tokens, outlines, weights, surname)

    @staticmethod
    def _legal_forms_light(spelling: Spelling, entry_type: str) -> Spelling:
        # A listed organisation keeps its legal form when it is all but one word of the name ("ALBATROS OOO"):
        # it says nothing of who is named, so a query leaving it out or spelling it otherwise loses little.
        if entry_type == "individual" or not any(is_legal_form(t) for t in spelling.tokens):
            return spelling
        weights = tuple(
            _LEGAL_FORM_WEIGHT if is_legal_form(t) else w for t, w in zip(spelling.tokens, spelling.weights)
        )
        return replace(spelling, weights=weights)

    def candidates(
        self,
        query: Spelling,
        *,
        consonants: bool,
        limit: int,
        min_cosine: float,
        transliterated: bool = False,
    ) -> np.ndarray:
        """Positions of the `limit` records most similar to the spelled query, best first, then any records
        with the same consonant outlines and close letters (less close when `transliterated` from another
        script), then records with a rare word a slip or two from a query word.

        Records whose n-gram cosine is under `min_cosine` share too little with the query to score well.
        """
        if consonants:
            similarities = self._consonants.cosines(query.outlines)
        else:
            similarities = self._words.cosines(query.tokens)
        columns = np.flatnonzero(similarities >= min_cosine)
        values = similarities[columns]
        if len(values) > limit:
            keep = np.argpartition(-values, limit)[:limit]
            values, columns = values[keep], columns[keep]
        found = columns[np.argsort(-values, kind="stable")]
        if consonants:
            # Short words ("سون وي", Sun Wei) share their n-grams with hundreds of names: a name written with
            # the same letters as Arabic script writes it is a candidate whatever the n-grams say.
            return _followed_by(found, self._by_written.get(_written(query.tokens), ()))
        letters = " ".join(sorted(query.tokens))
        alike = [
            position
            for position in self._by_outlines.get(tuple(sorted(query.outlines)), ())
            if Indel.normalized_similarity(letters, " ".join(sorted(self.records[position].spelling.tokens)))
            >= (_SAME_OUTLINES_TRANSLITERATED_MIN if transliterated else _SAME_OUTLINES_LETTERS_MIN)
        ]
        near = sorted(self._near.records(query.tokens), key=lambda p: -similarities[p])[:_NEAR_RECORDS]
        return _followed_by(found, alike + near)

    def memory_bytes(self) -> int:
        """Size of the postings arrays; the records and vocabularies add Python object overhead."""
        return self._words.memory_bytes() + self._consonants.memory_bytes()


class _GramIndex:
    """TF-IDF cosine between a query and every record, over character n-grams of their tokens.

    sklearn fits the weights; queries are weighted here, from postings, because its per-call checks cost
    more than the search itself on one name.
    """

    def __init__(
        self, documents: Sequence[tuple[str, ...]], *, ngrams: tuple[int, int], max_df: float
    ) -> None:
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=ngrams, dtype=np.float32, sublinear_tf=True, max_df=max_df
        )
        matrix = vectorizer.fit_transform(" ".join(tokens) for tokens in documents)
        self._postings = matrix.T.tocsr()  # one row of (record, weight) per n-gram
        self._columns = vectorizer.vocabulary_
        self._idf = vectorizer.idf_.astype(np.float32)
        self._analyze = vectorizer.build_analyzer()
        self._size = matrix.shape[0]
        self._token_grams = lru_cache(maxsize=1 << 16)(self._grams)

    def _grams(self, token: str) -> tuple[int, ...]:
        # char_wb pads each word on its own, so a name's n-grams are the union of its tokens' n-grams.
        return tuple(c for c in (self._columns.get(g) for g in self._analyze(token)) if c is not None)

    def cosines(self, tokens: Sequence[str]) -> np.ndarray:
        counts = Counter(c for token in tokens for c in self._token_grams(token))
        if not counts:
            return np.zeros(self._size, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = (1 + np.log(tf)) * self._idf[columns]
        weights /= np.linalg.norm(weights)
        indptr, indices, data = self._postings.indptr, self._postings.indices, self._postings.data
        starts, lengths = indptr[columns], indptr[columns + 1] - indptr[columns]
        # Every posting of the query's n-grams in one gather: position k of n-gram g is starts[g] + k.
        ends = np.cumsum(lengths)
        positions = np.arange(ends[-1]) + np.repeat(starts - (ends - lengths), lengths)
        values = data[positions] * np.repeat(weights, lengths)
        return np.bincount(indices[positions], weights=values, minlength=self._size)

    def memory_bytes(self) -> int:
        m = self._postings
        return m.data.nbytes + m.indices.nbytes + m.indptr.nbytes


class _NearWords:
    """Rare listed words within a slip or two of a query word, by the deletions they share (symmetric delete
    search: two words one slip apart have a one-letter deletion in common), and the records holding them."""

    def __init__(self, documents: Sequence[tuple[str, ...]], document_frequency: Mapping[str, int]) -> None:
        holders: dict[str, list[int]] = {}
        self._listed = document_frequency.keys()
        for position, tokens in enumerate(documents):
            for token in set(tokens):
                if len(token) >= _NEAR_MIN_LENGTH and document_frequency[token] <= _RARE_DF:
                    holders.setdefault(token, []).append(position)
        self._words = list(holders)
        self._holders = [tuple(p) for p in holders.values()]
        # Deletions are looked up by their str hash: as a sorted array the ~500,000 of the shared lists take
        # 10 MB, as a dict of strings 80 MB more.
        pairs = [(hash(d), k) for k, word in enumerate(self._words) for d in _deletions(word)]
        keys = np.array([h for h, _ in pairs], dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._owners = np.array([k for _, k in pairs], dtype=np.int32)[order]

    def records(self, tokens: Sequence[str]) -> set[int]:
        # A word written as the list writes it is found by its trigrams.
        unknown = [t for t in tokens if len(t) >= _NEAR_MIN_LENGTH and t not in self._listed]
        if not unknown:
            return set()
        hashes = np.fromiter({hash(d) for token in unknown for d in _query_deletions(token)}, dtype=np.int64)
        left = np.searchsorted(self._keys, hashes, side="left").tolist()
        right = np.searchsorted(self._keys, hashes, side="right").tolist()
        owners = {k for a, b in zip(left, right) if b > a for k in self._owners[a:b].tolist()}
        # Shared deletions only bound the distance (up to two deletions each side: four slips); check it.
        return {
            position
            for k in owners
            if any(_slips_apart(token, self._words[k]) for token in unknown)
            for position in self._holders[k]
        }


def _followed_by(found: np.ndarray, more: Sequence[int]) -> np.ndarray:
    """The positions found, then those of `more` not among them, each once."""
    known = set(found.tolist())
    extra = [p for p in dict.fromkeys(more) if p not in known]
    return np.concatenate([found, np.array(extra, dtype=found.dtype)]) if extra else found


def _deletions(word: str) -> frozenset[str]:
    """The word and the words it makes with one letter left out (two, for long words)."""
    one = {word[:i] + word[i + 1 :] for i in range(len(word))}
    if len(word) < _NEAR_TWO_SLIPS_LENGTH:
        return frozenset(one | {word})
    return frozenset({w[:i] + w[i + 1 :] for w in one for i in range(len(w))} | one | {word})


_query_deletions = lru_cache(maxsize=1 << 14)(_deletions)  # query words recur ("maria", "mohammed")


def _slips_apart(a: str, b: str) -> bool:
    allowed = 2 if min(len(a), len(b)) >= _NEAR_TWO_SLIPS_MIN else 1
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def _listed_tokens(name: str, entry_type: str) -> list[tuple[tuple[str, ...], int]]:
    """The name's tokens as indexed, one way or two, each with how many trailing ones are its surname
    (Spelling.surname).

    A name is indexed without titles and also with them: the words that are titles in one name are names in
    another (the vessel CAPTAIN YAKUBOVICH, IMPAN-COL, TAYSIR, Hajji), and Arabic script keeps them.
    """
    return [_ordered_tokens(name, entry_type, titles) for titles in (False, True)]


def _ordered_tokens(name: str, entry_type: str, titles: bool) -> tuple[tuple[str, ...], int]:
    # "SURNAME, Given Middle" is read "Given Middle SURNAME", so middle names sit between paired words.
    if entry_type == "individual" and name.count(",") == 1:
        surname, given = name.split(",")
        tokens = name_tokens(f"{given} {surname}", titles=titles)
        surname_tokens = name_tokens(surname, titles=titles)
        # Normalised apart, the parts may lose or split words otherwise: then no token is marked.
        if surname_tokens and tokens[-len(surname_tokens) :] == surname_tokens:
            return tokens, len(surname_tokens)
        return tokens, 0
    return name_tokens(name, titles=titles), 0


def _written(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words as Arabic script writes them (normalize.vowel_outline), in any order."""
    return tuple(sorted(vowel_outline(t) for t in tokens))
