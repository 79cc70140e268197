"""A time-stamping authority on loopback that speaks RFC 3161 over HTTP, for the audit anchoring tests.

Its own CA and TSA certificate (extended key usage timeStamping) are made at start; pyhanko's DummyTimeStamper
signs the tokens. The CA certificate is written to a PEM file the workbench is told to trust.
"""

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper


def _certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
        ), critical=True)  # fmt: skip
    else:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


class TimestampAuthority:
    """`with TimestampAuthority(tmp_path) as tsa:` serves at tsa.url and trusts tsa.ca_file."""

    def __init__(self, directory: Path, name: str = "Loopback TSA"):
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca = _certificate(f"{name} Root", ca_key, f"{name} Root", ca_key, ca=True)
        tsa = _certificate(name, tsa_key, f"{name} Root", ca_key, ca=False)
        self.ca_file = directory / f"{name.replace(' ', '-').lower()}-root.pem"
        self.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        der = serialization.Encoding.DER
        private = tsa_key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(der)),
            tsa_key=keys.PrivateKeyInfo.load(private),
            certs_to_embed=[asn1_x509.Certificate.load(ca.public_bytes(der))],
        )
        self.requests = 0
        self.answering = True

    def __enter__(self) -> "TimestampAuthority":
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not authority.answering or self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(503)
                    return
                authority.requests += 1
                reply = authority.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/tsa"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
