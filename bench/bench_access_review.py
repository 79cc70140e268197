"""Access-review campaign snapshot: 1,000 users, 200 groups, 10,000 matters (target: under 30 s).

Run: .venv/bin/python bench/bench_access_review.py [--users 1000 --groups 200 --matters 10000]

Seeds a database of its own (`workbench_bench_access`, created, migrated and dropped again) with bulk inserts:
every matter's owner holds the three owner permissions, three other people a direct view grant and two groups a
view grant; each person belongs to three groups. Then times `start_campaign` (the snapshot, the flags and its
audit event) as a compliance officer's request or the beat job would run it.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "workbench_bench_access"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _admin(sql: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql)


def seed(rng: random.Random, users: int, groups: int, matters: int) -> None:
    from datetime import timedelta

    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from accounts.models import User
    from reviews.matters.models import Matter, MatterGroupObjectPermission, MatterUserObjectPermission

    now = timezone.now()
    people = User.objects.bulk_create(
        User(username=f"bench{i}", email=f"bench{i}@example.test", password="!",
             last_login=None if i % 10 == 0 else now - timedelta(days=rng.randint(0, 200)))
        for i in range(users)
    )  # fmt: skip
    teams = Group.objects.bulk_create(Group(name=f"Team {i}") for i in range(groups))
    Membership = User.groups.through
    Membership.objects.bulk_create(
        Membership(user_id=person.pk, group_id=team.pk)
        for person in people for team in rng.sample(teams, 3)
    )  # fmt: skip
    cases = Matter.objects.bulk_create(
        (
            Matter(reference=f"B-{i:06d}", title=f"Bench matter {i}", owner=rng.choice(people))
            for i in range(matters)
        ),
        batch_size=5000,
    )
    perms = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label=Matter._meta.app_label, content_type__model="matter")
    }
    user_grants, group_grants = [], []
    for case in cases:
        for codename in ("view_matter", "change_matter", "manage_matter_access"):
            user_grants.append(
                MatterUserObjectPermission(
                    permission=perms[codename], user_id=case.owner_id, content_object=case
                )
            )
        for person in rng.sample(people, 3):
            if person.pk != case.owner_id:
                user_grants.append(
                    MatterUserObjectPermission(
                        permission=perms["view_matter"], user=person, content_object=case
                    )
                )
        for team in rng.sample(teams, 2):
            group_grants.append(
                MatterGroupObjectPermission(permission=perms["view_matter"], group=team, content_object=case)
            )
    MatterUserObjectPermission.objects.bulk_create(user_grants, batch_size=5000)
    MatterGroupObjectPermission.objects.bulk_create(group_grants, batch_size=5000)
    print(f"seeded: {users} users, {groups} groups, {matters} matters, "
          f"{len(user_grants)} user grants, {len(group_grants)} group grants")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--matters", type=int, default=10000)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-access-")
    os.environ.update({
        "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}", "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "DJANGO_HTTPS": "false", "AUDIT_SYSLOG_ADDRESS": "", "LOG_LEVEL": "WARNING",
        "AUDIT_CHECKPOINT_FILE": str(Path(scratch) / "checkpoints.jsonl"), "MEDIA_ROOT": str(Path(scratch) / "media"),
    })  # fmt: skip
    _admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin(f"CREATE DATABASE {BENCH_DB}")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from audit.access_reviews.services import start_campaign

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed(random.Random(8), args.users, args.groups, args.matters)
        print(f"seed: {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            campaign = start_campaign(system="bench")
        elapsed = time.perf_counter() - started
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        print(
            f"{len(queries)} queries; slowest: "
            + ", ".join(f"{q['time']} s {q['sql'][:60]!r}" for q in slowest)
        )
        print(f"snapshot: {campaign.items.count()} items, {len(campaign.flags['dormant'])} dormant, "
              f"{len(campaign.flags['many_matters'])} with many matters")  # fmt: skip
        print(f"campaign snapshot: {elapsed:.2f} s (target < 30 s): {'met' if elapsed < 30 else 'NOT met'}")
        connection.close()
    finally:
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
