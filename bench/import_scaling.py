"""Bundle import throughput at two sizes, measured in one run, reported as a ratio.

    .venv/bin/python bench/import_scaling.py [--small 1000] [--large 10000]

Runs against a fresh temporary SQLite file, or against the PostgreSQL server DATABASE_URL names (which must be an
empty, migratable database). Seeds the organisation, then imports `small` people and `large` more through the same
validated, bulk path as `keepsafe import` and `keepsafe demo`, and prints people per second for each and their ratio.
A ratio near 1.0 means import time grows linearly with the number of people (no per-person queries that grow with
the database); the 250,000-person national demo (`keepsafe demo --people 250000`) relies on that.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='keepsafe-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from keepsafe.core.actor import Actor
    from keepsafe.demo import generator
    from keepsafe.demo.seed import seed

    call_command("migrate", verbosity=0)
    today = date(2026, 11, 23)
    actor = Actor.system()
    seed(actor=actor, today=today, people=0)

    def timed(people: int, offset_seed: int) -> tuple[float, int]:
        from keepsafe.bundles.importer import ImportSummary, bundle_write
        from keepsafe.bundles.validate import validate

        org = generator.organisation(today)
        summary = ImportSummary()
        started = time.perf_counter()
        for batch in generator.people(people, today, org, chunk=1000, seed=offset_seed):
            for p in batch:  # distinct CRNs per run
                p["crn"] = ("Y" if offset_seed == 1 else "Z") + p["crn"][1:]
            import json

            from django.db import transaction

            with transaction.atomic():
                bundle_write(
                    actor=actor,
                    bundle=validate(json.dumps({"format": "keepsafe-bundle/1", "people": batch})),
                    summary=summary,
                )
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the process's peak so far
        return elapsed, peak

    small_time, small_peak = timed(args.small, 1)
    large_time, large_peak = timed(args.large, 2)
    small_rate, large_rate = args.small / small_time, args.large / large_time
    print(f"database: {connection.vendor}")
    print(
        f"small: {args.small} people in {small_time:.1f}s = {small_rate:.0f} people/s, peak RSS "
        f"{small_peak / 2**20:.0f} MiB"
    )
    print(
        f"large: {args.large} people in {large_time:.1f}s = {large_rate:.0f} people/s, peak RSS "
        f"{large_peak / 2**20:.0f} MiB"
    )
    print(f"throughput ratio large/small: {large_rate / small_rate:.2f} (1.0 = linear)")
    print(
        f"peak RSS ratio large/small: {large_peak / small_peak:.2f} "
        "(1.0 = flat: people are imported in chunks, never all held in memory)"
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
