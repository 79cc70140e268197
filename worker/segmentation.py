"""Split contract text into clauses and sentences with exact character offsets.

Every segment is a half-open range [start, end) into the text it came from, trimmed of surrounding
whitespace (the ideographic space U+3000 too), so `text[segment.start:segment.end]` is the segment's
text. Clauses are blocks separated by blank lines or starting at a numbered heading or list item at
the beginning of a line; short blocks that do not read as prose are headings. Sentences split clauses
at sentence ends (not after common abbreviations, initials or section numbers) and at numbered items
run into one line.

Japanese contracts have their own structure, and each part of it starts a block at the beginning of a
line: articles 第N条 (with a heading （見出し） after the number or on the line above), paragraphs (項)
numbered １, ２, items (号) numbered （１）, 一, ①, the closing text (後文, 本契約締結の証として…) and
annexes (別紙); the preamble (前文) is what precedes the first article. An article's number and heading
are a heading segment even when the article text follows on the same line. Japanese sentences end at
。！？ that are not inside brackets or quotes such as （以下「甲」という。）.
"""

import re
from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["heading", "clause", "sentence"]

HEADING_MAX_CHARS = 100
# A Japanese character carries more than an English one: a Japanese heading is shorter.
JAPANESE_HEADING_MAX_CHARS = 50

# A block ends at a blank line, or at a line break followed by a numbered heading or list item (or by
# the start of a part of a Japanese contract, below).
_ENUMERATOR = (
    r"(?:(?:section|article|schedule|exhibit|annex|appendix)\s+[0-9ivxlc]+[a-z]?\b"
    r"|\d{1,3}(?:\.\d{1,3})*\.?(?=\s)"
    r"|\((?:\d{1,3}|[a-z]{1,2}|[ivxlc]{1,5})\)"
    r"|[a-z]\.(?=\s)"
    r"|[•\u2022\u25cf*\-](?=\s))"
)

# Japanese structure. Numbers are ASCII or full-width digits, or kanji numerals (第十二条).
_JA_TEXT = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"  # kana and kanji
_JA_SPACE = r"[ \t\u3000]"
_JA_DIGITS = r"[0-9０-９]{1,3}"
_KANJI_NUMBER = r"[一二三四五六七八九十百〇]{1,4}"
_JA_NUMBER = rf"(?:{_JA_DIGITS}|{_KANJI_NUMBER})"
_IROHA = r"[イロハニホヘトチリヌルヲ]"
_CIRCLED_NUMBER = r"[\u2460-\u2487]"  # ① to ⑳ and ⑴ to ⒇
# An article such as 第12条の2, but not a reference such as 第3条の規定 that a wrapped line may start with.
_JA_ARTICLE = rf"第{_JA_NUMBER}条(?:の{_JA_NUMBER})*(?=[\s（(]|$)"
_JA_CHAPTER = rf"第{_JA_NUMBER}[章節](?=[\s（(]|$)"
_JA_BRACKETED_TITLE = r"[（(][^\n（()）。、]{1,40}[）)]"
_JA_PARAGRAPH = rf"{_JA_DIGITS}(?:[.．](?={_JA_SPACE}|{_JA_TEXT})|(?={_JA_SPACE}))"
_JA_ITEM = (
    rf"(?:[（(](?:{_JA_NUMBER}|{_IROHA})[）)]"
    rf"|(?:{_KANJI_NUMBER}|{_IROHA})(?=[\s、．])"
    rf"|{_CIRCLED_NUMBER})"
)
_JA_ANNEX = r"(?:別紙|別表|付属書|附属書)"
# The closing text (後文) before the signatures, and the 以下余白 line that often precedes it.
_JA_CLOSING = r"(?:(?:本契約|本覚書|本合意書|上記|以上)[^\n。]{0,20}?証(?:として|するため)|[（(]?以下余白)"
_JA_BLOCK_START = (
    rf"(?:{_JA_ARTICLE}|{_JA_CHAPTER}|{_JA_PARAGRAPH}|{_JA_ITEM}|{_JA_ANNEX}|{_JA_CLOSING}"
    # A heading on the line above its article: （目的）\n第1条　…
    rf"|{_JA_BRACKETED_TITLE}{_JA_SPACE}*\r?\n{_JA_SPACE}*{_JA_ARTICLE})"
)

