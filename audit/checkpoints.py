"""Signed checkpoints of the chain head, appended to a file outside the database."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from audit.chain import format_time
from audit.models import AuditEvent


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    mac: str


def _key() -> bytes:
    # Without a dedicated key the checkpoint key is derived from SECRET_KEY, so a deployment still signs.
    configured = settings.AUDIT_CHECKPOINT_KEY
    if configured:
        return configured.encode()
    return hashlib.sha256(b"workbench-audit-checkpoint:" + settings.SECRET_KEY.encode()).digest()


def mac(message: str) -> str:
    """HMAC-SHA256 with the checkpoint key: checkpoints, retention runs and signed archives all use it."""
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def sign(seq: int, head_hash: str, at: str) -> str:
    return mac(f"{seq}:{head_hash}:{at}")


def write_checkpoint(path: Path | None = None) -> Checkpoint | None:
    """Sign the current head and append it; None when the trail is still empty."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return None
    at = format_time(timezone.now())
    checkpoint = Checkpoint(seq=head[0], hash=head[1], at=at, mac=sign(head[0], head[1], at))
    path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(checkpoint.__dict__, sort_keys=True) + "\n")
    return checkpoint


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [Checkpoint(**json.loads(line)) for line in lines if line.strip()]
