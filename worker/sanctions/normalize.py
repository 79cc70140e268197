"""Names reduced to comparable tokens: script, case, accents, punctuation, titles and legal forms removed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

# Legal forms written in non-Latin scripts, removed before transliteration turns them into syllables.
_SCRIPT_LEGAL_FORMS = re.compile(
    "株式会社|有限会社|合同会社|合資会社|合名会社|股份有限公司|有限责任公司|有限責任公司|有限公司|"
    "주식회사|유한회사|"
    r"\b(?:ООО|ОАО|ЗАО|ПАО|АО|ТОВ|ПАТ|ПрАТ)\b|شركة|ش\.م\.م"
)
# Latin-script legal forms and titles, compared after transliteration and lower-casing.
# fmt: off
LEGAL_FORMS = frozenset({
    "ltd", "limited", "llc", "llp", "lp", "plc", "inc", "incorporated", "corp", "corporation", "co", "company",
    "cie", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "se", "sa", "sas", "sarl", "sasu", "srl", "spa", "sl", "slu",
    "bv", "nv", "vof", "oy", "oyj", "ab", "as", "asa", "aps", "kft", "zrt", "nyrt", "sro", "doo", "dd", "ad",
    "ead", "ooo", "oao", "zao", "pao", "ao", "jsc", "ojsc", "cjsc", "pjsc", "tov", "pat", "prat", "pte", "pty",
    "bhd", "sdn", "tbk", "pt", "cv", "fzco", "fze", "fzc", "wll", "saog", "saoc", "sae", "kk", "yk", "gk",
    # as they come back from a Cyrillic spelling (JSC, LLC, Inc., Company, Corporation, Limited)
    "jsk", "llk", "ink", "kompani", "kompaniya", "kompaniia", "korporation", "korporatsiya", "korporatsiia",
    "korporeishn", "limitid",
    "ood", "eood", "osoo", "ou",  # Bulgarian ООД / ЕООД, Kyrgyz ОсОО, Estonian OÜ
})
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "doctor", "prof", "sir", "sheikh", "shaykh", "shaikh", "haji", "hadji",
    "hajji", "alhaj", "maulavi", "mawlawi", "mullah", "mulla", "qari", "general", "gen", "colonel", "col",
    "major", "lieutenant", "captain", "capt", "brigadier",
})
# fmt: on
# Long legal-form words are misspelled like any other ("Compnay", "Limted"); short ones ("sa", "ag") are
# too close to names to be recognised other than exactly.
_LONG_LEGAL_FORMS = tuple(form for form in LEGAL_FORMS if len(form) >= 6)
_APOSTROPHES = re.compile(r"['\u2019\u02bc\u02bb`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABJAD = re.compile(r"[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
# One sound, several romanisations (Russian "dzh"/"kh" for English "j"/"h"): folded on both sides.
_SPELLING = {"dzh": "j", "dj": "j", "kh": "h", "ph": "f", "q": "k"}
_SPELLINGS = re.compile("|".join(_SPELLING))
_ARABIC_ABD = re.compile(r"(?<![\u0600-\u06FF])عبد(?=ال)")  # "Abd al-", written "عبدال"
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06FF])ال(?=[\u0600-\u06FF]{2})")
# Any letter but a Latin one, accented or not.
_NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
# Spellings of one sound across transliteration schemes, folded before vowels are dropped.
# "C" holds the "ch" sound while "ce" and "ci" are read as "se" and "si" ("chemezov" is not "semezov").
_FOLDS = (
    ("tsh", "C"), ("tch", "C"), ("ch", "C"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("x", "ks"), ("C", "c")
)
_LATIN_FOLDS = (("zh", "j"),)  # Russian "zh"; from Arabic script "zh" is two letters (z, h)
_SKELETON_DROP = re.compile(r"[aeiouwyh]")
_SKELETON_MAP = str.maketrans("vpgcq", "fbjkk")
_REPEATS = re.compile(r"(.)\1+")
# Arabic script writes long vowels (alif, waw, ya) and omits short ones; a Latin "a" or "e" may be either.
_WRITTEN_VOWELS = str.maketrans(
    {"a": "", "e": "", "i": "y", "o": "w", "u": "w", "v": "f", "p": "b", "g": "j"}
)
_FINAL_H = re.compile(r"(?<=[^aeiouwyh])h$")  # ta marbuta ("ة") comes out "h": "حمزة" is "hmzh", Hamza


def name_tokens(name: str, *, titles: bool = False) -> tuple[str, ...]:
    """Lower-case ASCII tokens of a name, without titles and legal forms (unless nothing else is left).

    `titles` keeps the words that are titles in a person's name ("COL", "CAPTAIN"): a company's or a vessel's
    name may hold them as words of its own (IMPAN-COL, CAPTAIN YAKUBOVICH)."""
    text = unicodedata.normalize("NFKC", name)
    text = _SCRIPT_LEGAL_FORMS.sub(" ", text).replace("ё", "йо").replace("Ё", "Йо")  # anyascii: ё -> e
    # Lists write the Arabic article as a word of its own ("al-Houthi"), Arabic script joins it ("الحوثي").
    text = _ARABIC_ARTICLE.sub("ال ", _ARABIC_ABD.sub("عبد ", text))
    # One Chinese character is one syllable; spaced out, "李欣" compares with "LI, Xin".
    text = _CJK.sub(r" \1 ", text)
    # Dots go without a space so "S.A." and "Ltd." become one token; other punctuation separates words.
    text = _APOSTROPHES.sub("", anyascii(text)).lower().replace(".", "")
    # anyascii joins CJK syllables in CamelCase ("LingMuYiLang"); lower-casing first keeps them one token.
    text = _SPELLINGS.sub(lambda m: _SPELLING[m[0]], text)
    tokens = tuple(t for t in _NON_ALNUM.split(text) if t)
    if not titles and not is_abjad(name):  # without vowels, names look like titles: Amer ("عامر") is "mr"
        tokens = tuple(t for t in tokens if t not in TITLES) or tokens
    kept = tuple(t for t in tokens if not is_legal_form(t))
    # Two words at least must remain: "Lorena Sa" is a person, "Cimex SA" still compares well with "sa".
    return kept if len(kept) >= 2 or len(kept) == len(tokens) else tokens


@lru_cache(maxsize=1 << 16)  # every word of every query is asked; most recur
def is_legal_form(token: str) -> bool:
    """A legal-form word as listed, or a long one with a slip or two (one in six-letter words)."""
    if token in LEGAL_FORMS:
        return True
    if len(token) < 6:
        return False
    slips = 1 if len(token) == 6 else 2
    return any(OSA.distance(token, form, score_cutoff=slips) <= slips for form in _LONG_LEGAL_FORMS)


@lru_cache(maxsize=1 << 16)
def is_serial(token: str) -> bool:
    """A number of three digits or more: a vessel's, an aircraft's or a company's serial ("RA-02791")."""
    return sum(ch.isdigit() for ch in token) >= 3


