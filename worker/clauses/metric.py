"""CUAD's span-level metric: pooled precision/recall over confidence thresholds, word-set Jaccard >= 0.5.

Implemented here so training can record validation figures without the shared scoring tool; the bench
script cross-checks these figures with /work/shared/tools/cuad_score.py.
"""

from collections.abc import Iterable, Mapping, Sequence

MATCH_JACCARD = 0.5
THRESHOLDS = [round(0.99 - 0.01 * i, 2) for i in range(99)] + [0.001, 0.0]
_STRIPPED = str.maketrans("", "", ".,;:")


def words(text: str) -> frozenset[str]:
    return frozenset(text.translate(_STRIPPED).lower().replace("/", " ").split(" "))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


def matches(
    category: str,
    answer: str,
    answer_words: frozenset[str],
    prediction: str,
    prediction_words: frozenset[str],
) -> bool:
    """Does a predicted text find a labelled answer? Parties also match when the answer is inside."""
    return jaccard(answer_words, prediction_words) >= MATCH_JACCARD or (
        category == "Parties" and answer in prediction
    )


def pooled_metrics(
    answers: Mapping[tuple[str, str], Sequence[str]],
    predictions: Mapping[tuple[str, str], Mapping[str, float]],
    keys: Iterable[tuple[str, str]],
) -> dict[str, float]:
    """answers and predictions are keyed by (file, category); predictions map a span's text to its score."""
    total, predicted, found = 0, [], []
    for key in keys:
        gold = [(a, words(a)) for a in answers.get(key, ())]
        total += len(gold)
        preds = [(p, words(p), s) for p, s in predictions.get(key, {}).items()]
        predicted += [(s, any(matches(key[1], a, aw, p, pw) for a, aw in gold)) for p, pw, s in preds]
        found += [
            max((s for p, pw, s in preds if matches(key[1], a, aw, p, pw)), default=None) for a, aw in gold
        ]
    points = []
    for threshold in THRESHOLDS:
        tp = sum(1 for s in found if s is not None and s > threshold)
        fp = sum(1 for s, ok in predicted if s > threshold and not ok)
        points.append((tp / (tp + fp) if tp + fp else None, tp / total if total else None))
    return _summarize(points)


def _summarize(points: list[tuple[float | None, float | None]]) -> dict[str, float]:
    precisions = [1.0] + [p for p, _ in points]
    recalls = [0.0] + [r for _, r in points]
    # Interpolated precision: the best precision at this or any lower threshold (NaN where nothing is kept).
    monotone, best = [], None
    for p in reversed(precisions):
        if p is not None:
            best = p if best is None else max(best, p)
        monotone.append(best)
    monotone.reverse()
    aupr = sum(
        (recalls[i] - recalls[i - 1]) * (monotone[i] + monotone[i - 1]) / 2
        for i in range(1, len(recalls))
        if None not in (recalls[i], recalls[i - 1], monotone[i], monotone[i - 1])
    )

    def precision_at(minimum_recall: float) -> float:
        return next(
            (p or 0.0 for p, r in zip(monotone[1:], recalls[1:]) if r is not None and r >= minimum_recall),
            0.0,
        )

    return {
        "aupr": round(aupr, 4),
        "p_at_80r": round(precision_at(0.8), 4),
        "p_at_90r": round(precision_at(0.9), 4),
        "max_recall": round(max((r for r in recalls if r is not None), default=0.0), 4),
    }
