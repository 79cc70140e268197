"""Audit trail: append throughput with 8 writers, verification speed, explorer latency over 1,000,000 events.

Run: .venv/bin/python bench/bench_audit.py [--events 1000000] [--writes 8000]

Everything happens in a database of its own (`workbench_bench`, created, migrated and dropped again), never
the development database. The million events are a valid chain: their hashes are computed by the real
chain code in Python (SQL cannot produce the canonical JSON) and loaded with COPY.
"""

import argparse
import io
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "workbench_bench"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
WRITERS = 8
ACTIONS = [
    "auth.login", "auth.logout", "auth.login_failed", "document.viewed", "findings.viewed", "review.submitted",
    "review.approved", "review.rejected", "finding.triaged", "llm.called", "model_register.changed",
    "matter.access_granted", "audit.exported", "screening.completed",
]  # fmt: skip
WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar".split()
)


def _database_url() -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def _create_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")


def _drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = _database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "workbench.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret")
    os.environ["DJANGO_HTTPS"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["AUDIT_SYSLOG_ADDRESS"] = ""
    os.environ["AUDIT_CHECKPOINT_FILE"] = "/tmp/workbench-bench/checkpoints.jsonl"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _writer(count: int, start) -> None:
    from django.db import connections

    from audit.services import record_event

    start.wait()
    for i in range(count):
        record_event(action="bench.written", system="bench", payload={"i": i, "note": "concurrent writer"})
    connections.close_all()


def bench_writers(total: int, *, synchronous_commit: bool) -> None:
    from django.conf import settings
    from django.db import connections

    from audit.models import AuditEvent
    from audit.verification import verify_chain

    settings.AUDIT_SYNCHRONOUS_COMMIT = synchronous_commit  # inherited by the forked writers
    before = AuditEvent.objects.filter(action="bench.written").count()
    connections.close_all()  # children open their own connections
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [context.Process(target=_writer, args=(total // WRITERS, start)) for _ in range(WRITERS)]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    start.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    if any(worker.exitcode for worker in workers):
        raise SystemExit("a writer failed")
    written = AuditEvent.objects.filter(action="bench.written").count() - before
    result = verify_chain(checkpoint_file=Path("/nonexistent"))
    mode = "synchronous_commit on" if synchronous_commit else "AUDIT_SYNCHRONOUS_COMMIT=false"
    print(f"append ({mode}): {written} events by {WRITERS} writer processes in {elapsed:.2f}s = "
          f"{written / elapsed:,.0f} events/s; "
          f"chain {'intact' if result.intact else 'BROKEN: ' + result.summary()} ({result.checked} checked)")  # fmt: skip


def seed(count: int) -> None:
    """Continue the chain from its head with `count` valid events, loaded with COPY."""
    from django.db import connection

    from audit.chain import GENESIS_HASH, event_hash
    from audit.models import AuditEvent

    rng = random.Random(7)
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev = head if head else (0, GENESIS_HASH)
    moment = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=360) / count
    columns = ("seq", "occurred_at", "actor_id", "actor", "action", "object_type", "object_id", "matter_id",
               "source_ip", "request_id", "payload", "prev_hash", "hash")  # fmt: skip
    began = time.perf_counter()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY audit_auditevent ({', '.join(columns)}) FROM STDIN") as copy:
            for _ in range(count):
                seq += 1
                moment += step
                user = rng.randrange(1, 201)
                matter = rng.randrange(1, 501) if rng.random() < 0.7 else None
                fields = {
                    "seq": seq, "occurred_at": moment, "actor_id": user, "actor": f"user{user}",
                    "action": rng.choice(ACTIONS), "object_type": "reviews.review" if matter else "",
                    "object_id": str(rng.randrange(1, 20_000)) if matter else "", "matter_id": matter,
                    "source_ip": f"10.0.{user % 256}.{rng.randrange(1, 255)}", "request_id": f"{seq:032x}",
                    "payload": {"n": seq, "note": " ".join(rng.sample(WORDS, 3))}, "prev_hash": prev,
                }  # fmt: skip
                prev = event_hash(fields)
                copy.write_row(
                    [*(json.dumps(fields[c]) if c == "payload" else fields[c] for c in columns[:-1]), prev]
                )
    connection.connection.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE audit_auditevent")
    print(f"seeded {count:,} valid chained events with COPY in {time.perf_counter() - began:.1f}s")


def bench_verify() -> None:
    """The `audit_verify` command itself, over every stored event."""
    from django.core.management import call_command

    from audit.models import AuditEvent

    out = io.StringIO()
    began = time.perf_counter()
    call_command("audit_verify", "--checkpoints", "/nonexistent", stdout=out)
    elapsed = time.perf_counter() - began
    count = AuditEvent.objects.count()
    print(
        f"audit_verify: {count:,} events in {elapsed:.2f}s = {count / elapsed:,.0f} events/s ({out.getvalue().strip()})"
    )


def bench_explorer(requests: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from accounts.roles import Role
    from audit.models import AuditEvent
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=Role.COMPLIANCE_OFFICER, username=f"bench-officer-{os.getpid()}"))
    url = reverse("audit:event-list")
    middle = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() // 2
    day = (datetime.now(UTC) - timedelta(days=200)).strftime("%Y-%m-%d")
    cases = {
        "first page": {},
        "deep page (before=middle)": {"before": middle},
        "action": {"action": "review.approved"},
        "action namespace": {"action": "auth."},
        "actor": {"actor": "user42"},
        "matter": {"matter": 123},
        "object": {"object_type": "reviews.review", "object_id": "777"},
        "time range (one day)": {"since": f"{day}T00:00", "until": f"{day}T23:59"},
        "full text (common word)": {"q": "alpha"},
        "full text (two words)": {"q": "bravo kilo"},
        "full text (rare)": {"q": "nomatchanywhere"},
        "actor + action + text": {"actor": "user7", "action": "llm.called", "q": "echo"},
    }
    for name, params in cases.items():
        client.get(url, params)  # warm: the figure is for a page, not for a cold process
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200 or 'data-testid="audit-filters"' not in response.content.decode():
                raise SystemExit(f"explorer {name}: status {response.status_code}")
        p95 = statistics.quantiles(timings, n=20)[-1]
        rows = response.content.decode().count('<td><a href="/audit/')
        print(f"explorer {name}: p95 {p95:.1f} ms, median {statistics.median(timings):.1f} ms ({rows} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events seeded for verify and explorer")
    parser.add_argument("--writes", type=int, default=8_000, help="events appended by the 8 writers")
    parser.add_argument("--requests", type=int, default=40, help="requests per explorer case")
    args = parser.parse_args()
    _create_database()
    try:
        _setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        bench_writers(args.writes, synchronous_commit=True)
        bench_writers(args.writes, synchronous_commit=False)
        seed(args.events)
        bench_verify()
        bench_explorer(args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        _drop_database()


if __name__ == "__main__":
    main()
