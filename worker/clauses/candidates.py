"""Candidate spans the classifier scores: segments for clauses, and tight spans for short answers.

Clause categories are answered by sentences (a clause of one sentence is one). Short answers get their own
candidates, because a paragraph never matches "June 21, 1999" or a title by CUAD's word-Jaccard: date
mentions, title phrases near the top, and party names (names before a legal form or a quoted defined term).
"""

import re
from dataclasses import dataclass
from typing import Literal

from worker.segmentation import Segment, segment

CandidateKind = Literal["heading", "clause", "sentence", "date", "title", "party"]

# Titles and parties appear in the opening of a contract (and parties again in the signature block).
OPENING_CHARS = 4000
CLAUSE_MAX_CHARS = 2500

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:first|second|third|fourth|fifth|tenth|fifteenth|twentieth|thirtieth|thirty-first)"
_DAY = rf"(?:\d{{1,2}}\s?(?:st|nd|rd|th|t\s?h)?|{_ORDINAL}|_+|\[[^\]\n]{{0,3}}\])"
_YEAR = r"(?:(?:19|20)[\d_]{2}|19_+|20_+|_{2,}|\[[^\]\n]{0,3}\])"
_DATE = re.compile(
    rf"\b(?:(?:this\s+)?{_DAY}\s+day\s+of\s+(?:{_MONTH}|_+),?\s*(?:{_YEAR})?"
    rf"|{_MONTH}\s*{_DAY}?,?\s*{_YEAR}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s*{_YEAR}"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}})"
    rf"|(?:_+|\[[^\]\n]{{0,3}}\]),\s*{_YEAR}",
    re.IGNORECASE,
)
_TITLE = re.compile(
    r"(?:(?:[A-Z][\w&/'\-.]*|#?\d+|of|and|to|the|for|on|&)[ \t]+){0,8}"
    r"(?:AGREEMENT|Agreement|CONTRACT|Contract|AMENDMENT|Amendment|ADDENDUM|Addendum|LEASE|Lease"
    r"|LICENSE|License|PLAN|Plan|MEMORANDUM|Memorandum|ARRANGEMENT|Arrangement|TERMS|Terms)"
    r"(?:[ \t]+(?:No\.|NO\.|Number|NUMBER|ADDENDUM|Addendum)?[ \t]*[#\dIVX]+\b)?"
)
_LEGAL_FORM = (
    r"(?:Inc|INC|Incorporated|INCORPORATED|Corp|CORP|Corporation|CORPORATION|Co|CO|Company|COMPANY"
    r"|LLC|L\.L\.C|Ltd|LTD|Limited|LIMITED|LLP|L\.P|LP|plc|PLC|S\.A|SA|N\.V|B\.V|GmbH|AG|AB|S\.p\.A"
    r"|Pty|PTY|Trust|TRUST|Bank|BANK)(?![\w&])\.?"
)
_PARTY_NAME = re.compile(
    rf"(?:[A-Z][\w&'\-.]*,?[ \t]+|\([A-Za-z]+\)[ \t]+|(?:of|and|&|de|du)[ \t]+){{0,7}}{_LEGAL_FORM}"
    r"|(?<=[\"\u201c])[A-Z][\w&'\-. ]{1,40}(?=[\"\u201d])"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    kind: CandidateKind


def candidates(text: str) -> list[Candidate]:
    """Distinct candidate spans of a contract, each with the kind of span it is."""
    found: dict[tuple[int, int], CandidateKind] = {}
    segments = segment(text)
    for k, seg in enumerate(segments):
        if seg.kind == "clause" and (seg.end - seg.start > CLAUSE_MAX_CHARS or _has_sentences(segments, k)):
            continue
        found.setdefault((seg.start, seg.end), seg.kind)
    for match in _DATE.finditer(text):
        found[_strip(text, match.start(), match.end())] = "date"
    opening = text[:OPENING_CHARS]
    for match in _TITLE.finditer(opening):
        found.setdefault(_strip(text, match.start(), match.end()), "title")
    closing = max(OPENING_CHARS, len(text) - OPENING_CHARS)
    for region in (range(OPENING_CHARS), range(closing, len(text))):
        for match in _PARTY_NAME.finditer(text, region.start, region.stop):
            found.setdefault(_strip(text, match.start(), match.end()), "party")
    return [Candidate(s, e, kind) for (s, e), kind in sorted(found.items()) if e > s]


def _has_sentences(segments: list[Segment], k: int) -> bool:
    # A clause of several sentences is left to its sentences: as a candidate of its own it found few answers
    # its sentences did not, and cost precision (validation AUPR 0.579 -> 0.596 without it, 100 spans kept).
    first = segments[k + 1] if k + 1 < len(segments) else None
    return first is not None and first.kind == "sentence" and first.end < segments[k].end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",("):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",("):
        end -= 1
    return start, end
