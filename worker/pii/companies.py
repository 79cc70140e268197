"""Company names, which stay readable: they are what a contract is about.

Only used to keep person detections out of them; a company name is never masked.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import RecognizerResult

from worker.pii.lexicon import LEGAL_FORM

ORGANIZATION = "ORGANIZATION"

# A capitalised word of a company name; a dot only inside it ("A.B"), as one after it ends a sentence.
_WORD = r"\p{Lu}[\p{L}'’&-]*(?:\.\p{L}[\p{L}'’&-]*)*"
_SURNAME = r"\p{Lu}[\p{L}'’-]*\p{Ll}"
_COMPANY = regex.compile(
    # Capitalised words ending in a legal form: "Trupp Lachmann KG", "Osuna y Fernández S.Com.".
    # Every repetition is bounded: a long run of capitalised words must not make the search quadratic.
    rf"(?:\b{_WORD}(?:[ ](?:y|e|et|and|&|und|en|van|von|de|der|del|di)[ ]|[ ])){{0,5}}"
    rf"\b{_WORD},?[ ]{LEGAL_FORM}(?![\p{{L}}])"
    # A firm of surnames: "Smith, Mann and Harris", "Fantoni, Lerner e Altera".
    rf"|\b{_SURNAME}(?:,[ ]{_SURNAME}){{1,5}},?[ ](?:and|&|e|y|et|und)[ ]{_SURNAME}\b"
    # A legal form in front: "Stichting Courtier".
    rf"|\b(?:Stichting|Fundación|Fondazione|Fondation|Verein)(?:[ ]{_WORD}){{1,4}}"
    # A firm named by what the text says of it: "for and on behalf of Kreusel", "its parent is
    # Berger", "Berger is incorporated in Delaware".
    rf"|(?<=\b(?:on[ ]behalf[ ]of|signatory[ ]of|Signed[ ]for|(?:parent|subsidiary|affiliate)(?:[ ]company)?"
    rf"[ ](?:is|of))[ ]){_WORD}(?:[ ]{_WORD}){{0,3}}"
    rf"|\b{_WORD}(?:[ ]{_WORD}){{0,3}}(?=[ ](?:is|was)[ ](?:incorporated|registered|organi[sz]ed)\b)"
)
_HAS_LEGAL_FORM = regex.compile(rf"[ ]{LEGAL_FORM}(?![\p{{L}}])")


def company_spans(text: str, results: Iterable[RecognizerResult] = ()) -> list[tuple[int, int]]:
    """Company names found by their legal form or shape, and the organisations the NER model
    found that carry a legal form (looked for a few characters past its span, which often stops
    short of it)."""
    spans = [m.span() for m in _COMPANY.finditer(text)]
    spans += [
        (r.start, r.end) for r in results
        if r.entity_type == ORGANIZATION and _HAS_LEGAL_FORM.search(text, r.start, r.end + 6)
    ]
    return spans


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
