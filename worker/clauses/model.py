"""The clause classifier: scores candidate spans of a contract for each CUAD category.

Three stages. A linear model per category and block of features (words, letters) scores every candidate of
the kinds that can answer it. A gradient-boosted reranker then turns the best candidates of each category
into one probability that the span is a correct answer, from the blocks' scores and how they compare with
the contract's other candidates; that is what makes scores comparable across categories and contracts.
A second booster, the novelty model, reads the reranker's scores of a category's spans together and judges
whether a span finds an answer that the better spans have not found already. A span's score is the
geometric mean of the two boosters' probabilities.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import lightgbm
import numpy as np
from scipy import sparse

from worker.clauses.candidates import OPENING_CHARS, Candidate, CandidateKind, candidates
from worker.clauses.categories import CATEGORIES
from worker.clauses.features import KINDS, Featurizer

# Which candidate kinds can answer a category; everything else is answered by sentences or clauses.
CATEGORY_KINDS: Mapping[str, tuple[CandidateKind, ...]] = {
    "Document Name": ("title", "heading"),
    # A clause naming both parties finds every party name in it (CUAD matches Parties by substring too).
    "Parties": ("party", "heading", "sentence", "clause"),
    "Agreement Date": ("date", "sentence"),
    "Effective Date": ("date", "sentence"),
}
CLAUSE_KINDS: tuple[CandidateKind, ...] = ("sentence", "clause")
# Ranked spans kept per category and contract: enough that recall keeps growing at low thresholds (validation
# recall stopped at 0.865 with 30; it is 0.910 with 100, of the 0.946 the candidates allow).
SPANS_PER_CATEGORY = 100
# Parties are named in the preamble; later sentences only mention them ("Provider shall ..."), and predicted
# for Parties they were the largest single source of false positives (validation AUPR 0.596 -> 0.612 without).
PREAMBLE_CHARS = 1500
RERANK_CATEGORICAL = (7, 8)  # columns of rerank_features holding the category and the kind
# Categories answered by short spans, whose candidates repeat one another's text (a party name in its
# preamble sentence and again in the signature block): the novelty model compares their texts as well.
SHORT_ANSWER_CATEGORIES = frozenset(CATEGORY_KINDS)
NOVELTY_WIDTH = 8  # columns of novelty_features


def kinds_for(category: str) -> tuple[CandidateKind, ...]:
    return CATEGORY_KINDS.get(category, CLAUSE_KINDS)


def category_masks(cands: Sequence[Candidate], text_length: int) -> np.ndarray:
    """(candidates x categories) booleans: may this candidate answer that category?

    The title is in the opening; party names are there and in the signature blocks, and a sentence naming
    the parties is in the preamble.
    """
    kinds = np.array([c.kind for c in cands])
    starts = np.array([c.start for c in cands])
    opening = starts < OPENING_CHARS
    masks = np.column_stack([np.isin(kinds, kinds_for(category)) for category in CATEGORIES])
    masks[:, CATEGORIES.index("Document Name")] &= opening
    prose = np.isin(kinds, CLAUSE_KINDS)
    masks[:, CATEGORIES.index("Parties")] &= np.where(
        prose, starts < PREAMBLE_CHARS, opening | (starts >= text_length - OPENING_CHARS)
    )
    return masks


def rerank_features(
    text: str, cands: Sequence[Candidate], block_logits: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Reranker inputs for the best distinct spans of each category of one contract, ranked by the mean of
    the blocks' linear scores (block_logits: candidates x blocks x categories).

    Returns the feature rows and, for each row, (candidate index, category index). A span whose text
    repeats a better one is skipped (CUAD counts a text once); overlap with better spans is a feature,
    so a clause around a better sentence can be told apart from a second, separate answer. Each block's
    own score is a column too: the reranker learns where words or letters are the better judge (validation
    AUPR 0.669 -> 0.673, out of fold on the training contracts 0.666 -> 0.670; EXPERIMENTS.md).
    """
    logits = block_logits.mean(axis=1)
    masks = category_masks(cands, len(text))
    rows, index = [], []
    for column in range(len(CATEGORIES)):
        allowed = np.flatnonzero(masks[:, column])
        if allowed.size == 0:
            continue
        scores = logits[allowed, column]
        best = scores.max()
        positive = float((scores > 0).sum())
        taken: list[Candidate] = []
        seen: set[str] = set()
        for i in np.argsort(-scores, kind="stable"):
            c = cands[allowed[i]]
            span = text[c.start : c.end]
            if span in seen:
                continue
            seen.add(span)
            inside = sum(t.start <= c.start and c.end <= t.end for t in taken)
            around = sum(c.start <= t.start and t.end <= c.end for t in taken)
            rows.append(
                (
                    scores[i],
                    len(taken),
                    best,
                    scores[i] - best,
                    positive,
                    inside,
                    around,
                    column,
                    KINDS.index(c.kind),
                    np.log1p(c.end - c.start),
                    c.start / max(1, len(text)),
                    np.log1p(c.start),
                    *block_logits[allowed[i], :, column],
                )
            )
            index.append((allowed[i], column))
            taken.append(c)
            if len(taken) == SPANS_PER_CATEGORY:
                break
    width = 12 + block_logits.shape[1]
    return np.array(rows, dtype=np.float32).reshape(-1, width), np.array(index, dtype=np.int64).reshape(-1, 2)


