"""From uploaded bytes to the normalised text every later stage works on."""

import hashlib
from dataclasses import dataclass

from worker.extraction.errors import ErrorCode, ExtractionError
from worker.extraction.normalising import normalise_text
from worker.extraction.pdf import pdf_page_texts
from worker.extraction.plain_text import decode_text
from worker.extraction.sniffing import MIME_TYPES, DocumentKind, sniff_type
from worker.extraction.word import docx_paragraphs
from worker.messages import gettext_noop

_MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * _MIB
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_UNZIPPED_BYTES = 100 * _MIB
_PAGE_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    text: str
    kind: DocumentKind
    mime_type: str
    sha256: str  # hex digest of the uploaded bytes
    size: int  # bytes uploaded
    pages: int | None  # PDF page count; DOCX and TXT have no fixed pages
    # Offset in `text` where each PDF page begins (empty for DOCX and TXT): the page of offset o
    # is bisect.bisect_right(page_starts, o) - 1.
    page_starts: tuple[int, ...]


def extract_text(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
) -> ExtractedDocument:
    """Detect the type of `data` from its content and return its normalised text, or raise
    ExtractionError. The same bytes always give the same text."""
    if not data:
        raise ExtractionError(ErrorCode.EMPTY, gettext_noop("The file is empty."))
    if len(data) > max_bytes:
        limit = f"{max_bytes // _MIB} MB" if max_bytes % _MIB == 0 else f"{max_bytes} bytes"
        raise ExtractionError(
            ErrorCode.TOO_LARGE, gettext_noop("The file is larger than the %(limit)s limit."), limit=limit
        )
    kind = sniff_type(data)
    pages: int | None = None
    page_starts: tuple[int, ...] = ()
    if kind == "pdf":
        page_texts = [normalise_text(page) for page in pdf_page_texts(data, max_pages=max_pages)]
        text, page_starts = _join_pages(page_texts)
        pages = len(page_texts)
        if not text:
            raise ExtractionError(
                ErrorCode.NO_TEXT_LAYER,
                gettext_noop("The PDF has no text layer (it is probably a scan). OCR is not supported: upload a PDF with text."),
            )
    elif kind == "docx":
        text = normalise_text("\n\n".join(docx_paragraphs(data, max_unzipped_bytes=max_unzipped_bytes)))
    else:
        text = normalise_text(decode_text(data))
    if not text:
        raise ExtractionError(ErrorCode.EMPTY, gettext_noop("The document contains no text."))
    return ExtractedDocument(
        text=text,
        kind=kind,
        mime_type=MIME_TYPES[kind],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=pages,
        page_starts=page_starts,
    )


def _join_pages(page_texts: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join normalised pages with one blank line, skipping empty pages, and record where each starts."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for page in page_texts:
        if parts and page:
            parts.append(_PAGE_SEPARATOR)
            length += len(_PAGE_SEPARATOR)
        starts.append(length)
        if page:
            parts.append(page)
            length += len(page)
    return "".join(parts), tuple(starts)
