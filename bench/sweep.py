"""The sweep against the floor: a plain SQL pass over the same columns, measured in one run, reported as ratios.

    .venv/bin/python bench/sweep.py [--people 2000] [--db sqlite|postgres] [--chunk N] [--database-file PATH]
                                    [--profile N]

Builds the demo region (`keepsafe.demo`, `--people` people) in a fresh temporary SQLite file, or in a throwaway
PostgreSQL 15 server (`--db postgres`, started as the test suite starts one); `--database-file` reuses an SQLite file
already seeded (a copy is swept, the file is left as it was); `--database-url` sweeps a PostgreSQL database seeded
beforehand (`bench/national_region.py`), deleting its actions and notifications first. Then, in one process:

- floor: one plain pass reading every column the sweep reads, from every table it reads (the facts of every case:
  allocation versions, events and their versions, requirements, licence conditions, contacts, decisions, recalls,
  checks, assessments, flags and their history, records, findings, release plans; and the actions), with a cursor,
  each row fetched into Python and nothing else done;
- full sweep: `keepsafe sweep --full`'s code path at one instant on an empty action table (every action created,
  reminded, escalated; notifications written);
- unchanged sweep: the same full sweep again at the same instant (nothing to change);
- incremental sweeps (issue 20 §2, what the worker and `keepsafe sweep` run by default): unchanged (the same instant
  again: nothing dirty or due), after 1% of the cases were marked dirty as a write marks them, and an hour later (the
  cases whose next change came).

It prints each time and its ratio to the floor, and, for the two full sweeps, how long they left SQLite's write lock
free for others (core/dbturns.py: 0.15 s after each 0.25 s of writing) and the ratio without those pauses; then the
process's CPU time for the floor and the two full sweeps (on a machine shared with other work, wall times move with
its load far more than CPU times do; the pauses use none).
`--profile N` also runs the full sweep under cProfile (after the timed runs, from an empty action table again) and
prints its N most costly functions by own time and by cumulative time (the profiler's overhead inflates that run, so
it is not one of the timed figures).

Targets (issue 20): full <= 3x the floor on PostgreSQL, <= 5x on the
2,000-person SQLite demo; unchanged <= 1x. Not collected by pytest (no test_ prefix; bench/ is not a test path).
"""

from __future__ import annotations

import argparse
import inspect
import os
import random
import resource
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

TODAY = date(2026, 11, 23)
AS_OF = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

# Every table and column the sweep reads (actions/selectors.py's fact readers, people/history.py, the actions).
FLOOR = {
    "people_person": "id, crn, pdu_id, practitioner_id, prison_offender_manager_id",
    "people_personversion": "person_id, known_from, recorded_at, id, practitioner_id",
    "people_event": "id, person_id, external_id, sentence_type, sentence_date, release, conditional_release, "
    "parole_eligibility, licence_expiry, sentence_expiry, pss_end, terminated",
    "people_eventversion": "id, event_id, known_from, recorded_at, sentence_type, sentence_date, release, "
    "conditional_release, parole_eligibility, licence_expiry, sentence_expiry, pss_end, terminated",
    "people_requirement": "id, event_id, external_id, type, start",
    "people_requirementversion": "id, requirement_id, known_from, recorded_at, type, start",
    "people_licencecondition": "id, event_id, external_id, type",
    "people_licenceconditionversion": "id, licence_condition_id, known_from, recorded_at, type",
    "people_contact": "person_id, external_id, type, at, outcome",
    "actions_enforcementdecisionrecord": "person_id, contact_id, decision, at, id",
    "actions_recall": "person_id, external_id, event_id, considered_at, decided_at, decision, emergency, "
    "revoked_at, executed_at, cancelled_at",
    "sharing_checkrequest": "person_id, external_id, public_id, kind, requested_at, response_record_id, acted_on_at",
    "risk_assessment": "person_id, external_id, status, completed_at, countersign_required, countersigned_at, "
    "recorded_at",
    "people_registration": 'id, person_id, external_id, type_id, start, "end", next_review',
    "people_registrationhistory": 'id, registration_id, action, known_from, at, start, "end", next_review',
    "records_record": "id, person_id, external_id, kind, received_at, occurred_at",
    "records_indicatorfinding": "person_id, record_id, indicator, received_at, occurred_at",
    "actions_releaseplanconfirmation": "person_id, event_id, item, at, id",
    "people_caseaccess": "person_id, staff_id, kind",
    "actions_action": "id, person_id, key, status, owner_id, due, created_at, closed_at, escalation_level, chain, "
    "reminders, detail, last_reminded_slot, opens_at, title, evidence_needed",
}


