"""Split contract text into clauses and sentences with exact character offsets.

Every segment is a half-open range [start, end) into the text it came from, trimmed of surrounding
whitespace, so `text[segment.start:segment.end]` is the segment's text. Clauses are blocks separated
by blank lines or starting at a numbered heading or list item at the beginning of a line; short
blocks that do not read as prose are headings. Sentences split clauses at sentence ends (not after
common abbreviations, initials or section numbers) and at numbered items run into one line.
"""

import re
from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["heading", "clause", "sentence"]

HEADING_MAX_CHARS = 100

# A block ends at a blank line, or at a line break followed by a numbered heading or list item.
_ENUMERATOR = (
    r"(?:(?:section|article|schedule|exhibit|annex|appendix)\s+[0-9ivxlc]+[a-z]?\b"
    r"|\d{1,3}(?:\.\d{1,3})*\.?(?=\s)"
    r"|\((?:\d{1,3}|[a-z]{1,2}|[ivxlc]{1,5})\)"
    r"|[a-z]\.(?=\s)"
    r"|[•\u2022\u25cf*\-](?=\s))"
)
_BLOCK_BREAK = re.compile(rf"\n[ \t\f\v\r]*\n\s*|\n(?=[ \t]*{_ENUMERATOR})", re.IGNORECASE)

# A sentence may end after . ! ? (plus closing quotes or brackets) when whitespace and a capital,
# digit, opening quote or bracket follow; numbered items such as " 12. " or " (b) " also start one.
_SENTENCE_END = re.compile(r"""[.!?]["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[]?[A-Z0-9])""")
_INLINE_ITEM = re.compile(r"(?<=[;:])\s+(?=\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s)")

# Words that end with a period without ending a sentence (compared in lower case, period removed).
# fmt: off
_ABBREVIATIONS = frozenset({
    "inc", "corp", "co", "ltd", "llc", "llp", "lp", "plc", "no", "nos", "sec", "secs", "art", "arts", "mr", "mrs",
    "ms", "dr", "st", "jr", "sr", "vs", "v", "e.g", "i.e", "etc", "u.s", "u.k", "s.a", "n.v", "b.v", "s.a.r.l",
    "g.m.b.h", "p.o", "l.p", "l.l.c", "approx", "dept", "fig", "para", "paras", "sq", "ft", "cf", "ch", "cl", "pp",
    "pg", "viz", "al", "ave", "blvd", "rd", "ste", "tel", "ext", "int'l", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sept", "sep", "oct", "nov", "dec",
})
# fmt: on
_LAST_WORD = re.compile(r"([\w.'&]+)\.$")
_NEXT_IS_NUMBERED = re.compile(r"\s+\d{1,3}(?:\.\d{1,3})*\.?\s")
_SECTION_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*")


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    kind: SegmentKind


def segment(text: str) -> list[Segment]:
    """Headings, clauses and the sentences of each clause, in text order (a clause precedes its sentences)."""
    segments: list[Segment] = []
    for start, end in _blocks(text):
        if _is_heading(text, start, end):
            segments.append(Segment(start, end, "heading"))
            continue
        segments.append(Segment(start, end, "clause"))
        segments.extend(Segment(s, e, "sentence") for s, e in _sentences(text, start, end))
    return segments


def _blocks(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for match in _BLOCK_BREAK.finditer(text):
        spans.append(_trim(text, position, match.start()))
        position = match.end()
    spans.append(_trim(text, position, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _is_heading(text: str, start: int, end: int) -> bool:
    block = text[start:end]
    if len(block) > HEADING_MAX_CHARS or "\n" in block:
        return False
    if block.isupper():
        return True
    # A list item such as "(a) first item; and" is prose even without a final period.
    prose = (
        ";" in block
        or block.endswith((" and", " or"))
        or block.rstrip("\"')]").endswith((".", ":", ",", "?", "!"))
    )
    return not prose


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    cuts = {m.end() for m in _SENTENCE_END.finditer(block) if not _is_abbreviation(block, m.start())}
    cuts.update(m.start() for m in _INLINE_ITEM.finditer(block))
    spans, position = [], 0
    for cut in sorted(cuts):
        spans.append(_trim(text, start + position, start + cut))
        position = cut
    spans.append(_trim(text, start + position, end))
    return [(s, e) for s, e in spans if e > s]


def _is_abbreviation(block: str, period: int) -> bool:
    """True when the period at `period` closes an abbreviation, an initial or a section number."""
    if block[period] != "." or _NEXT_IS_NUMBERED.match(block, period + 1):
        return False
    match = _LAST_WORD.search(block, max(0, period - 20), period + 1)
    if match is None:
        return False
    word = match.group(1).lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    # Section numbers such as "12." or "2.1." are enumerators or references, not sentence ends.
    return bool(_SECTION_NUMBER.fullmatch(word))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
