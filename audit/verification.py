"""Walk the chain and say whether it is intact, and if not, where it first breaks.

Verification is a tight loop over a binary server-side cursor, fetched in a thread while the previous
batch is hashed: PostgreSQL formats times and addresses, orjson writes the canonical JSON (falling back to
the reference path of audit.chain on any difference), so millions of events verify in seconds.
"""

import hashlib
import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import CHAINED_FIELDS, GENESIS_HASH, canonical_number, event_hash, format_time
from audit.checkpoints import (
    Checkpoint,
    mac,
    mac_verifies,
    read_checkpoints,
    signature_problem,
    verification_keys,
)
from audit.formats import event_record
from audit.timestamps import read_stamps, stamps_problem

BATCH = 5_000
# Every event must be covered by a checkpoint within two checkpoint intervals plus this (room for a late beat run).
CHECKPOINT_MARGIN = timedelta(minutes=5)
# The chained fields in CHAINED_FIELDS order; PostgreSQL formats the time and the address as their canonical
# strings (much faster than loading timestamps into Python).
_COLUMNS = (
    "seq",
    """to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
    "actor_id", "actor", "action", "object_type", "object_id", "matter_id",
    "host(source_ip)", "request_id", "payload::text", "prev_hash", "hash",
)  # fmt: skip


@dataclass(frozen=True)
class Verification:
    intact: bool
    checked: int
    head_seq: int | None
    broken_seq: int | None = None
    reason: str = ""
    checkpoint_seq: int | None = None
    retained_through: int | None = None
    timestamped: str = ""  # the newest RFC 3161 token's checkpoint and time, when a TSA stamps them

    def summary(self) -> str:
        if not self.intact:
            where = f" at event #{self.broken_seq}" if self.broken_seq is not None else ""
            return f"audit trail BROKEN{where}: {self.reason}"
        checkpoint = (
            f", checkpoint #{self.checkpoint_seq} agrees" if self.checkpoint_seq else ", no checkpoint yet"
        )
        retained = (
            f", events through #{self.retained_through} archived by retention"
            if self.retained_through
            else ""
        )
        stamped = f", {self.timestamped}" if self.timestamped else ""
        return (
            f"audit trail intact: {self.checked} events checked, head #{self.head_seq}{checkpoint}{retained}"
            f"{stamped}"
        )


@dataclass(frozen=True)
class Boundary:
    """Where the stored chain starts: after the newest retention run, else at the genesis."""

    through_seq: int
    through_hash: str


def _retention_message(through_seq: int, through_hash: str, archive_sha256: str) -> str:
    return f"retention:{through_seq}:{through_hash}:{archive_sha256}"


def retention_mac(through_seq: int, through_hash: str, archive_sha256: str) -> str:
    return mac(_retention_message(through_seq, through_hash, archive_sha256))


def current_boundary() -> Boundary | None | str:
    """The newest retention run's boundary; an error message when its signature does not verify."""
    from audit.models import RetentionRun

    run = RetentionRun.objects.order_by("-through_seq").first()
    if run is None:
        return None
    # A run names no key: any configured one (current or old, after a rotation) may have signed it.
    message = _retention_message(run.through_seq, run.through_hash, run.archive_sha256)
    if not mac_verifies(message, run.mac, verification_keys()):
        return f"the retention record through #{run.through_seq} has an invalid signature"
    return Boundary(run.through_seq, run.through_hash)


@contextmanager
def _batches(since: int, until: int | None) -> Iterator[Iterator[list[tuple]]]:
    """Batches of stored events in chain order, from a binary server-side cursor.

    A thread fetches the next batch while the caller hashes the current one, so PostgreSQL and Python work
    at the same time; leaving the block early stops the thread and closes the cursor.
    """
    sql = f"SELECT {', '.join(_COLUMNS)} FROM audit_auditevent WHERE seq >= %s"
    params: list[int] = [since]
    if until is not None:
        sql += " AND seq <= %s"
        params.append(until)
    with transaction.atomic():
        raw = connection.connection
        ready: queue.Queue[list[tuple] | BaseException | None] = queue.Queue(maxsize=2)
        stop = threading.Event()

        def fetch() -> None:
            outcome: BaseException | None = None
            try:
                with raw.cursor(name="audit_verify", binary=True) as cursor:
                    cursor.execute(sql + " ORDER BY seq", params)
                    while not stop.is_set() and (batch := cursor.fetchmany(BATCH)):
                        ready.put(batch)
            except BaseException as error:  # handed to the consumer, which raises it
                outcome = error
            ready.put(outcome)

        def consume() -> Iterator[list[tuple]]:
            while True:
                item = ready.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item

        fetcher = threading.Thread(target=fetch, name="audit-verify-fetch", daemon=True)
        fetcher.start()
        try:
            yield consume()
        finally:
            stop.set()
            while fetcher.is_alive():  # unblock a fetcher waiting on a full queue
                try:
                    ready.get(timeout=0.05)
                except queue.Empty:
                    pass
            fetcher.join()


def _reference_hash(row: tuple) -> str:
    """The hash as audit.chain computes it, for rows the fast path does not reproduce."""
    fields = dict(zip(CHAINED_FIELDS, row[:-1], strict=True))
    fields["payload"] = json.loads(fields["payload"], parse_float=canonical_number)
    return event_hash(fields)


def verify_chain(
    *, since: int = 1, until: int | None = None, checkpoint_file: Path | None = None,
    timestamp_file: Path | None = None,
) -> Verification:
    """Check every event from `since` (default: the start of the stored chain) up to `until` (default: head).

    Then the checkpoints: each one's signature, their own chain in the file up to the newest one the database
    records, each head against the stored chain (or the signed retention boundary), and that no event older
    than two checkpoint intervals plus CHECKPOINT_MARGIN is left without a checkpoint. Last, each RFC 3161
    timestamp against its checkpoint and the TSA's roots.
    """
    from audit.models import AuditEvent

    keys = verification_keys()  # first: without a checkpoint key nothing can be verified
    boundary = current_boundary()
    if isinstance(boundary, str):
        return Verification(False, 0, None, None, boundary)
    first = boundary.through_seq + 1 if boundary else 1
    since = max(since, first)
    if since == first:
        expected_prev = boundary.through_hash if boundary else GENESIS_HASH
    else:
        expected_prev = (
            AuditEvent.objects.filter(seq__lt=since).order_by("-seq").values_list("hash", flat=True).first()
        )
    checkpoints = read_checkpoints(checkpoint_file)
    wanted = {checkpoint.seq for checkpoint in checkpoints}

    with _batches(since, until) as batches:
        verdict = _walk(batches, since, expected_prev, wanted)
    if isinstance(verdict, Verification):
        return verdict
    hashes, checked, head_seq = verdict
    problem = _checkpoints_problem(checkpoints, keys, Path(checkpoint_file or settings.AUDIT_CHECKPOINT_FILE))
    if problem:
        return Verification(False, checked, head_seq, *problem)
    verdict = _against_checkpoints(checkpoints, hashes, since, until, checked, head_seq, boundary)
    problem = _unchecked_event(checkpoints, boundary, until) if verdict.intact else None
    if problem:
        return Verification(False, checked, head_seq, *problem)
    stamps = read_stamps(timestamp_file)
    if verdict.intact and (problem := stamps_problem(stamps, checkpoints)):
        return Verification(False, checked, head_seq, *problem)
    if verdict.intact and stamps:
        newest = stamps[-1]
        verdict = replace(verdict, timestamped=f"checkpoint {newest.number} timestamped by {newest.tsa} at "
                                               f"{newest.time}")  # fmt: skip
    return verdict


def _checkpoints_problem(
    checkpoints: list[Checkpoint], keys: dict[str, bytes], path: Path
) -> tuple[int, str] | None:
    """(seq, why) when a checkpoint's signature does not verify, or the file's checkpoints do not form one
    unbroken chain up to the database's newest record of them."""
    from audit.models import AuditCheckpoint

    for checkpoint in checkpoints:
        if problem := signature_problem(checkpoint, keys):
            return checkpoint.seq, problem
    chained = [checkpoint for checkpoint in checkpoints if checkpoint.number is not None]
    previous = GENESIS_HASH
    for number, checkpoint in enumerate(chained, start=1):
        if checkpoint.number != number or checkpoint.prev != previous:
            return checkpoint.seq, (
                f"checkpoint {checkpoint.number} in {path} does not follow checkpoint {number - 1} "
                "(checkpoints removed or re-ordered)"
            )
        previous = checkpoint.digest
    newest = AuditCheckpoint.objects.order_by("-number").first()
    if newest is None:
        return None
    if len(chained) < newest.number:
        return newest.event_seq, (
            f"the database records {newest.number} checkpoints but {path} holds {len(chained)} "
            "(the checkpoint file was removed or truncated)"
        )
    if chained[newest.number - 1].digest != newest.digest:
        return newest.event_seq, f"checkpoint {newest.number} in {path} differs from its record in the database"
    return None


def _unchecked_event(
    checkpoints: list[Checkpoint], boundary: Boundary | None, until: int | None
) -> tuple[int, str] | None:
    """(seq, why) for the oldest event no checkpoint covers although one should have by now."""
    from audit.models import AuditEvent

    covered = max([checkpoint.seq for checkpoint in checkpoints] + [boundary.through_seq if boundary else 0])
    uncovered = AuditEvent.objects.filter(seq__gt=covered).order_by("seq")
    if until is not None:
        uncovered = uncovered.filter(seq__lte=until)
    oldest = uncovered.values_list("seq", "occurred_at").first()
    window = timedelta(minutes=2 * settings.AUDIT_CHECKPOINT_MINUTES) + CHECKPOINT_MARGIN
    if oldest is None or oldest[1] >= timezone.now() - window:
        return None
    coverage = f"the newest checkpoint covers #{covered}" if checkpoints else "there is no checkpoint"
    return oldest[0], (
        f"no checkpoint covers this event, recorded at {format_time(oldest[1])}, more than "
        f"{int(window.total_seconds() // 60)} minutes ago: {coverage} (checkpoints stopped, or were removed)"
    )


def _walk(
    batches: Iterator[list[tuple]], since: int, expected_prev: str | None, wanted: set[int]
) -> Verification | tuple[dict[int, str], int, int | None]:
    """Follow the links; the first break as a Verification, else (checkpointed hashes, count, head).

    One flat loop, as this is where the time goes. orjson's sorted compact output equals audit.chain's
    canonical JSON for what record_event writes (strings, 64-bit integers, booleans, null); anything else
    (a float, a larger integer) hashes differently, and only then is the event re-hashed on the reference
    path before it counts as altered.
    """
    dumps, loads, sort, sha256 = orjson.dumps, orjson.loads, orjson.OPT_SORT_KEYS, hashlib.sha256
    hashes: dict[int, str] = {}
    checked, previous_seq, head_seq = 0, since - 1, None
    for batch in batches:
        for row in batch:
            seq, at, actor_id, actor, action, object_type, object_id, matter_id, ip, request_id, payload, prev, stored = row  # fmt: skip
            if seq != previous_seq + 1:
                what = "events before this one are missing" if checked == 0 else f"event #{previous_seq + 1} is missing"  # fmt: skip
                return Verification(False, checked, None, seq, what)
            if expected_prev is not None and prev != expected_prev:
                reason = "does not link to the event before it (removed or re-ordered)"
                if seq == 1:
                    reason = "the first event does not start the chain"
                return Verification(False, checked, None, seq, reason)
            try:
                computed = sha256(dumps({
                    "action": action, "actor": actor, "actor_id": actor_id, "matter_id": matter_id,
                    "object_id": object_id, "object_type": object_type, "occurred_at": at, "payload": loads(payload),
                    "prev_hash": prev, "request_id": request_id, "seq": seq, "source_ip": ip,
                }, option=sort)).hexdigest()  # fmt: skip
            except (orjson.JSONDecodeError, TypeError):
                computed = ""
            if computed != stored and _reference_hash(row) != stored:
                return Verification(
                    False, checked, None, seq, "its content no longer matches its hash (altered)"
                )
            if seq in wanted:
                hashes[seq] = stored
            expected_prev, previous_seq, head_seq = stored, seq, seq
            checked += 1
    return hashes, checked, head_seq


def _against_checkpoints(
    checkpoints: list[Checkpoint], hashes: dict[int, str], since: int, until: int | None,
    checked: int, head_seq: int | None, boundary: Boundary | None,
) -> Verification:  # fmt: skip
    latest = None
    retained = boundary.through_seq if boundary else None
    for checkpoint in checkpoints:
        if until is not None and checkpoint.seq > until:
            continue
        if boundary and checkpoint.seq <= boundary.through_seq:
            # Archived by retention: only the boundary itself can still be compared, against the signed record.
            if checkpoint.seq == boundary.through_seq and checkpoint.hash != boundary.through_hash:
                return Verification(
                    False, checked, head_seq, checkpoint.seq, "differs from the retention record"
                )
            latest = checkpoint.seq
            continue
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
    return Verification(True, checked, head_seq, checkpoint_seq=latest, retained_through=retained)


@dataclass(frozen=True)
class Around:
    """One event checked in place: its own hash, and its links to its neighbours in the chain."""

    hash_ok: bool
    links_back: bool
    links_forward: bool | None  # None for the head, which nothing follows yet

    @property
    def intact(self) -> bool:
        return self.hash_ok and self.links_back and self.links_forward is not False


def verify_around(event, previous, following) -> Around:
    record = event_record(event)
    stored = record.pop("hash")
    if previous is not None and previous.seq == event.seq - 1:
        expected_prev = previous.hash
    else:
        boundary = current_boundary()
        at_boundary = isinstance(boundary, Boundary) and boundary.through_seq == event.seq - 1
        expected_prev = boundary.through_hash if at_boundary else GENESIS_HASH if event.seq == 1 else None
    links_forward = (
        None if following is None else following.seq == event.seq + 1 and following.prev_hash == stored
    )
    return Around(event_hash(record) == stored, event.prev_hash == expected_prev, links_forward)
