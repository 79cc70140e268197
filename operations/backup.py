"""Backup, restore and the disaster-recovery drill.

A backup is a folder: the database (pg_dump's custom format), the uploaded documents (a tar of MEDIA_ROOT), the
audit checkpoint file and the keys needed to read what the database holds (SECRET_KEY, from which the pseudonym
and session keys derive unless set on their own, PII_MAPPING_KEY, AUDIT_CHECKPOINT_KEY), each encrypted with
BACKUP_KEY (Fernet: AES-128-CBC with an HMAC), and a manifest of their SHA-256s, plaintext and encrypted, with
the audit chain's last event: what a restore from it would lose is everything after that (the recovery point).
Keep BACKUP_KEY apart from the backups: with both, anyone reads everything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
PARTS = ("database.dump", "media.tar", "checkpoints.jsonl", "timestamps.jsonl", "keys.json")
# The RFC 3161 tokens of the checkpoints (audit/timestamps.py) are restored beside the checkpoint file.
TIMESTAMPS = "timestamps.jsonl"
COUNTED_TABLES = ("audit_auditevent", "reviews_matter", "reviews_document", "reviews_contractreview",
                  "reviews_finding", "reviews_counterparty", "reviews_counterpartyreview")  # fmt: skip


class BackupError(Exception):
    """A backup that cannot be made or trusted, or a restore target that is not empty."""


def _fernet() -> Fernet:
    if not settings.BACKUP_KEY:
        raise ImproperlyConfigured("BACKUP_KEY is empty: make setup writes one into .env")
    return Fernet(settings.BACKUP_KEY.encode())


def database_url(db: dict, name: str | None = None) -> str:
    """A libpq URL for pg_dump and pg_restore (their passwords never on a command line others can read)."""
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


def _media_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, arcname=".")
    return buffer.getvalue()


@dataclass
class Manifest:
    created_at: str
    database: str
    last_event_seq: int | None
    last_event_at: str | None
    rows: dict[str, int]  # of the tables a drill compares, in the dump's snapshot
    parts: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {"sha256", "encrypted_sha256"}


def backup(out: Path) -> Manifest:
    """Write a consistent, encrypted backup into the empty or new folder `out`."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"{out} is not empty")
    db = connection.settings_dict
    dump = out / "database.dump.plain"
    # One snapshot for the dump, the row counts and the last event, whatever runs meanwhile: pg_dump takes the
    # snapshot this transaction exports, which lives as long as the transaction.
    with psycopg.connect(database_url(db)) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        (snapshot_id,) = snapshot.execute("SELECT pg_export_snapshot()").fetchone()
        last = snapshot.execute("SELECT seq, occurred_at FROM audit_auditevent ORDER BY seq DESC LIMIT 1").fetchone()
        rows = {table: snapshot.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES}
        done = subprocess.run(["pg_dump", "--format", "custom", "--no-owner", "--snapshot", snapshot_id, "--file",
                               str(dump), "--dbname", database_url(db)], capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    checkpoint_file, timestamp_file = Path(settings.AUDIT_CHECKPOINT_FILE), Path(settings.AUDIT_TIMESTAMP_FILE)
    keys = {"SECRET_KEY": settings.SECRET_KEY, "PII_MAPPING_KEY": settings.PII_MAPPING_KEY,
            "AUDIT_CHECKPOINT_KEY": settings.AUDIT_CHECKPOINT_KEY}  # fmt: skip
    plain = {
        "database.dump": dump.read_bytes(),
        "media.tar": _media_tar(),
        "checkpoints.jsonl": checkpoint_file.read_bytes() if checkpoint_file.exists() else b"",
        TIMESTAMPS: timestamp_file.read_bytes() if timestamp_file.exists() else b"",
        "keys.json": json.dumps(keys).encode(),
    }
    dump.unlink()
    fernet = _fernet()
    manifest = Manifest(timezone.now().isoformat(), db["NAME"], last[0] if last else None,
                        last[1].isoformat() if last else None, rows)  # fmt: skip
    for name, data in plain.items():
        encrypted = fernet.encrypt(data)
        (out / f"{name}.enc").write_bytes(encrypted)
        manifest.parts[name] = {"sha256": hashlib.sha256(data).hexdigest(),
                                "encrypted_sha256": hashlib.sha256(encrypted).hexdigest()}  # fmt: skip
    (out / MANIFEST).write_text(json.dumps(manifest.__dict__, indent=1))
    for path in out.iterdir():
        path.chmod(0o600)
    return manifest


def read_part(folder: Path, name: str, manifest: dict) -> bytes:
    """A part decrypted, checked against the manifest before and after decryption."""
    encrypted = (folder / f"{name}.enc").read_bytes()
    recorded = manifest["parts"][name]
    if hashlib.sha256(encrypted).hexdigest() != recorded["encrypted_sha256"]:
        raise BackupError(f"{name} does not match the manifest: the backup was altered or damaged")
    try:
        data = _fernet().decrypt(encrypted)
    except InvalidToken as error:
        raise BackupError(f"{name} cannot be decrypted with this BACKUP_KEY") from error
    if hashlib.sha256(data).hexdigest() != recorded["sha256"]:
        raise BackupError(f"{name} decrypts to something else than was backed up")
    return data


def restore(folder: Path, *, database: dict, media_root: Path, checkpoint_file: Path,
            timestamp_file: Path | None = None, force: bool = False) -> dict:  # fmt: skip
    """Restore into `database` (a settings-style dict; it must exist and be empty unless `force`) and an empty
    `media_root`, the checkpoints into `checkpoint_file` and their timestamps into `timestamp_file` (default:
    beside the checkpoints); returns the manifest."""
    manifest = json.loads((folder / MANIFEST).read_text())
    # All checked before anything is written; a backup from before timestamps were kept has none.
    parts = {name: read_part(folder, name, manifest) for name in PARTS if name in manifest["parts"]}
    url = database_url(database)
    tables = subprocess.run(["psql", "-X", "-At", "-c", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                             "-d", url], capture_output=True, text=True)  # fmt: skip
    if tables.returncode:
        raise BackupError(f"cannot reach the target database: {tables.stderr.strip()[:300]}")
    if int(tables.stdout.strip() or 0) and not force:
        raise BackupError(f"the database {database['NAME']} is not empty (use --force to restore over it)")
    if media_root.exists() and any(media_root.iterdir()) and not force:
        raise BackupError(f"{media_root} is not empty (use --force to restore over it)")
    dump = media_root.parent / f".restore-{os.getpid()}.dump"
    media_root.mkdir(parents=True, exist_ok=True)
    dump.write_bytes(parts["database.dump"])
    try:
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", *(["--clean", "--if-exists"] if force
                               else []), "-d", url, str(dump)], capture_output=True, text=True)  # fmt: skip
    finally:
        dump.unlink()
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    with tarfile.open(fileobj=io.BytesIO(parts["media.tar"])) as archive:
        archive.extractall(media_root, filter="data")  # no links out, no absolute paths
    checkpoint_file.parent.mkdir(parents=True, exist_ok=True)
    checkpoint_file.write_bytes(parts["checkpoints.jsonl"])
    (timestamp_file or checkpoint_file.with_name(TIMESTAMPS)).write_bytes(parts.get(TIMESTAMPS, b""))
    return manifest