_BLOCK_BREAK = re.compile(
    rf"\n[ \t\f\v\r\u3000]*\n\s*|\n(?=[ \t]*{_ENUMERATOR})|\n(?={_JA_SPACE}*{_JA_BLOCK_START})", re.IGNORECASE
)
_JA_ARTICLE_HEADING = re.compile(rf"{_JA_ARTICLE}{_JA_SPACE}*(?P<title>{_JA_BRACKETED_TITLE})?")
_JAPANESE = re.compile(_JA_TEXT)
_JA_PROSE = re.compile(r"[。！？、，]")
_JA_ITEM_START = re.compile(_JA_ITEM)

# A sentence may end after . ! ? (plus closing quotes or brackets) when whitespace and a capital,
# digit, opening quote or bracket, or Japanese text follow; numbered items such as " 12. " or " (b) "
# also start one.
_SENTENCE_END = re.compile(
    rf"""[.!?]["'\u201d\u2019)\]]*(?=\s+(?:["'\u201c\u2018(\[]?[A-Z0-9]|[「（]?{_JA_TEXT}))"""
)
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

# A Japanese sentence ends at 。！？ with the closing brackets after it; items run into one line are
# set apart by ideographic spaces (一　…　二　…).
_JA_SENTENCE_END = re.compile(r"[。！？][」』）)】〕]*")
_JA_INLINE_ITEM = re.compile(
    rf"\u3000+(?=[（(]{_JA_NUMBER}[）)]|{_KANJI_NUMBER}{_JA_SPACE}|{_CIRCLED_NUMBER})"
)
_CLOSING_TO_OPENING = {"」": "「", "』": "『", "）": "（", ")": "(", "】": "【", "〕": "〔"}
_OPENING = frozenset(_CLOSING_TO_OPENING.values())


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
    blocks = []
    for number, (start, end) in enumerate((s, e) for s, e in spans if e > s):
        heading_end = _japanese_heading_end(text, start, end, is_first_block=number == 0)
        if heading_end is None:
            blocks.append((start, end))
        else:
            blocks.extend([(start, heading_end), _trim(text, heading_end, end)])
    return blocks


def _japanese_heading_end(text: str, start: int, end: int, is_first_block: bool) -> int | None:
    """The end of the article heading (or document title) that begins the block, when text follows it."""
    article = _JA_ARTICLE_HEADING.match(text, start, end)
    line_break = text.find("\n", start, end)
    if line_break != -1 and (article or is_first_block):
        line_end = _trim(text, start, line_break)[1]
        if _is_japanese_heading(text[start:line_end]):
            return line_end
    # The article text on the heading's line: 第5条（準拠法及び管轄）本契約は…
    if article and article.group("title") and _trim(text, article.end(), end)[1] > article.end():
        return article.end()
    return None


def _is_japanese_heading(line: str) -> bool:
    """A short Japanese line without punctuation that is not an item (号) of a list."""
    return (
        bool(_JAPANESE.search(line))
        and len(line) <= JAPANESE_HEADING_MAX_CHARS
        and not _JA_PROSE.search(line)
        and not _JA_ITEM_START.match(line)
    )


def _is_heading(text: str, start: int, end: int) -> bool:
    block = text[start:end]
    if len(block) > HEADING_MAX_CHARS or "\n" in block:
        return False
    if _JAPANESE.search(block) and not _is_japanese_heading(block):
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
    cuts.update(_japanese_sentence_ends(block))
    cuts.update(m.start() for m in _JA_INLINE_ITEM.finditer(block))
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


def _japanese_sentence_ends(block: str) -> list[int]:
    ends = list(_JA_SENTENCE_END.finditer(block))
    if not ends:
        return []
    enclosed = _bracketed_ranges(block)
    return [m.end() for m in ends if not any(opening < m.start() < closing for opening, closing in enclosed)]


def _bracketed_ranges(block: str) -> list[tuple[int, int]]:
    """The (opening, closing) positions of the brackets and quotes that close within the block."""
    ranges: list[tuple[int, int]] = []
    open_brackets: list[tuple[str, int]] = []
    for position, char in enumerate(block):
        if char in _OPENING:
            open_brackets.append((char, position))
        elif char in _CLOSING_TO_OPENING:
            # A closing bracket closes the nearest matching opening one; a stray one (as in "1)") closes none.
            for depth in range(len(open_brackets) - 1, -1, -1):
                if open_brackets[depth][0] == _CLOSING_TO_OPENING[char]:
                    ranges.append((open_brackets[depth][1], position))
                    del open_brackets[depth:]
                    break
    return ranges


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
