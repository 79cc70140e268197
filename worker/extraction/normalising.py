"""The one normalisation every extracted text goes through: findings quote this text by character offset."""

import re
import unicodedata

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CHARACTER_MAP = str.maketrans(
    {
        # Tabs and every Unicode space separator become a plain space.
        **dict.fromkeys("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                        "\u202f\u205f\u3000", " "),
        # Invisible characters that split words: soft hyphen, zero-width space, word joiner, BOM, and
        # U+FFFE, which PDFium leaves where it joined a word hyphenated across two lines.
        **dict.fromkeys("\u00ad\u200b\u2060\ufeff\ufffe\uffff", None),
        # PDF fonts often map "fi", "fl"... to ligature glyphs, which would hide words from search.
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_CONTROL_CHARACTERS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SPACE_RUNS = re.compile(" {2,}")
_SPACES_AROUND_NEWLINES = re.compile(" *\n *")
_BLANK_LINE_RUNS = re.compile("\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, "\\n" newlines, single spaces, no space at line ends, paragraphs separated by exactly one
    blank line, no leading or trailing whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text).translate(_CHARACTER_MAP)
    text = _CONTROL_CHARACTERS.sub("", text)
    text = _SPACE_RUNS.sub(" ", text)
    text = _SPACES_AROUND_NEWLINES.sub("\n", text)
    return _BLANK_LINE_RUNS.sub("\n\n", text).strip()
