"""Paragraphs of a DOCX body in reading order, after the archive passed the zip-bomb checks."""

import io
import zipfile
from collections.abc import Iterator

import docx
from lxml import etree

from worker.extraction.errors import ErrorCode, ExtractionError
from worker.messages import gettext_noop

# Word writes a few dozen entries, a few hundred with images; deflate reaches ~100:1 only on
# degenerate input, hence the same ratio limit as Apache POI, for entries big enough to matter.
_MAX_ENTRIES = 10_000
_MAX_COMPRESSION_RATIO = 100
_RATIO_CHECK_FROM_BYTES = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH = f"{_W}p"
# Block containers walked through in document order: a table reads row by row, cell by cell, and
# content controls and custom XML wrap paragraphs, rows or cells without changing the reading order.
_CONTAINERS = {f"{_W}{tag}" for tag in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml")}
# A paragraph's visible runs, including tracked insertions, hyperlinks, fields and inline content
# controls; not deleted or moved-away text, not text boxes (their own paragraphs, drawn elsewhere),
# and not the legacy copy that markup-compatibility fallbacks repeat.
_VISIBLE_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent or ancestor::mc:Fallback)]",
    namespaces={
        "w": _W.strip("{}"),
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    },
)


def docx_paragraphs(data: bytes, *, max_unzipped_bytes: int) -> list[str]:
    _check_archive(data, max_unzipped_bytes=max_unzipped_bytes)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        return [_paragraph_text(paragraph) for paragraph in _paragraphs(body)]
    except Exception as exc:  # noqa: BLE001 - any parser failure on an uploaded file means "damaged"
        raise ExtractionError(ErrorCode.CORRUPT, gettext_noop("The DOCX file is damaged and cannot be read.")) from exc


def _check_archive(data: bytes, *, max_unzipped_bytes: int) -> None:
    """Refuse before anything is decompressed. The actual sizes cannot exceed the declared ones
    checked here: zipfile stops each entry at its declared size and then fails its CRC check."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    if len(entries) > _MAX_ENTRIES:
        raise _zip_bomb()
    total = 0
    for entry in entries:
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or entry.flag_bits & 0x1:
            raise ExtractionError(
                ErrorCode.UNSUPPORTED_TYPE, gettext_noop("The DOCX uses encryption or compression that Word does not produce.")
            )
        if (
            entry.file_size > _RATIO_CHECK_FROM_BYTES
            and entry.file_size > _MAX_COMPRESSION_RATIO * entry.compress_size
        ):
            raise _zip_bomb()
        total += entry.file_size
    if total > max_unzipped_bytes:
        raise _zip_bomb()


def _zip_bomb() -> ExtractionError:
    return ExtractionError(ErrorCode.ZIP_BOMB, gettext_noop("The DOCX archive expands beyond the allowed size."))


def _paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    for child in container:
        if child.tag == _PARAGRAPH:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _paragraphs(child)


def _paragraph_text(paragraph: etree._Element) -> str:
    # python-docx's Paragraph.text skips tracked insertions and content controls; its run elements
    # still turn tabs, breaks and non-breaking hyphens into text.
    return "".join(run.text for run in _VISIBLE_RUNS(paragraph))
