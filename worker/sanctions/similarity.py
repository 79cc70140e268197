"""How alike two tokenised names are, and which tokens paired up to say so."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel, JaroWinkler

# Tokens less alike than this are not the same word. Similarity is the mean of JaroWinkler (kind to
# transliteration) and OSA edit distance (strict on long words, one edit for a swap): "smith"/"smyth" 0.84,
# "langlois"/"llanos" 0.69.
TOKEN_MIN = 0.75
# Consonant outlines are short, so two of them look alike by chance more often.
CONSONANTS_MIN = 0.9
SHORT_OUTLINE = 0.8
CONSONANTS_MAX = 0.9
# Same consonant outline ("muhammad"/"mohammed", "dzhauish"/"jawish"): as alike as a one-letter slip.
SAME_OUTLINE = 0.9
# A token present on one side only costs less than a full mismatch: middle names are often left out.
UNPAIRED_COST = 0.5
MIDDLE_COST = 0.25
# Spacing differences ("alzomor"/"al zomor") are only trusted when the letters are nearly the same.
JOINED_MIN = 0.9


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairs: tuple[tuple[str, str, float], ...]  # (query token, listed token, similarity)
    unpaired_query: tuple[str, ...]
    unpaired_listed: tuple[str, ...]
    method: str  # "tokens", "consonants", "syllables" (see compare_names) or "joined" (spacing differs)


@dataclass(frozen=True, slots=True)
class Spelling:
    """A name's tokens with what comparisons need of each: consonant outline and weight."""

    tokens: tuple[str, ...]
    outlines: tuple[str, ...]  # normalize.skeleton of each token
    weights: tuple[float, ...]  # rare tokens weigh more than "al" or "mohammed"


def compare_names(query: Spelling, listed: Spelling, mode: str = "tokens") -> NameComparison:
    """Weighted token alignment, in any order.

    mode "consonants" compares outlines (vowel-less scripts); "syllables" pairs equal tokens only (Chinese
    characters are syllables: "xin" and "xian" are different names, not a typo).
    """
    consonants = mode == "consonants"
    if consonants:
        query, listed = _without_article(query), _without_article(listed)
    candidates = []
    for i, q in enumerate(query.tokens):
        for j, c in enumerate(listed.tokens):
            similarity = _token_similarity(q, c, query.outlines[i], listed.outlines[j], mode)
            if similarity:
                candidates.append((similarity, i, j))
    candidates.sort(reverse=True)
    paired_q: set[int] = set()
    paired_c: set[int] = set()
    pairs = []
    gained = total = 0.0
    for similarity, i, j in candidates:
        if i in paired_q or j in paired_c:
            continue
        paired_q.add(i)
        paired_c.add(j)
        w = (query.weights[i] + listed.weights[j]) / 2
        # Rescaled so a barely-alike pair (0.75) counts for 0.625: alike is not the same.
        gained += w * (1 - 1.5 * (1 - similarity))
        total += w
        pairs.append((query.tokens[i], listed.tokens[j], round(similarity, 3)))
    # In Chinese every syllable is part of the name: a missing one makes another name, not a middle name.
    costs = (1.0, 1.0) if mode == "syllables" else (UNPAIRED_COST, MIDDLE_COST)
    total += _unpaired_cost(query.weights, paired_q, *costs)
    total += _unpaired_cost(listed.weights, paired_c, *costs)
    score = gained / total if total else 0.0
    unpaired_q = tuple(t for i, t in enumerate(query.tokens) if i not in paired_q)
    unpaired_c = tuple(t for j, t in enumerate(listed.tokens) if j not in paired_c)
    if not consonants and len(query.tokens) != len(listed.tokens):
        # "Alzomor" against "Al Zomor", "Zhiqiang" against "Zhi Qiang": the same letters spaced differently.
        joined = Indel.normalized_similarity("".join(query.tokens), "".join(listed.tokens))
        if joined > score and joined >= (1.0 if mode == "syllables" else JOINED_MIN):
            return NameComparison(joined, tuple(pairs), unpaired_q, unpaired_c, "joined")
    if consonants:
        # Without vowels "Hasan" and "Husin" look the same: the name alone never decides a match.
        score = min(score, CONSONANTS_MAX)
    return NameComparison(score, tuple(pairs), unpaired_q, unpaired_c, mode)


@lru_cache(maxsize=1 << 16)  # the same word pairs recur from query to query ("mohammed", "company")
def _token_similarity(q: str, c: str, q_outline: str, c_outline: str, mode: str) -> float:
    """How alike two tokens are; 0 when too unlike to pair. Consonants mode compares their outlines."""
    if q == c:
        return 1.0
    if mode == "syllables":
        return 0.0
    if mode == "consonants":
        if q_outline == c_outline:
            # Two-consonant outlines are shared by many unrelated names ("ms": Musa, Moses, Mousse).
            return SHORT_OUTLINE if len(q_outline) < 3 else 1.0
        similarity = _alike(q_outline, c_outline)
        return similarity if similarity >= CONSONANTS_MIN else 0.0
    similarity = _alike(q, c)
    if similarity < TOKEN_MIN and _one_slip(q, c):
        similarity = TOKEN_MIN
    if similarity < SAME_OUTLINE and _same_outline(q, c, q_outline, c_outline):
        similarity = SAME_OUTLINE
    return similarity if similarity >= TOKEN_MIN else 0.0


def _alike(a: str, b: str) -> float:
    return (JaroWinkler.normalized_similarity(a, b) + OSA.normalized_similarity(a, b)) / 2


def _without_article(name: Spelling) -> Spelling:
    # The article ("al", "el", Arabic "ال") says nothing about who is named once vowels are gone.
    if "l" not in name.outlines:
        return name
    kept = [k for k, outline in enumerate(name.outlines) if outline != "l"]
    return Spelling(
        tuple(name.tokens[k] for k in kept),
        tuple(name.outlines[k] for k in kept),
        tuple(name.weights[k] for k in kept),
    )


def _unpaired_cost(weights: tuple[float, ...], paired: set[int], cost: float, middle_cost: float) -> float:
    # A word between two paired words is a middle name, the one most often left out or added.
    if len(paired) == len(weights):
        return 0.0
    first, last = (min(paired), max(paired)) if paired else (0, -1)
    return sum(
        (middle_cost if first < i < last else cost) * w for i, w in enumerate(weights) if i not in paired
    )


def _one_slip(query: str, listed: str) -> bool:
    # One slip in a short word ("Ali"/"Ani", "Wu"/"Wqu") still pairs, weakly; longer words pair anyway.
    return 2 <= len(query) <= 4 and 2 <= len(listed) <= 4 and OSA.distance(query, listed) == 1


def _same_outline(query: str, listed: str, query_outline: str, listed_outline: str) -> bool:
    # Two-letter outlines collide by chance ("mary"/"moore"), except for short particles ("bin"/"ben").
    if query_outline != listed_outline:
        return False
    return len(query_outline) >= 3 or max(len(query), len(listed)) <= 3
