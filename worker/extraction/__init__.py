"""Safe text extraction from uploaded PDF, DOCX and TXT files. Plain Python, no Django.

    document = extract_text(data, max_bytes=..., max_pages=..., max_unzipped_bytes=...)
    document.text, .kind ("pdf" | "docx" | "txt"), .mime_type, .sha256, .size, .pages, .page_starts

The type comes from the bytes (`sniff_type`), never from the file name. The text is normalised
once (`normalise_text`): "\\n" newlines, single spaces, paragraphs separated by one blank line; DOCX
paragraphs and table cells in reading order (headings are paragraphs too), PDF pages in order
joined by a blank line. Findings quote it by character offset, so it must not be re-normalised.

Every refusal is an `ExtractionError` whose `message` is a user-facing sentence without document
text and whose `code` is one of:

    empty             no bytes, or no text at all
    too_large         more bytes than max_bytes
    unsupported_type  not a PDF, DOCX or text file (legacy .doc, RTF, other archives, binaries,
                      encrypted or exotically compressed DOCX entries)
    corrupt           a damaged PDF or DOCX
    encrypted_pdf     a PDF that needs a password to open
    no_text_layer     a PDF without text (a scan): OCR is not supported
    too_many_pages    a PDF with more than max_pages pages
    zip_bomb          a DOCX that expands past max_unzipped_bytes, has too many entries or an
                      implausible compression ratio, checked before anything is decompressed
    bad_encoding      a text file that is neither BOM-marked Unicode, UTF-8, nor recognisably
                      in a common legacy code page
"""

from worker.extraction.errors import ErrorCode, ExtractionError
from worker.extraction.extract import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_UNZIPPED_BYTES,
    ExtractedDocument,
    extract_text,
)
from worker.extraction.normalising import normalise_text
from worker.extraction.sniffing import MIME_TYPES, DocumentKind, sniff_type

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_MAX_UNZIPPED_BYTES",
    "MIME_TYPES",
    "DocumentKind",
    "ErrorCode",
    "ExtractedDocument",
    "ExtractionError",
    "extract_text",
    "normalise_text",
    "sniff_type",
]
