"""Names found by the way people write them, with the name lexicon to tell a name from a word.

The NER model misses names it has not seen in news text: "My name is Rubija", a chat line "Ubul:
What a wife.", "our founders: Kónya, Becker and Vasquez", "follow up with patricia desrosiers",
"Ravil G Yefimov", "JANE DOE". Each rule here pairs such a context with the lexicon, so that
"I'm Grace" is a name and "I'm sure" is not.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from worker.pii.lexicon import LEGAL_FORM, NOT_NAME_WORDS, ORGANIZATION_WORDS
from worker.pii.name_lexicon import NameLexicon, name_lexicon

Span = tuple[int, int]

_WORD = r"\p{L}[\p{L}'’-]*"
_CAPITALISED = r"\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*"
# Words that are never names here, though names-dataset lists them (it holds what people typed).
CALENDAR_WORDS = frozenset(
    """
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday today tomorrow yesterday morning evening night week month year
    """.split()
)
# Chat and e-mail labels that open a line like a speaker's name.
LABEL_WORDS = frozenset(
    """
    note notes re fw fwd subject question answer update summary status action response reply comment comments
    ps nb tip warning important reminder edit disclaimer source sources reason result results example total
    step steps goal goals problem solution issue update pros cons overview background agenda location time
    """.split()
)

_INTRODUCTION = regex.compile(
    rf"(?i:\bmy[ ]+name[ ]+is|\bmy[ ]+name['’]s|\bname['’]s|\bcall[ ]+me|\bi[ ]+am|\bi['’]m|\bthis[ ]+is|"
    rf"\bit['’]s[ ]+me,?|\bhere[ ]+is|\bsigned,?)[ ]+(?P<name>{_WORD}(?:[ ]+{_WORD}){{0,2}})"
)
_SURE_INTRODUCTION = regex.compile(r"(?i:my[ ]+name[ ]+is|my[ ]+name['’]s|name['’]s|call[ ]+me)")
_SPEAKER = regex.compile(rf"(?m)^[ \t]*(?P<name>{_CAPITALISED}(?:[ ]{_CAPITALISED})?)[ \t]*:(?=[ \t])")
_LIST_ITEM = rf"{_CAPITALISED}(?:[ ]{_CAPITALISED})?"
_ENUMERATION = regex.compile(
    rf"(?<![\p{{L}}])(?P<items>{_LIST_ITEM}(?:,[ ]+{_LIST_ITEM})*,?[ ]+(?:and|&|or)[ ]+{_LIST_ITEM})(?![\p{{L}}])"
)
_ITEM_SPLIT = regex.compile(r",?[ ]+(?:and|&|or)[ ]+|,[ ]+")
_AFTER_CUE = regex.compile(
    r"(?i:\b(?:by|with|from|to|cc|bcc|thanks|thank[ ]you|ask|tell|told|met|call|called|email|emailed|ping|"
    r"hi|hey|hello|dear|per|ask|via|and|for)[ ]+)"
    r"(?P<name>[a-z][a-z'’-]+[ ]+[a-z][a-z'’-]+)\b"
)
_WITH_INITIAL = regex.compile(rf"\b(?P<first>{_CAPITALISED})[ ]+\p{{Lu}}\.?[ ]+(?P<last>{_CAPITALISED})\b")
# A word that can be a name: not part of a handle, a hashtag, an address or a file name.
_PLAIN_WORD = regex.compile(r"(?<![\p{L}\d'’@#/.-])\p{L}[\p{L}'’-]*\p{L}(?![\p{L}\d@]|\.\w)")
_LEGAL_FORM_WORD = regex.compile(LEGAL_FORM)
_CAPITALS = regex.compile(r"\b(?P<first>[A-Z][A-Z'’-]+)[ ]+(?:[A-Z]\.?[ ]+)?(?P<last>[A-Z][A-Z'’-]+)\b")

SCORE = 0.6


# One set for the word checks every rule makes, many times per text.
_ORDINARY_WORDS = frozenset(STOP_WORDS | NOT_NAME_WORDS | ORGANIZATION_WORDS | CALENDAR_WORDS | LABEL_WORDS)


def is_ordinary_word(word: str) -> bool:
    return word.lower() in _ORDINARY_WORDS


def _introductions(text: str, names: NameLexicon) -> Iterator[Span]:
    """The name after "my name is", "I'm", "this is": after the sure cues any word not an ordinary
    one, after the others a capitalised first name."""
    for match in _INTRODUCTION.finditer(text):
        sure = _SURE_INTRODUCTION.match(match.group().lstrip()) is not None
        words = list(regex.finditer(_WORD, text, pos=match.start("name"), endpos=match.end("name")))
        first = words[0].group()
        if is_ordinary_word(first) or not (sure or (first[0].isupper() and names.is_first(first))):
            continue
        end = words[0].end()
        for word in words[1:]:  # the surname, if it follows
            if not word.group()[0].isupper() or is_ordinary_word(word.group()):
                break
            end = word.end()
        yield words[0].start(), end


def _speakers(text: str, names: NameLexicon) -> Iterator[Span]:
    """A name opening a line before a colon, as in a chat transcript or minutes."""
    for match in _SPEAKER.finditer(text):
        words = match.group("name").split()
        if names.is_name(words[0]) and not any(is_ordinary_word(w) for w in words):
            yield match.span("name")


def _enumerations(text: str, names: NameLexicon) -> Iterator[Span]:
    """Every item of a list of names ("Gaetane, Hannah, Anthony and Derek") when at least two of
    its items are names and none is an ordinary word."""
    for match in _ENUMERATION.finditer(text):
        items = []
        position = match.start("items")
        for part in _ITEM_SPLIT.split(match.group("items")):
            start = text.index(part, position)
            items.append((start, start + len(part)))
            position = start + len(part)
        words = [w for start, end in items for w in text[start:end].split()]
        if any(is_ordinary_word(w) for w in words):
            continue
        if sum(names.is_name(text[start:end].split()[0]) for start, end in items) >= 2:
            yield from items


def _lower_case_names(text: str, names: NameLexicon) -> Iterator[Span]:
    """"with patricia desrosiers": a common first name and a surname, in lower case, after a cue."""
    for match in _AFTER_CUE.finditer(text):
        first, last = match.group("name").split()
        if first in names.common_first and names.is_last(last) and not is_ordinary_word(first) \
                and not is_ordinary_word(last):
            yield match.span("name")


def _with_initials(text: str, names: NameLexicon) -> Iterator[Span]:
    for match in _WITH_INITIAL.finditer(text):
        if names.is_first(match.group("first")) and not is_ordinary_word(match.group("first")):
            yield match.span()


def _capitals(text: str, names: NameLexicon) -> Iterator[Span]:
    """"JANE DOE": a first name and a surname in capitals, neither an ordinary word."""
    for match in _CAPITALS.finditer(text):
        first, last = match.group("first"), match.group("last")
        if names.is_first(first) and names.is_last(last) and not (is_ordinary_word(first) or is_ordinary_word(last)):
            yield match.span()


def _plain_names(text: str, names: NameLexicon) -> Iterator[Span]:
    """A common first name that is no English word ("with Whitney tonight", "steve and tanya",
    "RACHELLE"), with the surname after it; and a first name and a surname of which one is no English
    word ("Joaquin Phoenix"). Words are looked at in pairs that overlap, so "Is Joaquin Phoenix" finds
    the name after "Is"."""
    words = list(_PLAIN_WORD.finditer(text))
    skip_to = 0
    for i, word in enumerate(words):
        first = word.group()
        # A name found here starts with a first name, alone or paired: one set lookup rules out most words.
        if word.start() < skip_to or first.lower() not in names.first or not _may_be_plain_name(first):
            continue
        following = words[i + 1] if i + 1 < len(words) else None
        if following and text[word.end():following.start()] == " " and _is_pair(first, following.group(), names):
            skip_to = following.end()
            yield word.start(), following.end()
        elif first.lower() in names.plain_first:
            yield word.span()


def _may_be_plain_name(word: str) -> bool:
    return not is_ordinary_word(word) and not _LEGAL_FORM_WORD.fullmatch(word) and (
        word.islower() or word.isupper() or word[0].isupper()
    )


def _is_pair(first: str, last: str, names: NameLexicon) -> bool:
    """A first name and a surname, one of them no English word, written alike (both capitalised, both
    in capitals or both in lower case)."""
    same_case = (first.islower(), first.isupper()) == (last.islower(), last.isupper())
    return (
        same_case and names.is_first(first) and names.is_last(last) and not is_ordinary_word(last)
        and (first.lower() in names.plain_first or last.lower() in names.plain_last)
    )


_GREETING = regex.compile(
    r"(?i:\b(?:hi|hey|hello|dear|thanks|thx|thank[ ]you|love[ ]you|miss[ ]you|congrats|birthday|ask|tell|"
    r"told|met|call|text|ping)[ ,]+)(?P<name>[a-z][a-z'’-]+)(?=[ ]*(?:[.,!?:;)]|'s|’s|$|[ ]and[ ]|[ ]&[ ]))"
)


def _greeted_names(text: str, names: NameLexicon) -> Iterator[Span]:
    """A common first name in lower case after a greeting, ending a phrase ("hey joe!", "tell mike
    and ..."): one that is an English word too ("rose", "mark") is taken for a name only there."""
    for match in _GREETING.finditer(text):
        name = match.group("name")
        if name in names.common_first and not is_ordinary_word(name):
            yield match.span("name")


RULES = (_introductions, _speakers, _enumerations, _lower_case_names, _with_initials, _capitals, _plain_names,
         _greeted_names)


def context_names(text: str) -> list[Span]:
    """Every span the rules above find in the text."""
    names = name_lexicon()
    return [span for rule in RULES for span in rule(text, names)]
