"""With a key in the environment the report is signed; the recorded hash is the signed file's."""

import datetime as dt
import hashlib
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from audit.models import AuditEvent
from audit.reports.services import export_report
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_key(tmp_path, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Workbench reports (test)")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256())
    )  # fmt: skip
    key_path, cert_path = tmp_path / "report.key", tmp_path / "report.crt"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.REPORT_SIGNING_KEY, settings.REPORT_SIGNING_CERT = str(key_path), str(cert_path)
    return cert_path


def test_signed_report_verifies_and_its_signed_bytes_are_what_the_trail_records(signing_key):
    report = export_report(kind="license-register", which="all", system="tests")
    data = report.path.read_bytes()
    assert report.signed and "Digitally signed" in pdf_text(data)
    event = AuditEvent.objects.get(action="report.exported")
    assert event.payload["signed"] is True and event.payload["sha256"] == hashlib.sha256(data).hexdigest()

    # The recipient trusts the workbench's certificate.
    trust = ValidationContext(trust_roots=[load_cert_from_pemder(signing_key)])
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(data)).embedded_signatures[0], trust)
    assert status.intact and status.valid and status.trusted

    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01  # inside the rendered pages, which the signature covers
    altered = validate_pdf_signature(PdfFileReader(io.BytesIO(bytes(tampered))).embedded_signatures[0], trust)
    assert not altered.intact