@dataclass
class DrillReport:
    steps: dict[str, float]  # seconds each took
    counts: dict[str, tuple[int, int]]  # table -> (source, restored)
    verify: str
    recovery_point: str | None  # the last event the backup holds
    ok: bool


def _psql(url: str, statement: str) -> str:
    done = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement, "-d", url],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise BackupError(f"psql failed: {done.stderr.strip()[:300]}")
    return done.stdout.strip()


def drill(work: Path) -> DrillReport:
    """Back up this database, restore it into a fresh one, verify the restored audit trail with the restored
    checkpoints, compare row counts and open the newest restored review's document; time each step."""
    db = connection.settings_dict
    target = {**db, "NAME": f"{db['NAME']}_drill"}
    steps: dict[str, float] = {}

    def timed(step: str, run):
        started = time.monotonic()
        result = run()
        steps[step] = round(time.monotonic() - started, 2)
        return result

    manifest = timed("backup", lambda: backup(work / "backup"))
    server = database_url(db, "postgres")
    _psql(server, f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
    _psql(server, f'CREATE DATABASE "{target["NAME"]}"')
    try:
        timed("restore", lambda: restore(work / "backup", database=target, media_root=work / "media",
                                         checkpoint_file=work / "checkpoints.jsonl"))  # fmt: skip
        restored = database_url(target)
        verify = timed("verify", lambda: _verify(restored, work / "checkpoints.jsonl"))
        counts = {table: (manifest.rows[table], int(_psql(restored, f"SELECT count(*) FROM {table}")))
                  for table in COUNTED_TABLES}  # fmt: skip
        opened = timed("open a review", lambda: _open_newest_review(restored, work / "media"))
    finally:
        _psql(server, f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
    ok = verify[0] and opened and all(before == after for before, after in counts.values())
    return DrillReport(steps, counts, verify[1], manifest.last_event_at, ok)


def _verify(url: str, checkpoint_file: Path) -> tuple[bool, str]:
    """audit_verify against the restored database and checkpoint file, in a process of its own."""
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_AS_OWNER": "false",
           "AUDIT_CHECKPOINT_FILE": str(checkpoint_file),
           "AUDIT_TIMESTAMP_FILE": str(checkpoint_file.with_name(TIMESTAMPS)),
           "AUDIT_TSA_CA_FILE": settings.AUDIT_TSA_CA_FILE}  # fmt: skip
    done = subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "audit_verify"], env=env,
                          capture_output=True, text=True)  # fmt: skip
    return done.returncode == 0, (done.stdout or done.stderr).strip()[-500:]


def _open_newest_review(url: str, media_root: Path) -> bool:
    """The newest contract review's document: its text in the database and its file among the restored media."""
    row = _psql(url, "SELECT d.file, length(d.text) FROM reviews_contractreview r "
                     "JOIN reviews_document d ON d.id = r.document_id ORDER BY r.id DESC LIMIT 1")  # fmt: skip
    if not row:
        return True  # no review to open
    file_name, text_length = row.split("|")
    return int(text_length) > 0 and (media_root / file_name).is_file()
