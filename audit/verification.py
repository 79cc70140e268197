"""Walk the chain and say whether it is intact, and if not, where it first breaks."""

import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from audit.chain import CHAINED_FIELDS, GENESIS_HASH, event_hash
from audit.checkpoints import read_checkpoints, sign

BATCH = 20_000


@dataclass(frozen=True)
class Verification:
    intact: bool
    checked: int
    head_seq: int | None
    broken_seq: int | None = None
    reason: str = ""
    checkpoint_seq: int | None = None

    def summary(self) -> str:
        checkpoint = f", checkpoint #{self.checkpoint_seq} agrees" if self.checkpoint_seq else ", no checkpoint yet"
        if self.intact:
            return f"audit trail intact: {self.checked} events checked, head #{self.head_seq}{checkpoint}"
        return f"audit trail BROKEN at event #{self.broken_seq}: {self.reason}"


def _rows(since: int):
    """Stored events in chain order, straight from the database cursor (the fast path for millions)."""
    columns = ", ".join(f'"{name}"' for name in (*CHAINED_FIELDS, "hash"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM audit_auditevent WHERE seq >= %s ORDER BY seq", [since])
        while batch := cursor.fetchmany(BATCH):
            yield from batch


def verify_chain(*, since: int = 1, checkpoint_file: Path | None = None) -> Verification:
    from audit.models import AuditEvent

    expected_prev = None
    if since > 1:
        before = AuditEvent.objects.filter(seq__lt=since).order_by("-seq").values_list("hash", flat=True).first()
        expected_prev = before
    hashes: dict[int, str] = {}
    checkpoints = read_checkpoints(checkpoint_file)
    wanted = {checkpoint.seq for checkpoint in checkpoints}
    checked, previous_seq, head_seq = 0, since - 1, None

    for row in _rows(since):
        fields = dict(zip(CHAINED_FIELDS, row[:-1], strict=True))
        stored_hash, seq = row[-1], fields["seq"]
        if fields["source_ip"] is not None:
            fields["source_ip"] = str(fields["source_ip"])
        if isinstance(fields["payload"], str):  # Django's psycopg setup hands jsonb over as text
            fields["payload"] = json.loads(fields["payload"])
        if checked == 0 and since == 1 and seq != 1:
            return Verification(False, checked, None, seq, "events before this one are missing")
        if checked and seq != previous_seq + 1:
            return Verification(False, checked, None, seq, f"event #{previous_seq + 1} is missing")
        if expected_prev is not None and fields["prev_hash"] != expected_prev:
            return Verification(False, checked, None, seq, "does not link to the event before it (removed or re-ordered)")
        if expected_prev is None and since == 1 and fields["prev_hash"] != GENESIS_HASH:
            return Verification(False, checked, None, seq, "the first event does not start the chain")
        if event_hash(fields) != stored_hash:
            return Verification(False, checked, None, seq, "its content no longer matches its hash (altered)")
        if seq in wanted:
            hashes[seq] = stored_hash
        expected_prev, previous_seq, head_seq = stored_hash, seq, seq
        checked += 1

    return _against_checkpoints(checkpoints, hashes, since, checked, head_seq)


def _against_checkpoints(checkpoints, hashes, since, checked, head_seq) -> Verification:
    latest = None
    for checkpoint in checkpoints:
        if not hmac.compare_digest(checkpoint.mac, sign(checkpoint.seq, checkpoint.hash, checkpoint.at)):
            return Verification(False, checked, head_seq, checkpoint.seq, "a checkpoint's signature is invalid")
        if head_seq is None or checkpoint.seq > head_seq:
            return Verification(
                False, checked, head_seq, checkpoint.seq,
                f"the checkpoint of {checkpoint.at} saw event #{checkpoint.seq}, which is gone (newest events removed)",
            )  # fmt: skip
        if checkpoint.seq >= since and hashes.get(checkpoint.seq) != checkpoint.hash:
            return Verification(
                False, checked, head_seq, checkpoint.seq,
                f"differs from the checkpoint of {checkpoint.at} (the chain was rewritten)",
            )  # fmt: skip
        latest = checkpoint.seq
    return Verification(True, checked, head_seq, checkpoint_seq=latest)