CPU: dict[str, float] = {}  # this process's CPU seconds per timed step (less moved by other sessions than wall time)


def floor_pass(name: str = "floor") -> tuple[float, int]:
    from django.db import connection

    rows = 0
    started, cpu = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor:
        for table, columns in FLOOR.items():
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 — fixed names above
            while batch := cursor.fetchmany(5000):
                rows += len(batch)
    CPU[name] = time.process_time() - cpu
    return time.perf_counter() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--chunk", type=int, default=0, help="cases per chunk (0: the default for the database)")
    parser.add_argument("--database-file", default=None, help="an SQLite file already seeded with the demo")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL database already seeded (bench/national_region.py); its actions and notifications are "
        "deleted and rebuilt",
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile a full sweep; print N rows")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "keepsafe.config.settings.local"
    os.environ["KEEPSAFE_LOG_LEVEL"] = "WARNING"
    if args.chunk:
        os.environ["KEEPSAFE_SWEEP_CHUNK"] = str(args.chunk)
    seeded = False
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        seeded = True
    elif args.db == "postgres":
        from keepsafe.testing.pgserver import start_test_server

        url = start_test_server()  # names a database "keepsafe" the server does not have yet (tests make their own)
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute("CREATE DATABASE keepsafe")
        os.environ["DATABASE_URL"] = url
    else:
        path = os.path.join(tempfile.mkdtemp(prefix="keepsafe-bench-"), "bench.sqlite3")
        if args.database_file:
            shutil.copy(args.database_file, path)
            seeded = True
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from keepsafe.actions.models import Action, Notification
    from keepsafe.actions.services import sweep as sweep_module
    from keepsafe.actions.services.sweep import sweep_everything

    # Run against an older checkout (PYTHONPATH) to measure the per-case sweep it had: one case per transaction.
    chunk_size = getattr(sweep_module, "chunk_size", lambda: 1)
    from keepsafe.core.actor import Actor, Channel
    from keepsafe.demo.seed import seed
    from keepsafe.people.models import Person

    call_command("migrate", verbosity=0)
    if not seeded:
        started = time.perf_counter()
        seed(actor=Actor.system(Channel.SYSTEM), today=TODAY, people=args.people)
        print(f"seeded {args.people} people in {time.perf_counter() - started:.0f}s")
    Action.objects.all().delete()
    Notification.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    people = Person.objects.count()

    paused = pauses()
    floor_pass()  # warm the cache: every figure below reads from memory
    floor, rows = floor_pass()
    started, cpu = time.perf_counter(), time.process_time()
    paused[0] = 0.0
    _, full_outcome = sweep_everything(as_of=AS_OF)
    full = time.perf_counter() - started
    CPU["full"] = time.process_time() - cpu
    full_paused = paused[0]
    floor_after, rows_after = floor_pass("floor after")  # the floor again, now that the actions exist
    started, cpu = time.perf_counter(), time.process_time()
    paused[0] = 0.0
    _, unchanged_outcome = sweep_everything(as_of=AS_OF)
    unchanged = time.perf_counter() - started
    CPU["unchanged"] = time.process_time() - cpu
    unchanged_paused = paused[0]
    incremental = {}
    if "full" in inspect.signature(sweep_everything).parameters:  # an older checkout has no incremental sweep
        from keepsafe.actions.services.dirty import mark_dirty

        started = time.perf_counter()
        run, _ = sweep_everything(as_of=AS_OF, full=False)
        incremental["unchanged"] = (time.perf_counter() - started, run.cases)
        ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            mark_dirty(
                random.Random(20).sample(  # noqa: S311 — a reproducible sample, not a secret
                    ids, max(1, len(ids) // 100)
                )
            )
        started = time.perf_counter()
        run, _ = sweep_everything(as_of=AS_OF, full=False)
        incremental["1% of cases changed"] = (time.perf_counter() - started, run.cases)
        started = time.perf_counter()
        run, _ = sweep_everything(as_of=AS_OF + timedelta(hours=1), full=False)
        incremental["an hour later"] = (time.perf_counter() - started, run.cases)

    print(f"database: {connection.vendor}; people: {people}; chunk: {chunk_size()}")
    print(f"floor (plain pass, {rows} rows): {floor:.2f}s; with the actions ({rows_after} rows): {floor_after:.2f}s")
    print(
        f"full sweep: {full:.2f}s = {full / floor:.1f}x the floor ({full_outcome.created} created, "
        f"{full_outcome.reminded} reminded, {full_outcome.escalated} escalated); {1000 * full / people:.2f} ms/case"
    )
    print(
        f"unchanged sweep: {unchanged:.2f}s = {unchanged / floor_after:.1f}x the floor "
        f"({unchanged_outcome.created} created, {unchanged_outcome.reminded} reminded); "
        f"{1000 * unchanged / people:.2f} ms/case"
    )
    for name, seconds, wait, against in (
        ("full", full, full_paused, floor),
        ("unchanged", unchanged, unchanged_paused, floor_after),
    ):
        print(
            f"  {name} sweep paused {wait:.2f}s for other writers (SQLite turns, core/dbturns.py); "
            f"without the pauses {seconds - wait:.2f}s = {(seconds - wait) / against:.1f}x the floor"
        )
    for name, (seconds, cases) in incremental.items():
        print(
            f"incremental sweep, {name}: {seconds:.3f}s = {seconds / floor_after:.2f}x the floor "
            f"({cases} cases visited)"
        )
    print(
        f"CPU time of this process: floor {CPU['floor']:.2f}s, full sweep {CPU['full']:.2f}s = "
        f"{CPU['full'] / CPU['floor']:.1f}x, unchanged sweep {CPU['unchanged']:.2f}s = "
        f"{CPU['unchanged'] / CPU['floor after']:.1f}x (the pauses are no CPU time)"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.profile:
        profile_full_sweep(args.profile)


def pauses() -> list[float]:
    """Count the time the sweep leaves SQLite's write lock free for others (core/dbturns.Turns.taken): part of what
    the sweep costs as the worker runs it, but no work; printed apart so the work can be compared too."""
    from keepsafe.core import dbturns

    paused = [0.0]
    taken = dbturns.Turns.taken

    def counted(self: dbturns.Turns) -> None:
        started = time.perf_counter()
        taken(self)
        paused[0] += time.perf_counter() - started

    dbturns.Turns.taken = counted  # type: ignore[method-assign]
    return paused


def profile_full_sweep(rows: int) -> None:
    """The full sweep again from an empty action table, under cProfile: where its Python time goes."""
    import cProfile
    import pstats

    from keepsafe.actions.models import Action, ActionLog, CaseSweep, Notification
    from keepsafe.actions.services.sweep import sweep_everything

    Notification.objects.all().delete()
    ActionLog.objects.all().delete()
    Action.objects.all().delete()
    CaseSweep.objects.all().delete()
    profiler = cProfile.Profile()
    profiler.enable()
    sweep_everything(as_of=AS_OF)
    profiler.disable()
    for order in ("tottime", "cumulative"):
        print(f"--- full sweep under cProfile, by {order} ---")
        pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(rows)


if __name__ == "__main__":
    main()
