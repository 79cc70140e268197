"""Sanctions screening bench on both shared lists: recall on listed names written differently, false alarms
on ordinary names, other people sharing a listed name, throughput, index build time and memory.

Run: .venv/bin/python bench/bench_screening.py [--sample 1200] [--per-locale 1000] [--seed 0]

--seed draws other names than the default set, to check that a change does not just fit these ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_cases import listed_variants, ordinary_names, other_people

from worker.sanctions import Matcher, parse_ofac_sdn_csv, parse_un_xml
from worker.sanctions.normalize import name_tokens

DATA = Path("/work/shared/datasets/sanctions")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=1200, help="listed entries to perturb")
    parser.add_argument("--per-locale", type=int, default=1000, help="Faker names per locale")
    parser.add_argument("--others", type=int, default=1000, help="other people sharing a listed name")
    parser.add_argument("--seed", type=int, default=0, help="0 for the default names, any other for new ones")
    args = parser.parse_args()

    start = time.perf_counter()
    ofac = parse_ofac_sdn_csv(DATA / "ofac_sdn_2024-05.csv", published=dt.date(2024, 5, 31))
    un = parse_un_xml(DATA / "un_consolidated_2020.xml")
    entries = ofac.entries + un.entries
    print(
        f"parse: {time.perf_counter() - start:.2f} s, {len(ofac.entries)} OFAC + {len(un.entries)} UN entries"
    )

    start, cpu = time.perf_counter(), time.process_time()
    matcher = Matcher(entries)
    build, cpu = time.perf_counter() - start, time.process_time() - cpu
    tracemalloc.start()  # a second build, traced: tracing slows it down, so it is not the one timed
    traced_matcher = Matcher(entries)
    traced = tracemalloc.get_traced_memory()[0]  # what the matcher holds once built
    tracemalloc.stop()
    del traced_matcher
    print(
        f"index build: {build:.2f} s wall, {cpu:.2f} s CPU, {len(matcher.index.records)} names; "
        f"memory: {traced / 1e6:.1f} MB "
        f"allocated by the build (tracemalloc), "
        f"sparse matrices {matcher.index.memory_bytes() / 1e6:.1f} MB, "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )

    variants = listed_variants(entries, args.sample, seed=7 + args.seed)
    results = matcher.screen_many([q for _, q, _ in variants])
    flagged: dict[str, Counter[str]] = defaultdict(Counter)
    for (kind, query, entry), result in zip(variants, results):
        found = any(h.entry_id == entry.entry_id and h.list == entry.list_name for h in result.matches)
        flagged[kind]["total"] += 1
        flagged[kind]["flagged"] += result.decision != "clear"
        flagged[kind]["source_found"] += found
    total = sum(c["total"] for c in flagged.values())
    hits = sum(c["flagged"] for c in flagged.values())
    found = sum(c["source_found"] for c in flagged.values())
    print(f"\nlisted names written differently: {total} queries from {args.sample} entries")
    print(f"  recall (match or review): {hits / total:.4f}; listed entry among the hits: {found / total:.4f}")
    for kind, c in sorted(flagged.items()):
        print(
            f"  {kind:15s} {c['total']:5d}  recall {c['flagged'] / c['total']:.4f}  "
            f"entry found {c['source_found'] / c['total']:.4f}"
        )

    ordinary = ordinary_names(args.per_locale, seed=11 + args.seed)
    results = matcher.screen_many([q for _, q in ordinary])
    by_locale: dict[str, Counter[str]] = defaultdict(Counter)
    for (locale, query), result in zip(ordinary, results):
        by_locale[locale][result.decision] += 1
    decisions = Counter(r.decision for r in results)
    print(
        f"\nordinary names (Faker, {len(by_locale)} locales, {len(ordinary)} names): "
        f"match {decisions['match'] / len(ordinary):.4f}, review {decisions['review'] / len(ordinary):.4f}"
    )
    # A Faker name can be exactly a listed name (Zhang Wei is listed): a true name hit, counted apart.
    listed = {tuple(sorted(r.spelling.tokens)) for r in matcher.index.records}
    namesake = [tuple(sorted(name_tokens(q.full_name))) in listed for _, q in ordinary]
    others = Counter(r.decision for r, same in zip(results, namesake) if not same)
    rest = len(ordinary) - sum(namesake)
    print(
        f"  of which {sum(namesake)} are exactly a listed name; the other {rest}: "
        f"match {others['match'] / rest:.4f}, review {others['review'] / rest:.4f}"
    )
    for locale, c in sorted(by_locale.items()):
        n = sum(c.values())
        print(f"  {locale}: match {c['match']}, review {c['review']} of {n}")
    examples = [
        (q.full_name, r.matches[0].name, r.best_score)
        for (_, q), r in zip(ordinary, results)
        if r.decision != "clear"
    ][:8]
    for example in examples:
        print("  e.g.", example)

    others = other_people(entries, args.others, seed=13 + args.seed)
    results = matcher.screen_many([q for q, _ in others])
    decisions = Counter(r.decision for r in results)
    print(
        f"\nlisted name, contradicting birth year and nationality ({len(others)} queries): "
        f"match {decisions['match'] / len(others):.4f}, review {decisions['review'] / len(others):.4f}, "
        f"clear {decisions['clear'] / len(others):.4f}"
    )

    queries = [q for _, q in ordinary] + [q for _, q, _ in variants]
    # CPU time as well as wall time: on a shared machine the wall clock also counts other people's work.
    wall, cpu = time.perf_counter(), time.process_time()
    matcher.screen_many(queries)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    single = queries[:2000]
    one_wall, one_cpu = time.perf_counter(), time.process_time()
    for query in single:
        matcher.screen(query)
    one_wall, one_cpu = time.perf_counter() - one_wall, time.process_time() - one_cpu
    print(
        f"\nthroughput (one process, one thread; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores):"
    )
    print(
        f"  batch of {len(queries)}: {len(queries) / cpu:.0f} names per CPU second, "
        f"{len(queries) / wall:.0f} names/s by wall clock"
    )
    print(
        f"  one at a time ({len(single)}): {len(single) / one_cpu:.0f} names per CPU second, "
        f"{len(single) / one_wall:.0f} names/s by wall clock"
    )


if __name__ == "__main__":
    main()
