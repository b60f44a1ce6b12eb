"""Seed a national synthetic region (issue 20 §5) and report how long it took and what it holds.

    DATABASE_URL=postgres://… .venv/bin/python bench/national_region.py [--people 20000] [--chunk 1000]

Without DATABASE_URL it starts a throwaway PostgreSQL 15 server (keepsafe.testing.pgserver, removed at exit). Runs
`keepsafe demo --people N --national`'s own code (`demo.seed.seed(national=True)`: the organisation grows with the
people, then people are validated and bulk-written 1,000 at a time), and prints the seconds, people per second, the
rows of each kind it wrote and the process's peak RSS. The database must be empty and migratable.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from datetime import date


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        import psycopg

        from keepsafe.testing.pgserver import start_test_server

        url = start_test_server()
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute("CREATE DATABASE keepsafe_bench")
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/keepsafe_bench"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from keepsafe.core.actor import Actor
    from keepsafe.demo.seed import seed
    from keepsafe.people.models import Contact, Event, Person, Registration
    from keepsafe.records.models import IndicatorFinding, Record
    from keepsafe.workforce.models import Pdu, Staff

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    last = [started]

    def progress(done: int) -> None:
        if done % 10_000 == 0 or done == args.people:
            now = time.perf_counter()
            print(f"  {done:>8,} people, {now - started:7.1f}s (last chunk {now - last[0]:.1f}s)", flush=True)
        last[0] = time.perf_counter()

    seed(
        actor=Actor.system(),
        today=date(2026, 11, 23),
        people=args.people,
        chunk=args.chunk,
        progress=progress,
        national=True,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"database: {connection.vendor}; cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    print(f"national region of {args.people:,} people in {elapsed:.1f}s = {args.people / elapsed:.0f} people/s")
    for model in (Pdu, Staff, Person, Event, Registration, Contact, Record, IndicatorFinding):
        print(f"  {model.__name__:<17} {model.objects.count():>12,}")
    print(f"peak RSS {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
