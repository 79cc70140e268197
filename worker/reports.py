"""The PDF engine of the audit reports: WeasyPrint that cannot reach the network, and optional signing.

Plain Python (no Django): the caller renders the HTML and says how a static file path maps to a file on
disk. WeasyPrint asks its URL fetcher for every resource (images, stylesheets, fonts named by url());
this one answers only `static:PATH` URLs that the caller's resolver maps to a file, and refuses every other
scheme (http, https, ftp, file, data), so user text that slipped through as markup still cannot make the
server fetch anything (no SSRF) or read a local file into the PDF.
"""

import gc
import hashlib
import logging
import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"
# WeasyPrint logs each step, and each resource it could not load by its URL, which may come from user text:
# quiet it; the fetcher keeps the schemes it refused, and real failures still raise.
logging.getLogger("weasyprint").setLevel(logging.CRITICAL)

StaticResolver = Callable[[str], Path | None]


class RefusedURL(ValueError):
    """A resource the report may not fetch; WeasyPrint leaves it out and renders the rest."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:PATH` from the resolver's files; everything else is refused before any I/O."""

    def __init__(self, resolve_static: StaticResolver) -> None:
        super().__init__(allowed_protocols=())  # the parent's network handlers are never reached
        self._resolve_static = resolve_static
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(STATIC_SCHEME):
            path = self._resolve_static(url.removeprefix(STATIC_SCHEME).lstrip("/"))
            if path is not None and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        # Only the scheme is kept: a refused URL may come from user text.
        self.refused.append(url.split(":", 1)[0][:16])
        raise RefusedURL("reports fetch only the application's own static files")


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    refused: tuple[str, ...]  # schemes of the URLs the fetcher refused

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Layout builds a large tree that lives until the PDF is written: the cycle collector would scan it over
    and over for nothing (about a tenth of the time of a long report). Reference counting still frees the rest."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(html: str, *, resolve_static: StaticResolver) -> RenderedPdf:
    """Lay out and write the PDF. No base URL: a relative reference resolves to nothing."""
    fetcher = StaticOnlyFetcher(resolve_static)
    with _without_cyclic_gc():
        document = HTML(string=html, url_fetcher=fetcher).render()
        data = document.write_pdf()
    return RenderedPdf(data=data, pages=len(document.pages), refused=tuple(fetcher.refused))


@dataclass(frozen=True)
class SigningKey:
    key_path: Path
    cert_path: Path
    passphrase: bytes | None = None


def sign_pdf(data: bytes, key: SigningKey, *, reason: str, field_name: str = "WorkbenchReport") -> bytes:
    """Add a PAdES signature (pyHanko) as an incremental update; a recipient's reader shows any change after it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(str(key.key_path), str(key.cert_path), key_passphrase=key.passphrase)
    if signer is None:
        raise ValueError("the report signing key or certificate could not be read")
    writer = IncrementalPdfFileWriter(BytesIO(data))
    metadata = signers.PdfSignatureMetadata(field_name=field_name, reason=reason)
    return signers.sign_pdf(writer, metadata, signer=signer).getvalue()
