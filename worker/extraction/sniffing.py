"""Decide a document's type from its bytes, never from its name."""

import codecs
import io
import zipfile
from typing import Literal

from lxml import etree

from worker.extraction.errors import ErrorCode, ExtractionError
from worker.messages import gettext_noop

DocumentKind = Literal["pdf", "docx", "txt"]

MIME_TYPES: dict[DocumentKind, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}

# PDF readers accept the header anywhere in the first 1024 bytes, so a prefixed PDF is still a PDF.
_PDF_HEADER = b"%PDF-"
_PDF_HEADER_WINDOW = 1024
_ZIP_HEADER = b"PK\x03\x04"
_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc and other legacy Office files
_RTF_HEADER = b"{\\rtf"
TEXT_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTENT_TYPES_PART = "[Content_Types].xml"
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DOCX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Read at most this much of [Content_Types].xml whatever its entry claims: sniffing runs before
# the archive limits are checked, so it must be safe on its own.
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def sniff_type(data: bytes) -> DocumentKind:
    """Return "pdf", "docx" or "txt" for `data`, or raise ExtractionError (unsupported_type, corrupt)."""
    if _PDF_HEADER in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith(_ZIP_HEADER):
        if _is_docx(data):
            return "docx"
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE, gettext_noop("This archive is not a Word (.docx) document. Upload a PDF, DOCX or TXT file.")
        )
    if data.startswith(_OLE_HEADER):
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE, gettext_noop("Legacy Word (.doc) files are not supported. Save the file as DOCX or PDF.")
        )
    if data.lstrip().startswith(_RTF_HEADER):
        raise ExtractionError(ErrorCode.UNSUPPORTED_TYPE, gettext_noop("RTF files are not supported. Save the file as DOCX or PDF."))
    # Plain text never holds NUL bytes unless it is UTF-16 or UTF-32, which must then carry a BOM.
    if b"\x00" in data and not data.startswith(tuple(bom for bom, _ in TEXT_BOMS)):
        raise ExtractionError(ErrorCode.UNSUPPORTED_TYPE, gettext_noop("Unsupported file type. Upload a PDF, DOCX or TXT file."))
    return "txt"


def _is_docx(data: bytes) -> bool:
    """A DOCX is a zip whose content types declare a WordprocessingML main part that the zip holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if _CONTENT_TYPES_PART not in names:
                return False
            with archive.open(_CONTENT_TYPES_PART) as part:
                content_types = part.read(_MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        # RuntimeError: encrypted entry; NotImplementedError: a compression method Word never uses.
        raise ExtractionError(ErrorCode.CORRUPT, gettext_noop("The file is damaged or is not a valid DOCX archive.")) from exc
    if len(content_types) > _MAX_CONTENT_TYPES_BYTES:
        raise ExtractionError(ErrorCode.ZIP_BOMB, gettext_noop("The DOCX archive expands beyond the allowed size."))
    try:
        root = etree.fromstring(content_types, _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(ErrorCode.CORRUPT, gettext_noop("The file is damaged or is not a valid DOCX archive.")) from exc
    return any(
        override.get("ContentType") == _DOCX_MAIN_CONTENT_TYPE
        and override.get("PartName", "").lstrip("/") in names
        for override in root.iter(f"{_CONTENT_TYPES_NS}Override")
    )
