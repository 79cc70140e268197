"""Rules around personal names that the small NER model gets half right.

It calls contract roles people ("the Customer"), finds one word of a two-word name, labels
"Leanne Jones" an organisation, and misses a name it found two paragraphs earlier.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from worker.pii.companies import overlaps
from worker.pii.lexicon import LEGAL_FORM, NAME_WORD, NOT_NAME_WORDS, ORGANIZATION_WORDS, PARTICLE, PARTICLES
from worker.pii.name_lexicon import name_lexicon

Span = tuple[int, int]

_WORD = regex.compile(r"[\p{L}'’-]+")
_NAME_SHAPED_WORD = regex.compile(r"\p{Lu}\p{Ll}+(?:['’-]\p{Lu}?\p{Ll}+)*")
# A word that may be part of a name, capitals included, without a possessive "'s".
_MENTION_WORD = regex.compile(r"\b\p{Lu}\p{L}*(?:['’]\p{Lu}\p{L}*)*(?:-\p{Lu}\p{L}*)*")
# What stands before a name and belongs to it: initials ("J. Smith"), particles ("van Laon").
_NAME_PREFIX = regex.compile(rf"(?:\b\p{{Lu}}\.[ ]?(?:\p{{Lu}}\.[ ]?)?|(?<![\p{{L}}])(?:{PARTICLE}[ ])+)$")
# A capitalised word right next to a one-word name is the rest of it, unless a legal form follows.
_NEXT_WORD = regex.compile(rf"[ ](\p{{Lu}}\p{{Ll}}[\p{{L}}'’-]*)(?![\p{{L}}]|,?[ ]{LEGAL_FORM}(?![\p{{L}}]))")
_PREVIOUS_WORD = regex.compile(r"(?<![\p{L}])(\p{Lu}\p{Ll}[\p{L}'’-]*)[ ]$")
_LISTED_NAME = rf"{NAME_WORD}(?:[ ](?:{PARTICLE}[ ])*{NAME_WORD}){{0,2}}"
_COORDINATED_AFTER = regex.compile(rf"[ ](?:and|or|&)[ ](?P<name>{_LISTED_NAME})(?![\p{{L}}])")
_COORDINATED_BEFORE = regex.compile(rf"(?<![\p{{L}}])(?P<name>{_LISTED_NAME})[ ](?:and|or|&)[ ]$")
_REVERSED_AFTER = regex.compile(rf",[ ](?P<name>{NAME_WORD})(?=[ ]?[;)\n]|\.(?:\s|$)|$)")
_REVERSED_BEFORE = regex.compile(rf"(?:^|(?<=[;:(\n][ ]?))(?P<name>{NAME_WORD}),[ ]$")
_NAME_GAP = regex.compile(rf"[ ](?:(?i:{PARTICLE})[ ])*")
# How far before a name its listed neighbours are looked for: three words, not the whole text (which
# made every name cost time in proportion to the text before it).
_LOOK_BACK = 120
# Known-name words shorter than this are too often particles or initials to search for alone.
MIN_KNOWN_WORD = 3


def _is_name_word(word: str) -> bool:
    # Function words are left out too: "Under" opening a sentence the model ran into a name.
    return word[0].isupper() and word.lower() not in NOT_NAME_WORDS and word.lower() not in STOP_WORDS


def _lower_case_name(word: str) -> bool:
    """A lower-case word the model calls part of a name, which the lexicon confirms ("ray rice")."""
    lower = word.lower()
    return (
        word.islower() and lower not in NOT_NAME_WORDS and lower not in STOP_WORDS
        and name_lexicon().is_name(word)
    )


def is_name_shaped(phrase: str) -> bool:
    """Two to four capitalised words, none a function word, a role or an organisation word: what
    the NER model often labels an organisation when it is a person ("Leanne Jones")."""
    words = [w for w in phrase.split() if w not in PARTICLES]
    return 2 <= len(words) <= 4 and all(
        _NAME_SHAPED_WORD.fullmatch(w)
        and w.lower() not in STOP_WORDS
        and w.lower() not in NOT_NAME_WORDS
        and w.lower() not in ORGANIZATION_WORDS
        for w in words
    )


def trim_person(text: str, start: int, end: int, *, keep_capitals: bool) -> Span | None:
    """The name inside a PERSON span: role words and lowercase words trimmed off its edges, the
    other half of a half-found two-word name and an initial or particle before it added. None when
    nothing is left, or for an all-capitals span (a heading) unless a cue vouches for it."""
    words = [m for m in _WORD.finditer(text, start, end) if _is_name_word(m.group()) or _lower_case_name(m.group())]
    if not words:
        return None
    # Only the edges are trimmed: a word between two name words ("Lot de Vries") stays.
    start, end = words[0].start(), words[-1].end()
    if not keep_capitals and text[start:end].isupper():
        return None
    if len(words) == 1:
        after = _NEXT_WORD.match(text, end)
        before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
        end = after.end() if after and _is_name_word(after.group(1)) else end
        start = before.start() if before and _is_name_word(before.group(1)) else start
    prefix = _NAME_PREFIX.search(text, max(0, start - 20), start)
    return (prefix.start() if prefix else start), end


def neighbouring_names(text: str, person: Span, companies: list[Span]) -> list[Span]:
    """Names listed with a found one that the model missed: "Jane Doe and Éléonore Mendès",
    "Doe, Jane; Mendès, Éléonore" (a single word after a comma, before a list separator)."""
    start, end = person
    found = []
    for match in (
        _COORDINATED_AFTER.match(text, end), _COORDINATED_BEFORE.search(text, max(0, start - _LOOK_BACK), start),
        _REVERSED_AFTER.match(text, end), _REVERSED_BEFORE.search(text, max(0, start - _LOOK_BACK), start),
    ):
        if match is None:
            continue
        span = match.span("name")
        words = _WORD.findall(text, *span)
        if all(w in PARTICLES or _is_name_word(w) for w in words) and not overlaps(*span, companies):
            found.append(span)
    return found


def name_words(text: str, persons: Iterable[Span]) -> set[str]:
    """The words of the names found, to look for again in the rest of the document."""
    return {
        word
        for start, end in persons
        for word in _MENTION_WORD.findall(text, start, end)
        if len(word) >= MIN_KNOWN_WORD and _is_name_word(word) and not word.isupper()
    }


def known_name_mentions(text: str, known: set[str], companies: list[Span]) -> list[Span]:
    """Mentions of names already found in the document, in capitals too ("JANE DOE" in a signature
    block), one span for "Lot de Vries" however many known words it has; none inside company names."""
    known_lower = {word.lower() for word in known}
    mentions: list[Span] = []
    for match in _MENTION_WORD.finditer(text):
        word = match.group()
        if not (word in known or (word.isupper() and word.lower() in known_lower)):
            continue
        if overlaps(*match.span(), companies):
            continue
        if mentions and _NAME_GAP.fullmatch(text, mentions[-1][1], match.start()):
            mentions[-1] = (mentions[-1][0], match.end())
        else:
            mentions.append(match.span())
    return mentions