def ranked_by_category(index: np.ndarray, scores: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Each category's column and its rows (index as rerank_features returns it), best-scored first."""
    for column in np.unique(index[:, 1]):
        rows = np.flatnonzero(index[:, 1] == column)
        yield int(column), rows[np.argsort(-scores[rows], kind="stable")]


def novelty_features(
    text: str, cands: Sequence[Candidate], index: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """For each reranked span (index as rerank_features returns it, scores the reranker's): its score, its
    rank and what the better spans of its category in this contract already hold: the sum and best of their
    scores, and the best score among those that overlap it, those whose overlap with it is half their union
    or more, and, for short answers, those whose text contains its text or lies within it.
    """
    features = np.zeros((len(index), NOVELTY_WIDTH), dtype=np.float32)
    for column, rows in ranked_by_category(index, scores):
        p = scores[rows].astype(np.float32)
        starts = np.array([cands[i].start for i in index[rows, 0]])
        ends = np.array([cands[i].end for i in index[rows, 0]])
        overlap = np.minimum.outer(ends, ends) - np.maximum.outer(starts, starts)
        union = np.maximum.outer(ends, ends) - np.minimum.outer(starts, starts)
        better = np.tri(len(rows), k=-1, dtype=bool)  # [r, k]: span k ranks above span r

        def best(among: np.ndarray) -> np.ndarray:
            return np.where(among & better, p[None, :], 0.0).max(axis=1)

        if CATEGORIES[column] in SHORT_ANSWER_CATEGORIES:
            spans = [text[cands[i].start : cands[i].end] for i in index[rows, 0]]
            nested = np.array([[a in b or b in a for b in spans] for a in spans], dtype=bool)
        else:
            nested = np.zeros_like(better)
        features[rows] = np.column_stack(
            [
                p,
                np.arange(len(rows)),
                np.cumsum(p) - p,
                np.full(len(rows), p[0]),
                best(overlap > 0),
                best(overlap >= union / 2),
                best(nested),
                (better & (p[None, :] > 0.5)).sum(axis=1),
            ]
        )
    return features


@dataclass(frozen=True, slots=True)
class ClauseSpan:
    category: str
    start: int
    end: int
    score: float


@dataclass(slots=True)
class ClauseModel:
    featurizer: Featurizer
    # Per block of features: the linear stage's weights (features x categories) and biases (categories).
    linear: list[tuple[np.ndarray, np.ndarray]]
    reranker: lightgbm.Booster
    novelty: lightgbm.Booster

    def classify(self, text: str) -> list[ClauseSpan]:
        """The best-ranked spans of every category, each scored in [0, 1] by the reranker and the novelty
        model together."""
        cands = candidates(text)
        if not cands:
            return []
        logits = block_logits(self.featurizer.transform([(text, cands)]), self.linear)
        rows, index = rerank_features(text, cands, logits)
        correct = self.reranker.predict(rows, num_threads=1)  # a few hundred rows: threads cost more
        novel = self.novelty.predict(
            np.hstack([rows, novelty_features(text, cands, index, correct)]), num_threads=1
        )
        # Their geometric mean ranks better than either alone: validation AUPR 0.673 with the reranker alone,
        # 0.682 with the novelty model alone, 0.692 together; out of fold 0.670, 0.676 and 0.692.
        scores = np.sqrt(correct * novel)
        return [
            ClauseSpan(CATEGORIES[column], cands[i].start, cands[i].end, float(score))
            for (i, column), score in zip(index, scores)
        ]


def block_logits(
    blocks: Sequence[sparse.csr_matrix], linear: Sequence[tuple[np.ndarray, np.ndarray]]
) -> np.ndarray:
    """(candidates x blocks x categories): each block's linear scores."""
    scores = [np.asarray(block @ weights) + biases for block, (weights, biases) in zip(blocks, linear)]
    return np.stack(scores, axis=1)
