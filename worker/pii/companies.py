"""Company names, which stay readable: they are what a contract is about.

Only used to keep person detections out of them; a company name is never masked.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import RecognizerResult

from worker.pii.lexicon import LEGAL_FORM
from worker.pii.name_lexicon import name_lexicon

ORGANIZATION = "ORGANIZATION"

# A capitalised word of a company name; a dot only inside it ("A.B"), as one after it ends a sentence.
_WORD = r"\p{Lu}[\p{L}'’&-]*(?:\.\p{L}[\p{L}'’&-]*)*"
_SURNAME = r"\p{Lu}[\p{L}'’-]*\p{Ll}"
_COMPANY = regex.compile(
    # Capitalised words ending in a legal form: "Trupp Lachmann KG", "Osuna y Fernández S.Com.".
    # Every repetition is bounded: a long run of capitalised words must not make the search quadratic.
    rf"(?:\b{_WORD}(?:[ ](?:y|e|et|and|&|und|en|van|von|de|der|del|di)[ ]|[ ])){{0,5}}"
    rf"\b{_WORD},?[ ]{LEGAL_FORM}(?![\p{{L}}])"
    # A firm of surnames where the text says it is one ("Counsel: Smith, Mann and Harris"); without
    # such a word a list of surnames is a list of people ("our founders: Kónya, Becker and Vasquez").
    rf"|(?<=\b(?i:counsel|attorneys?|lawyers?|law[ ]firm|solicitors?|c/o|auditors?|accountants?|advisers?|"
    rf"advisors?|firm)[:,]?[ ]+){_SURNAME}(?:,[ ]{_SURNAME}){{1,5}},?[ ](?:and|&|e|y|et|und)[ ]{_SURNAME}\b"
    # A legal form in front: "Stichting Courtier".
    rf"|\b(?:Stichting|Fundación|Fondazione|Fondation|Verein)(?:[ ]{_WORD}){{1,4}}"
    # A firm named by what the text says of it: "for and on behalf of Kreusel", "its parent is
    # Berger", "Berger is incorporated in Delaware".
    rf"|(?<=\b(?:on[ ]behalf[ ]of|signatory[ ]of|Signed[ ]for|(?:parent|subsidiary|affiliate)(?:[ ]company)?"
    rf"[ ](?:is|of))[ ]){_WORD}(?:[ ]{_WORD}){{0,3}}"
    rf"|\b{_WORD}(?:[ ]{_WORD}){{0,3}}(?=[ ](?:is|was)[ ](?:incorporated|registered|organi[sz]ed)\b)"
)
_HAS_LEGAL_FORM = regex.compile(rf"[ ]{LEGAL_FORM}(?![\p{{L}}])")


def company_spans(text: str) -> list[tuple[int, int]]:
    """Company names found by their legal form or shape."""
    return [_without_leading_person(text, *m.span()) for m in _COMPANY.finditer(text)]


def organisations_with_legal_form(text: str, results: Iterable[RecognizerResult]) -> list[tuple[int, int]]:
    """The organisations the NER model found that carry a legal form (looked for a few characters
    past its span, which often stops short of it)."""
    return [
        (r.start, r.end) for r in results
        if r.entity_type == ORGANIZATION and _HAS_LEGAL_FORM.search(text, r.start, r.end + 6)
    ]


_LEADING_WORD = regex.compile(r"\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.")
# Words of a job title: a company name does not hold them, a signature line runs them into one.
_TITLE_WORDS = frozenset(
    "executive vice president director manager officer counsel secretary treasurer chairman partner "
    "chief general senior head attention attn".split()
)


def _without_leading_person(text: str, start: int, end: int) -> tuple[int, int]:
    """A company match cut after the person and job title that a signature line runs into it:
    "Michael J. Hagan Executive Vice President VerticalNet, Inc.", "Ian Bannerman Blackwell Science
    Ltd" (a first name and a surname, with two or more words left before the legal form)."""
    words = list(_LEADING_WORD.finditer(text, start, end))
    form = _HAS_LEGAL_FORM.search(text, start, end)
    before_form = [w for w in words if form is None or w.end() <= form.start()]
    titles = [i for i, w in enumerate(before_form) if w.group().lower() in _TITLE_WORDS]
    if titles and titles[-1] + 1 < len(before_form):
        return before_form[titles[-1] + 1].start(), end
    names = name_lexicon()
    if (
        len(before_form) >= 4 and names.is_first(before_form[0].group())
        and names.is_last(before_form[1].group().rstrip("."))
    ):
        return before_form[2].start(), end
    return start, end


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
