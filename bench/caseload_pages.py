"""Caseload tables at scale: my, team and PDU caseloads against a trivial read, measured in one run (issue 20).

    .venv/bin/python bench/caseload_pages.py [--people 2000] [--runs 7]
    DATABASE_URL=postgres://… .venv/bin/python bench/caseload_pages.py --seeded   # a region seeded beforehand

Against a fresh temporary SQLite file, or the (empty, migratable) PostgreSQL database DATABASE_URL names. Seeds the
demo region with N people, then times the caseload selector (the whole of a page's database work: page, count, rows,
open actions, audit event) for the busiest practitioner, team and PDU, with the default sort and the costly sorts
(RoSH, last contact), and prints each p50 beside a trivial one-row read on the same connection, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--seeded", action="store_true", help="DATABASE_URL holds a region already (bench/national_region.py)"
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='keepsafe-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    os.environ.setdefault("KEEPSAFE_TODAY", "2026-11-23")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from keepsafe.cases.caseload import CaseloadFilters, caseload
    from keepsafe.core.actor import Actor, Channel, Role
    from keepsafe.demo.seed import seed
    from keepsafe.people.models import Person
    from keepsafe.workforce.models import Staff

    if args.seeded:
        print(f"database: {connection.vendor}; {Person.objects.count()} people seeded beforehand")
    else:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed(actor=Actor.system(), today=date(2026, 11, 23), people=args.people)
        print(f"database: {connection.vendor}; seeded {args.people} people in {time.perf_counter() - started:.0f}s")

    busiest = Person.objects.values("practitioner_id").annotate(n=Count("id")).order_by("-n").first()
    practitioner = Staff.objects.select_related("team__pdu").get(pk=busiest["practitioner_id"])
    team = practitioner.team
    pdu = team.pdu

    def actor(staff: Staff, role: Role) -> Actor:
        return Actor(username=staff.code, role=role, staff_id=staff.pk, staff_code=staff.code, channel=Channel.WEB)

    viewer = actor(practitioner, Role.HEAD_OF_PDU)
    first = Person.objects.order_by("pk").values_list("pk", flat=True).first()

    def p50(work) -> float:
        work()  # warm
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            work()
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    floor = p50(lambda: list(Person.objects.filter(pk=first).values_list("crn", flat=True)))
    print(f"trivial one-row read p50: {floor:.2f} ms")
    scopes = [
        ("my caseload", "MY", None, Person.objects.filter(practitioner=practitioner).count()),
        ("team caseload", "TEAM", team.code, Person.objects.filter(practitioner__team=team).count()),
        ("PDU caseload", "PDU", pdu.code, Person.objects.filter(pdu=pdu).count()),
    ]
    sorts = [("name", False), ("rosh", True), ("last", True)]
    print(f"{'page':<16}{'cases':>7}  {'sort':<6}{'p50 ms':>9}{'× trivial':>11}")
    for label, scope, code, size in scopes:
        for sort, descending in sorts:
            filters = CaseloadFilters(sort=sort, descending=descending)
            ms = p50(
                lambda scope=scope, code=code, filters=filters: caseload(
                    viewer=viewer, scope=scope, scope_code=code, filters=filters, limit=50
                )
            )
            print(f"{label:<16}{size:>7}  {sort:<6}{ms:>9.1f}{ms / floor:>11.0f}")
    sys.exit(0)


if __name__ == "__main__":
    main()
