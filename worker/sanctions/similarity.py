"""How alike two tokenised names are, and which tokens paired up to say so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import itemgetter

import numpy as np
from rapidfuzz.distance import OSA, Indel, JaroWinkler
from rapidfuzz.process import cdist

from .normalize import is_serial, vowel_outline

# Tokens less alike than this are not the same word. Similarity is the mean of JaroWinkler (kind to
# transliteration) and OSA edit distance (strict on long words, one edit for a swap): "smith"/"smyth" 0.84,
# "langlois"/"llanos" 0.69.
TOKEN_MIN = 0.75
# Consonant outlines are short, so two of them look alike by chance more often.
CONSONANTS_MIN = 0.9
# Vowel-less tokens sharing only their outline: two consonants count for less than a barely-alike pair
# (Musa, Moses, Mousse are "ms"; "byd", Obaid, is not "abd"), three or more pair well; written vowels that
# agree too ("jmyl", Jamil) pair them as letters do.
SHORT_OUTLINE = 0.6
OUTLINE_ONLY = 0.85
CONSONANTS_MAX = 0.9
# Outlines of unrelated names agree by chance far more often than letters do: a vowel-less name needs more
# agreement before the same score means as much.
CONSONANTS_DISCOUNT = 0.05
# Same consonant outline ("muhammad"/"mohammed", "dzhauish"/"jawish"): as alike as a one-letter slip.
SAME_OUTLINE = 0.9
# A token present on one side only costs less than a full mismatch: middle names are often left out.
UNPAIRED_COST = 0.5
# Outlines pair so readily ("hsn": Hasan, Husin) that a vowel-less word pairing with nothing is surely a
# different word: "Nasr al-Din Bajila" is not the listed ANSAR EDDINE with a word more.
UNPAIRED_OUTLINE_COST = 0.75
MIDDLE_COST = 0.25
# Leaving the middle names out is one habit however many there are ("Jamal AL-SHATTI" for AL-SHATTI, Jamal
# Husayn 'Abd 'Ali 'Abd-al-Rahim): together they cost at most twice the weightiest of them.
MIDDLES_COUNTED = 2
# "l" is the Arabic article as transliterated ("الحوثي" gives "l", "hwthy"); Hilal ("hll") shares its outline.
ARTICLES = frozenset({"l", "al", "el"})
# Slavic surnames change with gender: Ivanova is Ivanov's wife or sister, not a spelling of his name.
GENDER_FORM = 0.75
_SURNAME_GENDERS = (("skiy", "skaya"), ("sky", "skaya"), ("ov", "ova"), ("ev", "eva"), ("in", "ina"))
# Spacing differences ("alzomor"/"al zomor") are only trusted when the letters are nearly the same.
JOINED_MIN = 0.9
JOINED_MAX_SLIPS = 1
# A listed word left out and another written differently are two departures at once: each alone is common
# ("Jesus Gonzalez" for GONZALEZ PENUELAS, Jesus; a slip), both together rarely name the same person.
# Particles and initials ("y", "de", "al") are left out too often to count.
TWO_DEPARTURES_COST = 0.08
# Two slips in a short word leave it unlike its listed self ("dwn"/"won", "aluji"/"ali"), yet when it is the
# only word not written the same, and the words that are weigh more, it is still that word, barely: "JO
# YONG-dWN" is JO YONG-WON. Without the weight condition, "Andrew Kent" paired with KAN, Andrew: 9 more of
# 48,000 ordinary names went to review.
SLIPPED_WORD = 0.7
SLIPPED_WORD_MIN_LENGTH = 3


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
    # Trailing tokens that are the surname of a name listed "SURNAME, Given Middle" (read in that order):
    # never middle names. "Daniel Oliveira" leaves out the first surname of RODRIGUEZ OLIVERA, Daniel, not a
    # middle name, and misspells the second: two departures, where a middle name left out would be one.
    surname: int = 0


def compare_names(
    query: Spelling, listed: Spelling, mode: str = "tokens", letters: list[list[float]] | None = None
) -> NameComparison:
    """Weighted token alignment, in any order.

    mode "consonants" compares outlines (vowel-less scripts); "syllables" pairs equal tokens only (Chinese
    characters are syllables: "xin" and "xian" are different names, not a typo). In "tokens" mode `letters`
    may bring the token similarities, computed for many names at once by letter_similarities.
    """
    consonants = mode == "consonants"
    if consonants:
        query, listed = _without_article(query), _without_article(listed)
    if mode == "tokens":
        table = letters if letters is not None else letter_similarities(query, [listed])[0]
    elif consonants:
        table = [
            [_consonant_similarity(q, c, q_o, c_o) for c, c_o in zip(listed.tokens, listed.outlines)]
            for q, q_o in zip(query.tokens, query.outlines)
        ]
    else:
        table = [[1.0 if q == c else 0.0 for c in listed.tokens] for q in query.tokens]
    candidates = [
        (similarity, i, j) for i, row in enumerate(table) for j, similarity in enumerate(row) if similarity
    ]
    if not candidates:  # most candidates: nothing pairs, though the letters may still be respaced
        nothing = NameComparison(0.0, (), query.tokens, listed.tokens, mode)
        return nothing if consonants else _respaced(query, listed, nothing)
    # Best pairs first; of equally alike pairs, the earlier words (the sort is stable and they were listed in
    # word order). A word the listed name repeats ("MOHAMMAD WALI MOHAMMAD EWAZ") then pairs with its first
    # occurrence, so what the query leaves out sits between paired words, as middle names do, not before them.
    candidates.sort(key=itemgetter(0), reverse=True)
    paired_q: set[int] = set()
    paired_c: set[int] = set()
    pairs = []
    gained = total = 0.0
    changed = False  # a pair not written the same
    same_serial = False  # a serial number written the same
    for similarity, i, j in candidates:
        if i in paired_q or j in paired_c:
            continue
        paired_q.add(i)
        paired_c.add(j)
        w = (query.weights[i] + listed.weights[j]) / 2
        gained += w * _credit(similarity)
        total += w
        pairs.append((query.tokens[i], listed.tokens[j], round(similarity, 3)))
        if similarity < 1:
            changed = True
        elif is_serial(query.tokens[i]):
            same_serial = True
    # The one word left on each side, the others written the same: a word with two slips (SLIPPED_WORD)?
    if (
        not changed
        and mode == "tokens"
        and len(query.tokens) - len(paired_q) == len(listed.tokens) - len(paired_c) == 1
    ):
        i = next(i for i in range(len(query.tokens)) if i not in paired_q)
        j = next(j for j in range(len(listed.tokens)) if j not in paired_c)
        q, c = query.tokens[i], listed.tokens[j]
        w = (query.weights[i] + listed.weights[j]) / 2
        two_slips = OSA.distance(q, c, score_cutoff=2) <= 2
        if total > w and min(len(q), len(c)) >= SLIPPED_WORD_MIN_LENGTH and two_slips:
            paired_q.add(i)
            paired_c.add(j)
            gained += w * _credit(SLIPPED_WORD)
            total += w
            pairs.append((q, c, SLIPPED_WORD))
            changed = True
    # In Chinese every syllable is part of the name: a missing one makes another name, not a middle name.
    if mode == "syllables":
        costs = (1.0, 1.0)
    else:
        costs = (UNPAIRED_OUTLINE_COST if consonants else UNPAIRED_COST, MIDDLE_COST)
    left_out = (MIDDLE_COST, MIDDLE_COST)  # words one side leaves out, as it leaves out middle names
    # A registration's letters ("RA-", "EP-") are a country's prefix: with the serial number written the same,
    # letters left out or written otherwise cost what a middle name does ("AtR-78846" for RA-78846).
    if same_serial:
        costs = left_out
    # A query holding the whole of a listed name of two words or more only adds to it, as a middle name does
    # ("VB Management EOOD" for VB MANAGEMENT). One listed word is too easily contained; outlines too.
    whole = mode == "tokens" and len(paired_c) == len(listed.tokens) >= 2
    # A query that is a listed surname alone, and a rare one (full weight), knows nothing of the given names
    # ("Haji BARAKZAI", its title dropped, for BARAKZAI, Haji Abdul Sattar): like middle names, they are left
    # out, not written otherwise. A common word alone ("Mohammed") names nobody in particular.
    surname_alone = (
        mode == "tokens"
        and len(query.tokens) == 1
        and query.weights[0] >= 1
        and any(j >= len(listed.tokens) - listed.surname for j in paired_c)
    )
    total += _unpaired_cost(query.weights, paired_q, *(left_out if whole else costs))
    listed_costs = left_out if surname_alone else costs
    total += _unpaired_cost(listed.weights, paired_c, *listed_costs, surname=listed.surname)
    score = gained / total if total else 0.0
    unpaired_q = tuple(t for i, t in enumerate(query.tokens) if i not in paired_q)
    unpaired_c = tuple(t for j, t in enumerate(listed.tokens) if j not in paired_c)
    if changed and any(len(token) > 2 for token in unpaired_c):
        score = max(0.0, score - TWO_DEPARTURES_COST)
    if consonants:
        # Without vowels "Hasan" and "Husin" look the same: the name alone never decides a match.
        score = min(score - CONSONANTS_DISCOUNT, CONSONANTS_MAX)
        return NameComparison(score, tuple(pairs), unpaired_q, unpaired_c, mode)
    return _respaced(query, listed, NameComparison(score, tuple(pairs), unpaired_q, unpaired_c, mode))


def _credit(similarity: float) -> float:
    # Rescaled so a barely-alike pair (0.75) counts for 0.625: alike is not the same.
    return 1 - 1.5 * (1 - similarity)


def _respaced(query: Spelling, listed: Spelling, comparison: NameComparison) -> NameComparison:
    """The same letters spaced differently ("Alzomor" against "Al Zomor", "Zhiqiang" against "Zhi Qiang") are
    as alike as their joined letters, when that beats the comparison word by word."""
    if len(query.tokens) == len(listed.tokens):
        return comparison
    query_letters, listed_letters = "".join(query.tokens), "".join(listed.tokens)
    joined = Indel.normalized_similarity(query_letters, listed_letters)
    # One slip at most besides the spacing: "Natalya Vinogradov" is not VINOGRADOVA, Natalya V.
    if (
        joined > comparison.score
        and joined >= (1.0 if comparison.method == "syllables" else JOINED_MIN)
        and OSA.distance(query_letters, listed_letters, score_cutoff=JOINED_MAX_SLIPS + 1) <= JOINED_MAX_SLIPS
    ):
        return replace(comparison, score=joined, method="joined")
    return comparison


@lru_cache(maxsize=1 << 16)  # the same word pairs recur from query to query ("mohammed", "company")
def _consonant_similarity(q: str, c: str, q_outline: str, c_outline: str) -> float:
    """How alike two tokens of a vowel-less script are; 0 when too unlike to pair."""
    if q == c:
        return 1.0
    if q_outline == c_outline:
        # Two-consonant outlines are shared by many unrelated names ("ms": Musa, Moses, Mousse).
        # A longer shared outline is good evidence, but only the written vowels make it the same name.
        similarity = SHORT_OUTLINE if len(q_outline) < 3 else OUTLINE_ONLY
    else:
        similarity = _alike(q_outline, c_outline)
        similarity = similarity if similarity >= CONSONANTS_MIN else 0.0
    # Long vowels are written ("jmyl" is Jamil, not Jumla), but two letters still match too much by chance.
    q_written, c_written = vowel_outline(q), vowel_outline(c)
    written = _alike(q_written, c_written) if min(len(q_written), len(c_written)) > 2 else 0.0
    if q_written == c_written and len(q_written) <= 2:
        # ... unless they are the very same letters: short East Asian names ("hw" Hu, "wy" Wei, "w" Wu) have
        # nothing more to agree on.
        written = OUTLINE_ONLY
    return max(similarity, written if written >= TOKEN_MIN else 0.0)


def letter_similarities(query: Spelling, names: Sequence[Spelling]) -> list[list[list[float]]]:
    """For each name, how alike each query token is to each of its tokens by their letters (0: too unlike).

    One rapidfuzz matrix over every token of the names: far cheaper than pair by pair in Python.
    """
    words = list(dict.fromkeys(t for name in names for t in name.tokens))
    if not words or not query.tokens:
        return [[[] for _ in query.tokens] for _ in names]
    outlines = dict(p for name in names for p in zip(name.tokens, name.outlines))
    alike = (
        cdist(query.tokens, words, scorer=JaroWinkler.normalized_similarity, dtype=np.float64)
        + cdist(query.tokens, words, scorer=OSA.normalized_similarity, dtype=np.float64)
    ) / 2
    slips = cdist(query.tokens, words, scorer=OSA.distance, score_cutoff=2, dtype=np.int32)
    query_lengths = np.array([len(t) for t in query.tokens])[:, None]
    word_lengths = np.array([len(t) for t in words])[None, :]
    shortest, longest = np.minimum(query_lengths, word_lengths), np.maximum(query_lengths, word_lengths)
    # Slips in a short word ("Ali"/"Ani", "Omar"/"Omqab") leave it less alike than the threshold, yet it is
    # the same word: one slip in two to four letters, two in four letters or more.
    slipped = (shortest >= 2) & ((slips == 1) & (longest <= 4) | (slips == 2) & (shortest >= 4))
    alike = np.where((alike < TOKEN_MIN) & slipped, TOKEN_MIN, alike)
    # Same outline ("muhammad"/"mohammed", "dzhauish"/"jawish"): as alike as a one-letter slip. Two-letter
    # outlines collide by chance ("mary"/"moore"), except for particles ("bin"/"ben"); two-letter words
    # ("le"/"lo") and three-letter words two slips from their pair ("nur"/"noor", "sut"/"south": vowels
    # transliterated) pair only barely on it.
    same = np.array([[q == outlines[w] for w in words] for q in query.outlines])
    outline_lengths = np.array([len(o) for o in query.outlines])[:, None]
    particle_or_longer = (outline_lengths >= 3) | (longest == 3)
    alike = np.where((alike < SAME_OUTLINE) & same & particle_or_longer, SAME_OUTLINE, alike)
    barely = (longest <= 2) | (shortest == 3) & (slips == 2)
    alike = np.where((alike < TOKEN_MIN) & same & barely, TOKEN_MIN, alike)
    alike[alike < TOKEN_MIN] = 0.0
    column = {w: k for k, w in enumerate(words)}
    for i, token in enumerate(query.tokens):
        other = _other_gender(token)
        if other in column:
            alike[i, column[other]] = min(alike[i, column[other]], GENDER_FORM)
    rows = alike.tolist()
    return [[[row[column[t]] for t in name.tokens] for row in rows] for name in names]


def _other_gender(token: str) -> str | None:
    """The other gender's form of a Slavic surname ("ivanov"/"ivanova", "gorsky"/"gorskaya"), if it is one."""
    for male, female in _SURNAME_GENDERS:
        if token.endswith(female) and len(token) > len(female) + 1:
            return token[: -len(female)] + male
        if token.endswith(male) and len(token) > len(male) + 1:
            return token[: -len(male)] + female
    return None


