"""Turn candidate spans into sparse features in two blocks: the span's words, its shape and, for short
answers, the words around it; then the span's letter n-grams.

A date or a party name says little by itself: "made as of June 21, 1999" is the agreement date, "launched on
June 21, 1999" is not. Their surroundings lifted validation AUPR 0.632 -> 0.640 (Effective Date 0.45 -> 0.61,
Agreement Date 0.78 -> 0.81, Parties 0.83 -> 0.85). Sentences and clauses carry their own words: the words
around them made the linear stage rank answers worse (validation P@80R 0.197 without them, 0.170 with).

Letter n-grams see what words miss: inflections, words run together or split by a PDF's text layer. Each
block has a linear stage of its own, and the reranker reads their mean and each one (model.rerank_features).
With letters, validation AUPR went 0.662 -> 0.669 and P@80R 0.231 -> 0.269; out of fold on the training
contracts, 0.648 -> 0.666 and 0.226 -> 0.262. In an earlier scratch run, three- to five-letter n-grams alone
ranked worse than words alone (AUPR 0.639, P@80R 0.202).
"""

import math
import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from worker.clauses.candidates import OPENING_CHARS, Candidate

KINDS = ("heading", "clause", "sentence", "date", "title", "party")
SURROUNDED_KINDS = ("date", "party")
BEFORE_CHARS, AFTER_CHARS = 80, 30
_DIGITS = re.compile(r"\d")


def _normalize(text: str) -> str:
    # Numbers matter by shape ("30 days", "1999"), not by value.
    return _DIGITS.sub("0", text.lower())


def _words() -> TfidfVectorizer:
    # Words and word pairs in three candidates or more: 101,204 span terms and 14,180 surrounding terms on the
    # CUAD training contracts, so no cap on the number of terms is needed.
    return TfidfVectorizer(
        preprocessor=_normalize, ngram_range=(1, 2), min_df=3, sublinear_tf=True, dtype=np.float32
    )


def _letters() -> TfidfVectorizer:
    # Four letters within a word, in five candidates or more: 22,748 terms and 81 per candidate on the CUAD
    # training contracts. Three to five letters (64,284 terms, 237 per candidate) ranked as well and took 2.7
    # times as long to fit (EXPERIMENTS.md).
    return TfidfVectorizer(
        preprocessor=_normalize,
        analyzer="char_wb",
        ngram_range=(4, 4),
        min_df=5,
        sublinear_tf=True,
        dtype=np.float32,
    )


class Featurizer:
    """Fitted once on the training candidates; transforms any contract's candidates the same way."""

    def __init__(self) -> None:
        self.span_words = _words()
        self.surroundings = _words()
        self.span_letters = _letters()

    def __getstate__(self) -> dict:
        # scikit-learn caches id(stop_words), a memory address, on each vectorizer; dropping that cache
        # keeps identical trainings byte-identical when pickled, so the artifact's sha256 is reproducible.
        for vectorizer in (self.span_words, self.surroundings, self.span_letters):
            vectorizer.__dict__.pop("_stop_words_id", None)
        return self.__dict__

    def fit_transform(self, contracts: Sequence[tuple[str, Sequence[Candidate]]]) -> list[sparse.csr_matrix]:
        """Fitted on the training candidates, their features in blocks: words, surroundings and shape; then
        letter n-grams."""
        spans = _span_texts(contracts)
        surroundings = self.surroundings.fit_transform(_surroundings(contracts))
        words = self._words_block(self.span_words.fit_transform(spans), surroundings, contracts)
        return [words, self.span_letters.fit_transform(spans)]

    def transform(self, contracts: Sequence[tuple[str, Sequence[Candidate]]]) -> list[sparse.csr_matrix]:
        spans = _span_texts(contracts)
        surroundings = self.surroundings.transform(_surroundings(contracts))
        words = self._words_block(self.span_words.transform(spans), surroundings, contracts)
        return [words, self.span_letters.transform(spans)]

    @staticmethod
    def _words_block(
        words: sparse.csr_matrix,
        surroundings: sparse.csr_matrix,
        contracts: Sequence[tuple[str, Sequence[Candidate]]],
    ) -> sparse.csr_matrix:
        shape = sparse.csr_matrix(np.vstack([_shape(text, cands) for text, cands in contracts]))
        return sparse.hstack([words, surroundings, shape], format="csr", dtype=np.float32)


def _span_texts(contracts: Sequence[tuple[str, Sequence[Candidate]]]) -> list[str]:
    return [text[c.start : c.end] for text, cands in contracts for c in cands]


def _surroundings(contracts: Sequence[tuple[str, Sequence[Candidate]]]) -> list[str]:
    """The words just before and after each short answer; nothing for the other kinds."""
    return [
        f"{text[max(0, c.start - BEFORE_CHARS) : c.start]} {text[c.end : c.end + AFTER_CHARS]}"
        if c.kind in SURROUNDED_KINDS
        else ""
        for text, cands in contracts
        for c in cands
    ]


def _shape(text: str, cands: Sequence[Candidate]) -> np.ndarray:
    """Kind, position in the contract, length and case of each candidate, as one-hot and scaled columns."""
    rows = np.zeros((len(cands), len(KINDS) + 10 + 2 + 10 + 4), dtype=np.float32)
    dates_seen = 0
    for i, c in enumerate(cands):
        span = text[c.start : c.end]
        rows[i, KINDS.index(c.kind)] = 1
        column = len(KINDS)
        rows[i, column + min(9, int(10 * c.start / max(1, len(text))))] = 1
        column += 10
        rows[i, column] = c.start < OPENING_CHARS
        rows[i, column + 1] = c.start < 500
        column += 2
        rows[i, column + min(9, int(math.log2(1 + len(span))))] = 1
        column += 10
        rows[i, column] = span.isupper()
        rows[i, column + 1] = span.istitle()
        if c.kind == "date":
            rows[i, column + 2] = dates_seen == 0
            rows[i, column + 3] = dates_seen == 1
            dates_seen += 1
    return rows
