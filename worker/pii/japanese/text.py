"""Japanese text as the rules read it: width-folded for shapes, morphemes from SudachiPy for words.

SudachiPy is the tokenizer GiNZA itself runs on; with its core dictionary it tags most Japanese and
many foreign names `名詞-固有名詞-人名` at hundreds of thousands of characters a second.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import regex
from sudachipy import Dictionary, SplitMode

Span = tuple[int, int]

# Japanese script: a paragraph holding any of it goes through this package.
_JAPANESE = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}ー々〆〇]")
# SudachiPy refuses input longer than about 49,000 bytes: longer text is analysed a line at a time.
_MAX_PIECE_CHARS = 8_000
_LINE = regex.compile(r"[^\n]*\n?")


def has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation as half-width, and the ideographic space as a
    space, one character for one so that offsets carry over; characters that NFKC would turn into
    more or fewer characters stay as they are."""
    return "".join(_fold_char(char) for char in text)


@cache
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def inside(span: Span, spans: Iterable[Span]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


@cache
def _tokenizer():
    """One SudachiPy tokenizer per process (the dictionary is memory-mapped)."""
    return Dictionary(dict="core").create(mode=SplitMode.C)


@dataclass(frozen=True)
class Morpheme:
    surface: str
    start: int
    end: int
    pos: tuple[str, ...]
    oov: bool

    @property
    def is_name(self) -> bool:
        return self.pos[1] == "固有名詞" and self.pos[2] == "人名"

    @property
    def is_space(self) -> bool:
        return self.pos[0] == "空白"

    @property
    def may_be_name(self) -> bool:
        """A noun that can be a name the dictionary does not know as one: a proper noun, or a word
        it does not know at all."""
        return self.pos[0] == "名詞" and (
            self.is_name or self.oov or (self.pos[1] == "固有名詞" and self.pos[3] != "国")
        )


def morphemes(text: str) -> list[Morpheme]:
    found = []
    for offset, piece in _pieces(text):
        found += [
            Morpheme(m.surface(), offset + m.begin(), offset + m.end(), tuple(m.part_of_speech()), m.is_oov())
            for m in _tokenizer().tokenize(piece)
        ]
    return found


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """The text in pieces SudachiPy accepts, cut at line ends (a line longer than that, in slices)."""
    if len(text) <= _MAX_PIECE_CHARS:
        yield 0, text
        return
    start = 0
    for line in _LINE.finditer(text):
        if line.end() - start > _MAX_PIECE_CHARS and line.start() > start:
            yield start, text[start:line.start()]
            start = line.start()
        while line.end() - start > _MAX_PIECE_CHARS:
            yield start, text[start:start + _MAX_PIECE_CHARS]
            start += _MAX_PIECE_CHARS
    if start < len(text):
        yield start, text[start:]
