"""Decode a plain-text upload: a BOM wins, then UTF-8, then charset detection over common code pages."""

from charset_normalizer import from_bytes

from worker.extraction.errors import ErrorCode, ExtractionError
from worker.extraction.sniffing import TEXT_BOMS
from worker.messages import gettext_noop

# Detection only chooses among the code pages documents are really written in: on short texts an
# open-ended search happily picks EBCDIC or Urdu code pages for plain Latin-1.
_LEGACY_CODE_PAGES = [
    "cp1252",
    "iso8859_15",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1257",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
]


def decode_text(data: bytes) -> str:
    for bom, encoding in TEXT_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _bad_encoding() from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_LEGACY_CODE_PAGES).best()
    if best is None:
        raise _bad_encoding()
    return str(best)


def _bad_encoding() -> ExtractionError:
    return ExtractionError(
        ErrorCode.BAD_ENCODING, gettext_noop("The text file's character encoding could not be recognised. Save it as UTF-8.")
    )
