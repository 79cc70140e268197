"""RFC 3161 timestamps of the checkpoints, from a time-stamping authority outside the company (optional).

A checkpoint signed with our own key proves the chain head to anyone who trusts that key; a token from an
independent TSA (AUDIT_TSA_URL) proves the head existed at the TSA's time to anyone who trusts the TSA, even
against someone who holds our key and rewrites the file and the database together. Tokens are appended to
AUDIT_TIMESTAMP_FILE beside the checkpoints; verification checks each against the checkpoint it names and the TSA
roots in AUDIT_TSA_CA_FILE. A TSA that does not answer costs that checkpoint its token, never the checkpoint.
"""

import asyncio
import base64
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog
from asn1crypto import cms, pem, tsp
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.sign.timestamps.common_utils import handle_tsp_response
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from audit.checkpoints import Checkpoint

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Stamp:
    number: int  # the checkpoint's
    digest: str  # the checkpoint's digest, which the token's message imprint must equal
    tsa: str
    token: str  # base64 of the DER TimeStampToken (a CMS ContentInfo)

    @property
    def signed_data(self) -> cms.SignedData:
        return cms.ContentInfo.load(base64.b64decode(self.token))["content"]

    @property
    def time(self) -> str:
        return self.signed_data["encap_content_info"]["content"].parsed["gen_time"].native.isoformat()


def stamp(checkpoint: Checkpoint, path: Path | None = None) -> Stamp | None:
    """Ask the TSA for a token over the checkpoint's digest and append it; None when off or the TSA failed."""
    if not settings.AUDIT_TSA_URL or checkpoint.number is None:
        return None
    nonce, request = TimeStamper().request_cms(bytes.fromhex(checkpoint.digest), "sha256")
    try:
        response = httpx.post(
            settings.AUDIT_TSA_URL, content=request.dump(), timeout=settings.AUDIT_TSA_TIMEOUT_SECONDS,
            headers={"Content-Type": "application/timestamp-query", "Accept": "application/timestamp-reply"},
        )  # fmt: skip
        response.raise_for_status()
        token = handle_tsp_response(tsp.TimeStampResp.load(response.content), nonce)
    except (httpx.HTTPError, TimestampRequestError, ValueError) as error:
        log.warning("audit.timestamp_failed", checkpoint=checkpoint.number, error=error.__class__.__name__)
        return None
    made = Stamp(checkpoint.number, checkpoint.digest, settings.AUDIT_TSA_URL, base64.b64encode(token.dump()).decode())
    path = Path(path or settings.AUDIT_TIMESTAMP_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(made.__dict__, sort_keys=True) + "\n")
    return made


def read_stamps(path: Path | None = None) -> list[Stamp]:
    path = Path(path or settings.AUDIT_TIMESTAMP_FILE)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [Stamp(**json.loads(line)) for line in lines if line.strip()]


def _trust_roots() -> list[asn1_x509.Certificate]:
    data = Path(settings.AUDIT_TSA_CA_FILE).read_bytes()
    return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]


def stamps_problem(stamps: list[Stamp], checkpoints: list[Checkpoint]) -> tuple[int, str] | None:
    """(checkpoint seq, why) for the first token that does not prove its checkpoint; None when all do."""
    if not stamps:
        return None
    if not settings.AUDIT_TSA_CA_FILE:
        return 0, ("checkpoints carry RFC 3161 timestamps but AUDIT_TSA_CA_FILE (the TSA's root certificates) "
                   "is not set, so none can be checked")
    roots = _trust_roots()
    by_number = {checkpoint.number: checkpoint for checkpoint in checkpoints if checkpoint.number is not None}
    for made in stamps:
        checkpoint = by_number.get(made.number)
        seq = checkpoint.seq if checkpoint else 0
        if checkpoint is None or checkpoint.digest != made.digest:
            return seq, (f"the RFC 3161 timestamp of checkpoint {made.number} is over a checkpoint the file no "
                         "longer holds (checkpoint rewritten)")
        if why := _token_problem(made, roots):
            return seq, f"the RFC 3161 timestamp of checkpoint {made.number} {why}"
    return None


def _token_problem(made: Stamp, roots: list[asn1_x509.Certificate]) -> str:
    digest = bytes.fromhex(made.digest)
    context = ValidationContext(trust_roots=roots)
    try:
        status = asyncio.run(validate_tst_signed_data(made.signed_data, context, lambda algorithm: digest))
    except (SignatureValidationError, ValueError) as error:
        return f"is malformed ({error.__class__.__name__})"
    if not status.get("intact") or not status.get("valid"):
        return "does not match its checkpoint or its signature is invalid"
    if status.get("trust_problem_indic") is not None or status.get("validation_path") is None:
        return "is signed by a TSA whose certificate does not chain to AUDIT_TSA_CA_FILE"
    return ""
