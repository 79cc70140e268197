"""Text layer of a PDF, page by page, with PDFium (fast, and hardened against hostile files by Chrome)."""

import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from worker.extraction.errors import ErrorCode, ExtractionError
from worker.messages import gettext_noop

# PDFium is not thread-safe; Celery's prefork pool never contends, a threaded pool would.
_PDFIUM_LOCK = threading.Lock()
_ENCRYPTION_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}


def pdf_page_texts(data: bytes, *, max_pages: int) -> list[str]:
    """The raw text of each page in order. A PDF that opens without a password (no encryption, or
    an owner password that only restricts printing or copying) is read."""
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code in _ENCRYPTION_ERRORS:
                raise ExtractionError(
                    ErrorCode.ENCRYPTED_PDF, gettext_noop("The PDF is password-protected. Upload an unprotected copy.")
                ) from exc
            raise ExtractionError(ErrorCode.CORRUPT, gettext_noop("The PDF is damaged and cannot be read.")) from exc
        try:
            page_count = len(document)
            if page_count > max_pages:
                raise ExtractionError(
                    ErrorCode.TOO_MANY_PAGES, gettext_noop("The PDF has more than %(pages)s pages, the maximum allowed."), pages=max_pages
                )
            return [_page_text(document, index) for index in range(page_count)]
        except pdfium.PdfiumError as exc:
            raise ExtractionError(ErrorCode.CORRUPT, gettext_noop("The PDF is damaged and cannot be read.")) from exc
        finally:
            document.close()


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        text_page = page.get_textpage()
        try:
            return text_page.get_text_range()
        finally:
            text_page.close()
    finally:
        page.close()
