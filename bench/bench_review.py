"""Contract review speed without the LLM: extract, segment + classify, playbook, save, on one core.

Run: .venv/bin/python bench/bench_review.py [--limit N]
Prints the stages for the median-length contract of the shared CUAD split (about 33k characters) and
contracts per minute over the split. Saving goes to a scratch database, created and dropped here.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "workbench_bench_reviews"
base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/workbench").rsplit("/", 1)[0]
os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from reviews.contracts.models import ContractReview  # noqa: E402
from reviews.contracts.playbooks import load_shipped_playbooks  # noqa: E402
from reviews.contracts.runs import _finish  # noqa: E402
from reviews.matters.models import Document  # noqa: E402
from workbench.ops.ensure_database import ensure_database  # noqa: E402
from worker.clauses import ClauseClassifier  # noqa: E402
from worker.extraction import extract_text  # noqa: E402
from worker.pipeline import review_text  # noqa: E402
from worker.playbook import Playbook  # noqa: E402

CONTRACTS = ROOT.parent / "shared" / "datasets" / "cuad" / "contracts"


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="review only the first N contracts (0: all)")
    limit = parser.parse_args().limit
    ensure_database()
    call_command("migrate", verbosity=0)
    try:
        run(limit)
    finally:
        connection.close()
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def run(limit: int) -> None:
    from accounts.models import User
    from reviews.matters.models import Matter

    user, _ = User.objects.get_or_create(username="bench")
    matter, _ = Matter.objects.get_or_create(reference="BENCH", defaults={"title": "bench", "owner": user})
    version = next(v for v in load_shipped_playbooks() if v.playbook.name == "Master services / SaaS")
    playbook = Playbook.model_validate(version.rules)
    classifier, load_seconds = _timed(ClauseClassifier.load)
    info = {"name": classifier.info.name, "version": classifier.info.version, "sha256": classifier.info.sha256}
    print(f"classifier {info['name']} {info['version']} ready in {load_seconds:.1f} s")

    paths = sorted(CONTRACTS.glob("*.txt"))[: limit or None]
    rows = []
    for path in paths:
        data = path.read_bytes()
        document, extract_s = _timed(extract_text, data)
        outcome, classify_s = _timed(review_text, document.text, playbook, classifier=classifier)
        stored = Document.objects.create(matter=matter, name=path.name[:255], sha256=document.sha256, size=document.size,
                                         kind=document.kind, mime_type=document.mime_type, text=document.text,
                                         uploaded_by=user, file=f"bench/{document.sha256}")  # fmt: skip
        review = ContractReview.objects.create(matter=matter, document=stored, playbook_version=version, requested_by=user)
        _, save_s = _timed(_finish, review, outcome, info, {}, {})
        rows.append((len(document.text), extract_s, classify_s, save_s, len(outcome.findings)))

    total = sum(r[1] + r[2] + r[3] for r in rows)
    rows.sort()
    median = rows[len(rows) // 2]
    print(f"median contract: {median[0]:,} chars  extract {median[1]:.3f} s  segment+classify+playbook {median[2]:.3f} s  "
          f"save {median[3]:.3f} s  total {sum(median[1:4]):.3f} s  ({median[4]} findings)")
    per_contract = [r[1] + r[2] + r[3] for r in rows]
    print(f"{len(rows)} contracts in {total:.1f} s: {60 * len(rows) / total:.1f} contracts per minute on one core; "
          f"per contract median {statistics.median(per_contract):.3f} s, p95 {sorted(per_contract)[int(0.95 * len(rows)) - 1]:.3f} s, "
          f"max {max(per_contract):.3f} s (longest {rows[-1][0]:,} chars)")


if __name__ == "__main__":
    main()
