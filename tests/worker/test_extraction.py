import codecs
import hashlib
import io
import random
import struct
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from worker.extraction import (
    MIME_TYPES,
    ErrorCode,
    ExtractionError,
    extract_text,
    normalise_text,
    sniff_type,
)

# Every refused upload below carries this word, which must never leak into an error message.
MARKER = "Zanzibar"


# --- fixtures built on the fly ------------------------------------------------------------------


def make_pdf(pages: list[list[str]], **canvas_options: object) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, **canvas_options)
    for lines in pages:
        for number, line in enumerate(lines):
            pdf.drawString(72, 760 - 16 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(72, 400, 300, 200, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def save_docx(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def insert_body_xml(document: docx.document.Document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the final w:sectPr


def make_rich_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Master Services Agreement", level=1)
    document.add_paragraph("1. Definitions")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Term"
    table.cell(0, 1).text = "12 months"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Merged cell"
    insert_body_xml(
        document,
        f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">Price is </w:t></w:r>'
        '<w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>100</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:t>200</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> EUR.</w:t></w:r></w:p>',
    )
    insert_body_xml(
        document,
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent>'
        "<w:p><w:r><w:t>Inside a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    )
    document.add_paragraph("")
    run = document.add_paragraph().add_run("Line one")
    run.add_break()
    run.add_text("Line\ttwo")
    return save_docx(document)


def make_simple_docx(text: str = "The Supplier shall deliver the goods.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    return save_docx(document)


def rezip(
    archive: bytes,
    *,
    extra: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(buffer, "w", compression) as target:
        for name in source.namelist():
            target.writestr(name, (replace or {}).get(name, source.read(name)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def understate_size(archive: bytes, name: str, declared_size: int) -> bytes:
    """Rewrite the central directory so that `name` claims fewer uncompressed bytes than it holds."""
    data = bytearray(archive)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length].decode() == name:
            struct.pack_into("<I", data, position + 24, declared_size)
            return bytes(data)
        position = data.find(b"PK\x01\x02", position + 46)
    raise AssertionError(f"{name} not in archive")


def assert_refused(data: bytes, code: ErrorCode, **limits: int) -> ExtractionError:
    with pytest.raises(ExtractionError) as raised:
        extract_text(data, **limits)
    error = raised.value
    assert error.code == code
    assert error.message and str(error) == error.message
    assert MARKER not in error.message
    return error


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_text_layer_is_extracted_page_by_page() -> None:
    data = make_pdf([["Master Services Agreement", "1. Definitions"], [], ["Signed in Paris."]])

    document = extract_text(data)

    assert document.kind == "pdf"
    assert document.mime_type == "application/pdf"
    assert document.text == "Master Services Agreement\n1. Definitions\n\nSigned in Paris."
    assert document.pages == 3
    assert document.page_starts == (0, 40, 42)
    assert document.text[document.page_starts[2] :] == "Signed in Paris."
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_word_hyphenated_across_lines_is_joined() -> None:
    data = make_pdf([["The Supplier shall indem-", "nify the Customer."]])

    assert extract_text(data).text == "The Supplier shall indemnify the Customer."


def test_pdf_with_only_an_owner_password_is_read() -> None:
    restricted = StandardEncryption("", ownerPassword="owner", canCopy=0, canPrint=0)
    data = make_pdf([[f"Governed by the laws of {MARKER}."]], encrypt=restricted)

    assert extract_text(data).text == f"Governed by the laws of {MARKER}."


def test_pdf_needing_a_password_is_refused() -> None:
    assert_refused(make_pdf([[MARKER]], encrypt="user-secret"), ErrorCode.ENCRYPTED_PDF)


def test_pdf_without_text_layer_is_refused_with_ocr_hint() -> None:
    error = assert_refused(make_image_only_pdf(), ErrorCode.NO_TEXT_LAYER)
    assert "OCR" in error.message


def test_corrupt_pdf_is_refused() -> None:
    assert_refused(b"%PDF-1.7\n" + MARKER.encode() * 100, ErrorCode.CORRUPT)


def test_pdf_over_the_page_limit_is_refused() -> None:
    data = make_pdf([[MARKER]] * 3)

    assert_refused(data, ErrorCode.TOO_MANY_PAGES, max_pages=2)
    assert extract_text(data, max_pages=3).pages == 3


# --- DOCX -----------------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_revisions_in_reading_order() -> None:
    data = make_rich_docx()

    document = extract_text(data)

    assert document.kind == "docx"
    assert document.mime_type == MIME_TYPES["docx"]
    assert document.pages is None and document.page_starts == ()
    assert document.text == (
        "Master Services Agreement\n\n1. Definitions\n\nTerm\n\n12 months\n\nMerged cell\n\n"
        "Price is 200 EUR.\n\nInside a content control.\n\nLine one\nLine two"
    )


def test_docx_that_is_not_a_valid_zip_is_refused() -> None:
    assert_refused(b"PK\x03\x04" + MARKER.encode() * 50, ErrorCode.CORRUPT)


def test_docx_with_a_highly_compressed_entry_is_a_zip_bomb() -> None:
    data = rezip(make_simple_docx(MARKER), extra={"word/media/padding.bin": b"\0" * (4 * 1024 * 1024)})

    assert_refused(data, ErrorCode.ZIP_BOMB)


def test_docx_expanding_past_the_limit_is_a_zip_bomb() -> None:
    data = make_simple_docx(MARKER)

    assert_refused(data, ErrorCode.ZIP_BOMB, max_unzipped_bytes=10_000)
    assert extract_text(data).text == MARKER


def test_docx_with_too_many_entries_is_a_zip_bomb() -> None:
    data = rezip(make_simple_docx(MARKER), extra={f"padding/{i}.xml": b"" for i in range(10_001)})

    assert_refused(data, ErrorCode.ZIP_BOMB)


def test_docx_entry_larger_than_declared_is_refused() -> None:
    data = understate_size(make_simple_docx(MARKER * 200), "word/document.xml", 100)

    assert_refused(data, ErrorCode.CORRUPT)


def test_docx_with_exotic_compression_is_refused() -> None:
    data = rezip(make_simple_docx(MARKER), compression=zipfile.ZIP_BZIP2)

    assert_refused(data, ErrorCode.UNSUPPORTED_TYPE)


def test_docx_with_broken_document_xml_is_refused() -> None:
    data = rezip(make_simple_docx(), replace={"word/document.xml": f"<w:document>{MARKER}".encode()})

    assert_refused(data, ErrorCode.CORRUPT)


def test_macro_enabled_word_file_is_not_a_docx() -> None:
    source = make_simple_docx(MARKER)
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        content_types = archive.read("[Content_Types].xml").replace(
            b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
        )

    assert_refused(rezip(source, replace={"[Content_Types].xml": content_types}), ErrorCode.UNSUPPORTED_TYPE)


def test_other_zip_archives_are_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", MARKER)

    assert_refused(buffer.getvalue(), ErrorCode.UNSUPPORTED_TYPE)


def test_docx_without_text_is_empty() -> None:
    assert_refused(save_docx(docx.Document()), ErrorCode.EMPTY)


# --- TXT ------------------------------------------------------------------------------------------


def test_utf8_text_is_normalised() -> None:
    data = "Clause 1.\r\nThe  Supplier\u00a0shall pay.  \r\n\r\n\r\nClause 2.\tEnd.\n".encode()

    document = extract_text(data)

    assert document.kind == "txt"
    assert document.mime_type == "text/plain"
    assert document.pages is None
    assert document.text == "Clause 1.\nThe Supplier shall pay.\n\nClause 2. End."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_bom_marked_unicode_text_is_decoded(encoding: str) -> None:
    text = "Der Käufer zahlt gemäß § 5 — 200 €."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data

    assert extract_text(data).text == text


def test_legacy_code_page_text_is_decoded() -> None:
    text = (
        "Le présent contrat est régi par le droit français. Tout litige relatif à son exécution sera "
        "soumis à la compétence exclusive des tribunaux de Paris. Le prestataire s'engage à livrer les "
        "biens dans un délai de trente jours à compter de la commande; le prix est de 500 €."
    )

    assert extract_text(text.encode("cp1252")).text == text


def test_undecodable_text_is_refused() -> None:
    noise = bytes(b or 1 for b in random.Random(7).randbytes(4000))

    assert_refused(noise, ErrorCode.BAD_ENCODING)


def test_text_is_recognised_by_content_not_name() -> None:
    # The API never sees a file name: a "contract.pdf" that holds text is text, and the other way round.
    assert sniff_type(b"Plain contract text saved as contract.pdf") == "txt"
    assert sniff_type(make_pdf([["Real PDF saved as contract.txt"]])) == "pdf"
    assert sniff_type(make_simple_docx()) == "docx"
    assert extract_text(b"Plain contract text saved as contract.pdf").kind == "txt"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + MARKER.encode(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + MARKER.encode(),
        b"{\\rtf1\\ansi " + MARKER.encode() + b"}",
        MARKER.encode("utf-16-le"),  # UTF-16 without a BOM cannot be told from binary
    ],
    ids=["png", "legacy-doc", "rtf", "utf16-without-bom"],
)
def test_other_file_types_are_unsupported(data: bytes) -> None:
    assert_refused(data, ErrorCode.UNSUPPORTED_TYPE)


# --- limits and shared rules ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n "], ids=["no-bytes", "whitespace"])
def test_empty_upload_is_refused(data: bytes) -> None:
    assert_refused(data, ErrorCode.EMPTY)


def test_upload_over_the_size_limit_is_refused() -> None:
    error = assert_refused(MARKER.encode() * 10, ErrorCode.TOO_LARGE, max_bytes=20)
    assert "20 bytes" in error.message
    assert extract_text(MARKER.encode() * 2, max_bytes=20).text == MARKER * 2


@pytest.mark.parametrize(
    "make", [make_rich_docx, lambda: make_pdf([["A", "B"], ["C"]]), lambda: "x\r\ny\u00a0 z".encode()]
)
def test_extraction_is_deterministic_and_normalised_once(make: Callable[[], bytes]) -> None:
    data = make()

    first, second = extract_text(data), extract_text(data)

    assert first == second
    assert normalise_text(first.text) == first.text


def test_normalise_text() -> None:
    raw = "\ufeffﬁnal\u00adly\u2028 the  \u200bPar\ufffeties \u0007agree\r\r\r\n\n  next\u2003para  "

    assert normalise_text(raw) == "finally\nthe Parties agree\n\nnext para"
    assert normalise_text("e\u0301") == "é"  # NFC