def _alike(a: str, b: str) -> float:
    return (JaroWinkler.normalized_similarity(a, b) + OSA.normalized_similarity(a, b)) / 2


def _without_article(name: Spelling) -> Spelling:
    # The article ("al", "el", Arabic "ال") says nothing about who is named once vowels are gone.
    if ARTICLES.isdisjoint(name.tokens):
        return name
    kept = [k for k, token in enumerate(name.tokens) if token not in ARTICLES]
    return Spelling(
        tuple(name.tokens[k] for k in kept),
        tuple(name.outlines[k] for k in kept),
        tuple(name.weights[k] for k in kept),
        sum(1 for k in kept if k >= len(name.tokens) - name.surname),
    )


def _unpaired_cost(
    weights: tuple[float, ...], paired: set[int], cost: float, middle_cost: float, surname: int = 0
) -> float:
    # A word between two paired words is a middle name, the one most often left out or added.
    if len(paired) == len(weights):
        return 0.0
    first, last = (min(paired), max(paired)) if paired else (0, -1)
    given_end = len(weights) - surname
    total, middles = 0.0, []
    for i, w in enumerate(weights):
        if i in paired:
            continue
        if first < i < last and i < given_end:
            middles.append(w)
        else:
            total += cost * w
    if middles:
        total += middle_cost * min(sum(middles), MIDDLES_COUNTED * max(middles))
    return total
