"""The sweep: reconcile every case (full) or only the cases that need it (incremental, issue 20 §2), resumably. A
scheduled sweep happens once per period however many workers run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from keepsafe.actions.models import CaseSweep, SweepRun
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.reconcile import Outcome, policy, reconcile_many
from keepsafe.core import clock
from keepsafe.core.dbturns import HOLD_SECONDS, Turns, retrying
from keepsafe.people.models import Person

log = logging.getLogger(__name__)


def sweep_start(*, as_of: datetime | None, period: str | None = None, full: bool = True) -> SweepRun | None:
    """A new sweep; None when the period already has one (another worker, or an earlier start, took it). `full`
    visits every case; otherwise only the cases `due_people` names."""
    now = clock.now()
    try:
        with transaction.atomic():
            return SweepRun.objects.create(period=period, as_of=as_of, started_at=now, heartbeat_at=now, full=full)
    except IntegrityError:
        return None


def chunk_size() -> int:
    """Cases per chunk: KEEPSAFE_SWEEP_CHUNK, else 1,000 on PostgreSQL; on SQLite the first chunk's size, then
    `next_chunk` adapts it (a chunk holds SQLite's one write lock for its whole transaction)."""
    configured = getattr(settings, "KEEPSAFE_SWEEP_CHUNK", None)
    if configured:
        return int(configured)
    return SQLITE_FIRST_CHUNK if connection.vendor == "sqlite" else 1000


SQLITE_FIRST_CHUNK = 20
SQLITE_CHUNKS = (5, 200)  # the least and the most cases per chunk on SQLite


def next_chunk(size: int, seconds: float) -> int:
    """On SQLite (unless KEEPSAFE_SWEEP_CHUNK fixes it), the size that makes a chunk hold the write lock about as long
    as core/dbturns.py lets a job write before pausing, so pages and form posts keep their turn; elsewhere `size`."""
    if getattr(settings, "KEEPSAFE_SWEEP_CHUNK", None) or connection.vendor != "sqlite":
        return size
    least, most = SQLITE_CHUNKS
    wanted = int(size * HOLD_SECONDS / max(seconds, 1e-3))
    return max(least, min(most, wanted, size * 2))


def sweep_run(run: SweepRun, *, batch: int | None = None, progress: Callable[[int], None] | None = None) -> Outcome:
    """Reconcile every case after the run's cursor, in id order, a chunk of cases per transaction with the cursor
    recorded in it. Restarting a run that died half-way carries on from its cursor; a chunk interrupted half-way was
    rolled back whole and is done again (with the same result)."""
    fixed = batch is not None
    batch = batch or chunk_size()
    total = Outcome()
    directory: Directory | None = None  # loaded at the first chunk: an incremental sweep often has none
    rules = policy()
    turns = Turns()
    while True:
        people: list[int] | list[Person]
        if run.full:  # ids alone: reconcile_many reads (and locks) the people itself
            people = list(Person.objects.filter(pk__gt=run.cursor).order_by("pk").values_list("pk", flat=True)[:batch])
        else:
            people = due_people(run.cursor, run.as_of or clock.now(), batch)
        if not people:
            break
        if directory is None:
            directory = Directory.load()
        directory.access.clear()  # only this chunk's restriction and exclusion lists are kept

        last = _pk(people[-1])

        def one_chunk(
            people: list[int] | list[Person] = people, directory: Directory = directory, last: int = last
        ) -> Outcome:
            with transaction.atomic():
                outcome = reconcile_many(people, run.as_of or clock.now(), directory=directory, rules=rules)
                SweepRun.objects.filter(pk=run.pk).update(
                    cursor=last, cases=run.cases + len(people), heartbeat_at=clock.now()
                )
            return outcome

        # One transaction per chunk; a transient lock is retried; on SQLite, others get their turn between chunks.
        started = time.monotonic()
        outcome = retrying(one_chunk, what=f"sweep {run.pk}")
        held = time.monotonic() - started
        turns.taken()
        if not fixed:
            batch = next_chunk(batch, held)
        run.cursor, run.cases = last, run.cases + len(people)
        total.add(outcome)
        if progress is not None:
            progress(run.cases)
    SweepRun.objects.filter(pk=run.pk).update(finished_at=clock.now(), heartbeat_at=clock.now())
    run.finished_at = clock.now()
    log.info("sweep %s finished: %s cases", run.pk, run.cases)
    return total


def _pk(person: int | Person) -> int:
    return person if isinstance(person, int) else int(person.pk)


def due_people(after: int, as_of: datetime, limit: int) -> list[Person]:
    """The next `limit` cases (in id order, after id `after`) an incremental sweep at `as_of` visits: dirty (marked
    since their last reconcile, or never reconciled) or due (`next_due_at` has come). Three index-driven queries."""
    dirty = CaseSweep.objects.filter(person_id__gt=after, marks__gt=F("seen_marks"))
    due = CaseSweep.objects.filter(person_id__gt=after, next_due_at__lte=as_of)
    never = Person.objects.filter(pk__gt=after, sweep_state__isnull=True)
    ids = set(dirty.order_by("person_id").values_list("person_id", flat=True)[:limit])
    ids |= set(due.order_by("person_id").values_list("person_id", flat=True)[:limit])
    ids |= set(never.order_by("pk").values_list("pk", flat=True)[:limit])
    return list(Person.objects.filter(pk__in=sorted(ids)[:limit]).order_by("pk"))


def sweep_everything(*, as_of: datetime | None, full: bool = True) -> tuple[SweepRun, Outcome]:
    run = sweep_start(as_of=as_of, full=full)
    assert run is not None  # no period: never a clash
    return run, sweep_run(run)


def period_of(now: datetime, every_minutes: int) -> str:
    """The scheduling period `now` falls in, e.g. "sweep:2026-11-23T09:00" for hourly sweeps."""
    minutes = max(every_minutes, 1)
    start = now.replace(second=0, microsecond=0)
    start -= timedelta(minutes=(start.hour * 60 + start.minute) % minutes)
    return f"sweep:{start.isoformat(timespec='minutes')}"


def stalled(lease_seconds: int) -> list[SweepRun]:
    """Unfinished sweeps whose worker stopped reporting: to be carried on by whichever worker notices."""
    cutoff = clock.now() - timedelta(seconds=lease_seconds)
    return list(SweepRun.objects.filter(finished_at__isnull=True, heartbeat_at__lt=cutoff).order_by("pk"))
