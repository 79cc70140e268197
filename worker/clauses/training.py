"""Train the clause classifier on the CUAD split and measure it on a fixed validation part of it."""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import lightgbm
import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from worker.clauses.candidates import Candidate, candidates
from worker.clauses.categories import CATEGORIES
from worker.clauses.dataset import LabelledContract, is_validation
from worker.clauses.features import Featurizer
from worker.clauses.metric import matches, pooled_metrics, words
from worker.clauses.model import (
    NOVELTY_WIDTH,
    RERANK_CATEGORICAL,
    ClauseModel,
    block_logits,
    category_masks,
    novelty_features,
    ranked_by_category,
    rerank_features,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrainingParams:
    validation_fraction: float = 0.2
    linear_c: float = 16.0  # inverse L2 penalty of the linear stage (liblinear logistic regression)
    # The reranker learns from out-of-fold linear scores, the novelty model from out-of-fold reranker scores.
    rerank_folds: int = 3
    rerank_trees: int = 300  # of the reranker and of the novelty model
    seed: int = 0
    jobs: int = 2


@dataclass(frozen=True, slots=True)
class TrainingResult:
    model: ClauseModel
    metrics: dict
    seconds: float


def train(contracts: Sequence[LabelledContract], params: TrainingParams) -> TrainingResult:
    started = time.monotonic()
    train_set = [c for c in contracts if not is_validation(c.file, params.validation_fraction)]
    validation = [c for c in contracts if is_validation(c.file, params.validation_fraction)]
    cands = [candidates(c.text) for c in train_set]
    pairs = [(c.text, cs) for c, cs in zip(train_set, cands)]
    featurizer = Featurizer()
    blocks = featurizer.fit_transform(pairs)
    for block in blocks:
        # Put in canonical form here: the fitting processes get it read-only and LogisticRegression sorts it.
        block.sum_duplicates()
    labels = np.vstack([_labels(c, cs) for c, cs in zip(train_set, cands)])
    masks = np.vstack([category_masks(cs, len(c.text)) for c, cs in zip(train_set, cands)])
    # A sentence of a longer answer is not an answer by CUAD's Jaccard, yet its words are the answer's: the
    # linear stage learns neither way from it (validation AUPR 0.640 -> 0.649); the reranker still does.
    part_of_answer = np.vstack([_inside_answers(c, cs) for c, cs in zip(train_set, cands)]) & (labels == 0)
    linear_masks = masks & ~part_of_answer
    log.info("features for %d candidates of %d contracts", len(labels), len(train_set))

    # Out-of-fold linear scores, so the reranker learns from scores as they look on unseen contracts.
    fold_of_row = _fold_of_rows([len(cs) for cs in cands], params)
    out_of_fold = np.zeros((len(labels), len(blocks), len(CATEGORIES)), dtype=np.float32)
    for fold in range(params.rerank_folds):
        held_out = fold_of_row == fold
        fold_linear = [_fit_linear(b, labels, linear_masks & ~held_out[:, None], params) for b in blocks]
        out_of_fold[held_out] = block_logits([b[held_out] for b in blocks], fold_linear)
        log.info("linear fold %d done", fold)
    # The linear stage kept is fitted on all of the training contracts: it ranks better than the average of
    # the fold models did (validation AUPR 0.649 -> 0.660), for a quarter more training time.
    linear = [_fit_linear(block, labels, linear_masks, params) for block in blocks]

    rerank_rows, rerank_labels, rerank_index, offset = [], [], [], 0
    for contract, cs in zip(train_set, cands):
        rows, index = rerank_features(contract.text, cs, out_of_fold[offset : offset + len(cs)])
        rerank_rows.append(rows)
        rerank_labels.append(labels[offset + index[:, 0], index[:, 1]])
        rerank_index.append(index)
        offset += len(cs)
    rows, correct = np.vstack(rerank_rows), np.concatenate(rerank_labels)
    # The reranker's probability must not fall as the blocks' mean score rises (columns 0 and 3 hold it). Each
    # block's own score, in the last columns, is left free: constrained, it ranked worse (EXPERIMENTS.md).
    monotone = [1 if column in (0, 3) else 0 for column in range(rows.shape[1])]
    reranker = _fit_booster(rows, correct, monotone, params)
    novelty = _fit_novelty(train_set, cands, rows, rerank_index, correct, monotone, params)
    model = ClauseModel(featurizer, linear, reranker.booster_, novelty.booster_)
    return TrainingResult(model, evaluate(model, validation), time.monotonic() - started)


def evaluate(model: ClauseModel, contracts: Sequence[LabelledContract]) -> dict:
    """CUAD's pooled metrics over these contracts, overall and per category."""
    answers, predictions = {}, {}
    for contract in contracts:
        for category, spans in contract.spans.items():
            answers[contract.file, category] = [contract.text[s:e] for s, e in spans]
        for span in model.classify(contract.text):
            scored = predictions.setdefault((contract.file, span.category), {})
            text = contract.text[span.start : span.end]
            scored[text] = max(span.score, scored.get(text, 0.0))
    keys = [(c.file, category) for c in contracts for category in CATEGORIES]
    per_category = {
        category: pooled_metrics(answers, predictions, [k for k in keys if k[1] == category])
        for category in CATEGORIES
    }
    return {
        "contracts": len(contracts),
        "overall": pooled_metrics(answers, predictions, keys),
        "per_category": per_category,
    }


def _labels(contract: LabelledContract, cands: Sequence[Candidate]) -> np.ndarray:
    """(candidates x categories): 1 where a candidate would count as a correct answer under CUAD's metric."""
    labels = np.zeros((len(cands), len(CATEGORIES)), dtype=np.int8)
    texts = [contract.text[c.start : c.end] for c in cands]
    text_words = [words(t) for t in texts]
    sizes = np.array([len(w) for w in text_words])
    for column, category in enumerate(CATEGORIES):
        for answer in (contract.text[s:e] for s, e in contract.spans.get(category, ())):
            answer_words = words(answer)
            # Jaccard >= 0.5 needs word counts within a factor 2; Parties may match any longer span.
            low = len(answer_words) / 2
            high = np.inf if category == "Parties" else 2 * len(answer_words)
            for i in np.flatnonzero((sizes >= low) & (sizes <= high)):
                labels[i, column] |= matches(category, answer, answer_words, texts[i], text_words[i])
    return labels


def _fit_novelty(
    train_set: Sequence[LabelledContract],
    cands: Sequence[Sequence[Candidate]],
    rows: np.ndarray,
    rerank_index: Sequence[np.ndarray],
    correct: np.ndarray,
    monotone: list[int],
    params: TrainingParams,
) -> lightgbm.LGBMClassifier:
    """The novelty model, fitted on out-of-fold reranker scores: as they look on contracts it never saw.

    rows and correct are the reranker's training rows and labels, contract after contract; rerank_index
    holds each contract's (candidate, category) pairs, one per row.
    """
    rows_per_contract = [len(index) for index in rerank_index]
    fold_of_row = _fold_of_rows(rows_per_contract, params)
    scores = np.zeros(len(correct))
    for fold in range(params.rerank_folds):
        held_out = fold_of_row == fold
        fold_reranker = _fit_booster(rows[~held_out], correct[~held_out], monotone, params)
        scores[held_out] = fold_reranker.predict_proba(rows[held_out])[:, 1]
    novelty_rows, novelty_labels = [], []
    starts = np.cumsum(rows_per_contract)[:-1]
    contract_rows, contract_scores = np.split(rows, starts), np.split(scores, starts)
    for contract, cs, r, index, p in zip(train_set, cands, contract_rows, rerank_index, contract_scores):
        novelty_rows.append(np.hstack([r, novelty_features(contract.text, cs, index, p)]))
        novelty_labels.append(_novel(contract, cs, index, p))
    features, labels = np.vstack(novelty_rows), np.concatenate(novelty_labels)
    # A span that finds only answers better spans found changes nothing on CUAD's curve, whatever its score:
    # the novelty model learns from the spans that find a new answer and from those that find none.
    counts = labels >= 0
    novelty_monotone = monotone + [1] + [0] * (NOVELTY_WIDTH - 1)  # column 0 of novelty_features: the score
    return _fit_booster(features[counts], labels[counts], novelty_monotone, params)


def _novel(
    contract: LabelledContract, cands: Sequence[Candidate], index: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """For each reranked span: 1 if it finds an answer that no better-scored span of its category found, -1 if
    it finds only answers they found, 0 if it finds none."""
    novel = np.zeros(len(index), dtype=np.int8)
    for column, rows in ranked_by_category(index, scores):
        category = CATEGORIES[column]
        answers = [contract.text[s:e] for s, e in contract.spans.get(category, ())]
        answer_words = [words(a) for a in answers]
        found: set[int] = set()
        for row in rows:
            c = cands[index[row, 0]]
            span = contract.text[c.start : c.end]
            span_words = words(span)
            hits = {
                k for k, a in enumerate(answers) if matches(category, a, answer_words[k], span, span_words)
            }
            novel[row] = 1 if hits - found else -1 if hits else 0
            found |= hits
    return novel


def _inside_answers(contract: LabelledContract, cands: Sequence[Candidate]) -> np.ndarray:
    """(candidates x categories): True where most of a candidate lies inside an answer of that category."""
    inside = np.zeros((len(cands), len(CATEGORIES)), dtype=bool)
    starts = np.array([c.start for c in cands])
    ends = np.array([c.end for c in cands])
    for column, category in enumerate(CATEGORIES):
        for start, end in contract.spans.get(category, ()):
            overlap = np.minimum(ends, end) - np.maximum(starts, start)
            inside[:, column] |= overlap > (ends - starts) / 2
    return inside


def _fold_of_rows(rows_per_contract: Sequence[int], params: TrainingParams) -> np.ndarray:
    """Each row's fold: contracts are dealt to the folds in turn, so the linear stage's folds and the
    reranker's hold out the same contracts."""
    return np.repeat(np.arange(len(rows_per_contract)) % params.rerank_folds, rows_per_contract)


def _fit_booster(
    rows: np.ndarray, labels: np.ndarray, monotone: list[int], params: TrainingParams
) -> lightgbm.LGBMClassifier:
    booster = lightgbm.LGBMClassifier(
        n_estimators=params.rerank_trees,
        learning_rate=0.05,
        num_leaves=15,
        min_child_samples=100,
        monotone_constraints=monotone,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.9,
        # Where the scores so far are near zero, a leaf's hessians are tiny, and without an L2 term its value
        # can blow up: the letter n-gram stage once scored nonsense sentences 1.0 this way (EXPERIMENTS.md).
        reg_lambda=1.0,
        random_state=params.seed,
        n_jobs=params.jobs,
        verbose=-1,
        deterministic=True,
    )
    return booster.fit(rows, labels, categorical_feature=list(RERANK_CATEGORICAL))


def _fit_linear(
    features: sparse.csr_matrix, labels: np.ndarray, masks: np.ndarray, params: TrainingParams
) -> tuple[np.ndarray, np.ndarray]:
    """One logistic model per category, on the candidates that category may use (masks)."""
    fitted = Parallel(n_jobs=params.jobs)(
        delayed(_fit_category)(features[masks[:, j]], labels[masks[:, j], j], params)
        for j in range(len(CATEGORIES))
    )
    weights = np.column_stack([w for w, _ in fitted]).astype(np.float32)
    return weights, np.array([b for _, b in fitted], dtype=np.float32)


def _fit_category(
    features: sparse.csr_matrix, labels: np.ndarray, params: TrainingParams
) -> tuple[np.ndarray, float]:
    if labels.size == 0 or labels.min() == labels.max():  # nothing to learn: a constant, near-zero score
        return np.zeros(features.shape[1], dtype=np.float32), -10.0
    # Fitted to convergence and unweighted, it ranks answers better than a weighted SGD did (validation P@80R
    # 0.134 -> 0.170, the rest unchanged); the reranker calibrates its scores. liblinear penalises the
    # intercept like a weight: scaled up, it is barely penalised (AUPR 0.620 -> 0.634).
    regression = LogisticRegression(
        C=params.linear_c, solver="liblinear", intercept_scaling=10, max_iter=200, random_state=params.seed
    )
    regression.fit(features, labels)
    return regression.coef_[0], float(regression.intercept_[0])
