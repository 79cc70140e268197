"""PDF reports: a ~200-page audit log report, rendered by the real `export_report` command.

Run: .venv/bin/python bench/bench_reports.py [--events 5600]

The events go into a database of its own (`workbench_bench_reports`, created, migrated and dropped again),
never the development database, through the real audit service (a valid chain). The report is then made in a
fresh child process by the service the Celery task and `export_report` call, timed around that call (as in a
running worker, whose imports are done), with the child's start-up reported apart; its CPU time and peak
RSS are printed, and the page count read back from the PDF. Targets: 200 pages in at most 15 s and 1 GB.
"""

import argparse
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "workbench_bench_reports"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _environment(scratch: Path) -> dict[str, str]:
    """The bench database and scratch files; the export child inherits them."""
    return {
        "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}",
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "DJANGO_HTTPS": "false",
        "AUDIT_SYSLOG_ADDRESS": "",
        "AUDIT_CHECKPOINT_FILE": str(scratch / "checkpoints.jsonl"),
        "MEDIA_ROOT": str(scratch / "media"),
        "LOG_LEVEL": "WARNING",
    }


def _admin(sql: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql)


def _payload(rng: random.Random, action: str, i: int) -> dict:
    if action == "llm.called":
        return {"outcome": "ok", "model": "SmolLM2-135M-Instruct", "model_version_id": 3, "use": "contract_review",
                "prompt_sha256": f"{rng.getrandbits(256):064x}", "tokens_in": rng.randint(200, 3000),
                "tokens_out": rng.randint(20, 400), "latency_ms": rng.randint(300, 9000), "attempt": 1}  # fmt: skip
    if action == "review.completed":
        return {
            "findings": rng.randint(0, 30),
            "by_severity": {"high": 2, "medium": 5, "low": 3},
            "spans": 120,
        }
    if action == "finding.commented":
        return {"review_id": i // 40, "category": "Governing Law", "comment_chars": rng.randint(5, 400)}
    if action == "document.uploaded":
        return {
            "name": f"契約書-{i}.pdf",
            "sha256": f"{rng.getrandbits(256):064x}",
            "size": rng.randint(10**4, 10**7),
        }
    return {"review_id": i // 40} if action.startswith("review") else {}


def seed(events: int) -> None:
    """`events` audit events through audit.services.record_event, in batches of one transaction each."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from audit.services import record_event

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    actions = ["review.submitted", "review.completed", "llm.called", "llm.called", "document.uploaded",
               "document.viewed", "finding.commented", "finding.confirmed", "auth.login"]  # fmt: skip
    for start in range(0, events, 1000):
        with transaction.atomic():
            for i in range(start, min(events, start + 1000)):
                action = rng.choice(actions)
                record_event(action=action, system="bench", object_type="contracts.contractreview",
                             object_id=i // 40, matter_id=1 + i % 25, payload=_payload(rng, action, i))  # fmt: skip


def export(out: Path) -> None:
    """The child: start Django, then time one audit log export."""
    started = time.perf_counter()
    import django

    django.setup()
    import worker.reports  # noqa: F401  (a worker has WeasyPrint loaded before its first report)
    from audit.reports.services import export_report

    startup = time.perf_counter() - started
    cpu_before, started = os.times(), time.perf_counter()
    report = export_report(kind="audit-log", which="all", system="bench", out=out)
    wall, cpu_after = time.perf_counter() - started, os.times()
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(f"audit-log report: {report.pages} pages, {report.size / 1e6:.1f} MB, export {wall:.1f} s wall "
          f"(target <= 15 s), {cpu:.1f} s cpu, peak RSS {peak_mb:.0f} MB (target <= 1024 MB); "
          f"process start-up before it {startup:.1f} s; load average {os.getloadavg()[0]:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5600)  # about 200 pages
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_out:
        export(args.child_out)
        return
    scratch = Path(tempfile.mkdtemp(prefix="workbench-bench-reports-"))
    os.environ.update(_environment(scratch))
    _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {BENCH_DB}")
    try:
        started = time.perf_counter()
        seed(args.events)
        print(f"seeded {args.events} audit events in {time.perf_counter() - started:.1f} s")
        out = scratch / "audit-log.pdf"
        subprocess.run(
            [sys.executable, __file__, "--child-out", str(out)], cwd=ROOT, env=os.environ, check=True
        )
        import pypdf

        print(f"read back: {len(pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)} pages")
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