def comparison_mode(name: str) -> str:
    """How a name's tokens compare (see similarity.compare_names): by consonants for scripts that omit vowels,
    by whole syllables for Chinese characters, else by letters."""
    if is_abjad(name):
        return "consonants"
    return "syllables" if is_syllabic(name) else "tokens"


def is_transliterated(name: str) -> bool:
    """True for names written in a script other than Latin: Cyrillic, Greek, Arabic, Chinese..."""
    return bool(_NOT_LATIN.search(name))


def is_syllabic(name: str) -> bool:
    """True for names written in Chinese characters, whose transliterated tokens are whole syllables."""
    return bool(_CJK.search(name))


def is_abjad(name: str) -> bool:
    """True for scripts that usually omit vowels (Arabic, Persian, Hebrew), where skeletons compare better."""
    return bool(_ABJAD.search(name))


def skeleton(token: str, *, abjad: bool = False) -> str:
    """Consonant outline of a token ("mohammed" -> "md"), the same for most transliterations of a name.

    `abjad` says the token was transliterated from Arabic or Hebrew script.
    """
    for spelling, sound in _FOLDS if abjad else _LATIN_FOLDS + _FOLDS:
        token = token.replace(spelling, sound)
    outline = _REPEATS.sub(r"\1", _SKELETON_DROP.sub("", token).translate(_SKELETON_MAP))
    return outline or token


@lru_cache(maxsize=1 << 16)
def vowel_outline(token: str) -> str:
    """A token roughly as Arabic script writes it ("jamil" -> "jmyl", "hussein" -> "hwsyn"), to compare with a
    token transliterated from Arabic script: finer than its skeleton, which also drops the written vowels."""
    for spelling, sound in _FOLDS:
        token = token.replace(spelling, sound)
    outline = _REPEATS.sub(r"\1", _FINAL_H.sub("", token.replace("c", "k").translate(_WRITTEN_VOWELS)))
    return outline or token
