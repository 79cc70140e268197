"""Signed, chained checkpoints of the chain head, appended to a file outside the database.

A checkpoint is signed (HMAC-SHA256) with AUDIT_CHECKPOINT_KEY, a key of its own: never derived from
SECRET_KEY, so rotating that changes nothing here. Each checkpoint names its key's id, so after a rotation the
old ones still verify under a key listed in AUDIT_CHECKPOINT_OLD_KEYS. Each carries its number and the digest
of the one before it, and the database records the newest (AuditCheckpoint), so verification finds a file that
was removed, truncated or cut in the middle.

Lines written before key ids existed (no number, no key) were signed with a key derived from SECRET_KEY when
AUDIT_CHECKPOINT_KEY was empty. They verify only when the key that signed them is configured, current or old:
that derived key is given as an old key in its `hex:` form (see README, Settings). Otherwise verification
reports them as unverifiable.
"""

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, dumps_canonical, format_time
from audit.models import AuditCheckpoint, AuditEvent, SyslogOutbox
from audit.syslog import checkpoint_message

CHECKPOINT_LOCK = 0x5742_4350  # one writer at a time keeps the checkpoints' own chain linear


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    mac: str
    number: int | None = None  # None on a line from before checkpoints were numbered, chained and keyed
    prev: str | None = None  # the digest of checkpoint number - 1 (GENESIS_HASH for the first)
    key: str | None = None  # the id of the key that signed it

    @property
    def digest(self) -> str:
        return hashlib.sha256(dumps_canonical(asdict(self)).encode()).hexdigest()

    def signed_message(self) -> str:
        if self.number is None:
            return f"{self.seq}:{self.hash}:{self.at}"
        return f"checkpoint:{self.number}:{self.prev}:{self.seq}:{self.hash}:{self.at}"


def _key_bytes(entry: str) -> bytes:
    """A key as configured: its UTF-8 text, or `hex:` and the hex of raw bytes (the old derived key)."""
    return bytes.fromhex(entry.removeprefix("hex:")) if entry.startswith("hex:") else entry.encode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def signing_key() -> bytes:
    if not settings.AUDIT_CHECKPOINT_KEY:
        raise ImproperlyConfigured(
            "AUDIT_CHECKPOINT_KEY is empty: audit checkpoints, retention runs and archives need a key of their "
            "own (`make setup` writes a random one into .env)"
        )
    return _key_bytes(settings.AUDIT_CHECKPOINT_KEY)


def verification_keys() -> dict[str, bytes]:
    """Every key a signature may have been made with, by key id: the current one and the old ones."""
    keys = [signing_key(), *(_key_bytes(entry) for entry in settings.AUDIT_CHECKPOINT_OLD_KEYS if entry)]
    return {key_id(key): key for key in keys}


def _hmac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def mac(message: str) -> str:
    """HMAC-SHA256 with the current checkpoint key: checkpoints, retention runs and signed archives all use it."""
    return _hmac(signing_key(), message)


def mac_verifies(message: str, signature: str, keys: dict[str, bytes]) -> bool:
    """Whether any of `keys` (verification_keys()) made `signature`, for records that do not name their key."""
    return any(hmac.compare_digest(signature, _hmac(key, message)) for key in keys.values())


def signature_problem(checkpoint: Checkpoint, keys: dict[str, bytes]) -> str:
    """Why the checkpoint's signature does not verify under `keys` (verification_keys()); empty when it does."""
    if checkpoint.key is None:
        if mac_verifies(checkpoint.signed_message(), checkpoint.mac, keys):
            return ""
        return (
            f"the checkpoint of {checkpoint.at} predates key ids and no configured key signed it (probably "
            "the key derived from the old SECRET_KEY: add it to AUDIT_CHECKPOINT_OLD_KEYS in its hex: form)"
        )
    key = keys.get(checkpoint.key)
    if key is None:
        return (
            f"checkpoint {checkpoint.number} is signed with key id {checkpoint.key}, which is not configured "
            "(add that key to AUDIT_CHECKPOINT_OLD_KEYS)"
        )
    if not hmac.compare_digest(checkpoint.mac, _hmac(key, checkpoint.signed_message())):
        return f"checkpoint {checkpoint.number}'s signature is invalid"
    return ""


def write_checkpoint(path: Path | None = None) -> Checkpoint | None:
    """Sign the current head, append it to the file and record it in the database; None while the trail is empty.

    Also queued for syslog when forwarding is on, so a copy leaves the machine with the events.
    """
    key = signing_key()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK])
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None:
            return None
        newest = AuditCheckpoint.objects.order_by("-number").first()
        unsigned = Checkpoint(
            seq=head[0], hash=head[1], at=format_time(timezone.now()), mac="",
            number=newest.number + 1 if newest else 1, prev=newest.digest if newest else GENESIS_HASH,
            key=key_id(key),
        )  # fmt: skip
        checkpoint = replace(unsigned, mac=_hmac(key, unsigned.signed_message()))
        AuditCheckpoint.objects.create(
            number=checkpoint.number, event_seq=checkpoint.seq, digest=checkpoint.digest
        )
        if settings.AUDIT_SYSLOG_ADDRESS:
            SyslogOutbox.objects.create(
                event_seq=checkpoint.seq, message=checkpoint_message(asdict(checkpoint))
            )
        # Written last: a failure before this leaves no line the database does not know of.
        path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
    return checkpoint


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [Checkpoint(**json.loads(line)) for line in lines if line.strip()]
