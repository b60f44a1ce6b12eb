"""The worker's housekeeping between tasks: schedule the periodic sweep and the SPOs' digest, recover tasks and
sweeps whose worker died, rebuild indicator findings once after an upgrade changed the scanner (a slice a round),
and send waiting email. `keepsafe worker` runs this loop (docs/actions.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from keepsafe.actions.models import SweepRun
from keepsafe.actions.rules.calendar import LONDON, is_working_day
from keepsafe.actions.services.digest import digest_send
from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.actions.services.notify import deliver
from keepsafe.actions.services.sweep import period_of, sweep_start
from keepsafe.core import clock
from keepsafe.records.services import THIS_PROCESS, findings_rebuild_step

log = logging.getLogger(__name__)
SWEEP_TASK = "keepsafe.actions.tasks.sweep"


def reconcile_later(person_ids: list[int]) -> None:
    """Mark the cases dirty for the incremental sweep, in the current transaction, and queue a reconcile for after it
    commits (never for a change that was rolled back)."""
    from keepsafe.actions.tasks import reconcile_people

    if person_ids:
        mark_dirty(person_ids)
        transaction.on_commit(partial(reconcile_people.enqueue, sorted(set(person_ids))))


def schedule_sweep(now: datetime) -> SweepRun | None:
    """Start this period's sweep unless a worker already has: the period is unique, so it runs once. Incremental
    (issue 20 §2), except the day's full sweep (`full_sweep_due`)."""
    from keepsafe.actions.tasks import sweep

    period = period_of(now, settings.KEEPSAFE_SWEEP_EVERY_MINUTES)
    if SweepRun.objects.filter(period=period).exists():
        return None  # this period's sweep is taken (most rounds): no need to work out which kind
    with transaction.atomic():
        run = sweep_start(as_of=None, period=period, full=full_sweep_due(now))
        if run is not None:
            sweep.enqueue(run.pk)
    return run


def full_sweep_anchor(now: datetime, hour: int) -> datetime:
    """The latest instant at or before `now` when London's clocks showed `hour`:00 (KEEPSAFE_FULL_SWEEP_HOUR)."""
    local = now.astimezone(LONDON)
    anchor = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if anchor > local:
        anchor = (local - timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return anchor


def full_sweep_due(now: datetime) -> bool:
    """The safety net under the incremental sweep: once a day a scheduled sweep visits every case, so a write that
    failed to mark its case, or a change to the staff directory alone (which marks no case), reaches every case
    within a day whatever happened. The first scheduled sweep since KEEPSAFE_FULL_SWEEP_HOUR (London; default 0,
    when every case's next change has come anyway) is full, unless a live full sweep started since then: a scheduled
    one (finished or to be carried on by whichever worker notices) or `keepsafe sweep --full` that finished. A
    worker down at that hour runs the full sweep at its first period after; a replay (`--as-of`) never counts."""
    anchor = full_sweep_anchor(now, settings.KEEPSAFE_FULL_SWEEP_HOUR)
    done = SweepRun.objects.filter(full=True, as_of__isnull=True, started_at__gte=anchor).filter(
        Q(period__isnull=False) | Q(finished_at__isnull=False)
    )
    return not done.exists()


def reap(now: datetime) -> int:
    """Tasks left RUNNING by a worker that died (django-tasks-db does not recover them): back to READY, once their
    lease has passed. A sweep is reaped only when its own heartbeat has stopped too, so a long live sweep is left."""
    lease = timedelta(seconds=settings.KEEPSAFE_TASK_LEASE_SECONDS)
    reaped = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - lease):
        if row.task_path == SWEEP_TASK:
            run_id = (row.args_kwargs.get("args") or [None])[0]
            if SweepRun.objects.filter(pk=run_id, heartbeat_at__gte=now - lease).exists():
                continue
        updated = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        reaped += updated
        if updated:
            log.warning("task %s was left running by a lost worker: queued again", row.pk)
    return reaped


def digest_due(now: datetime) -> bool:
    local = now.astimezone(LONDON)
    return is_working_day(local.date()) and local.hour >= settings.KEEPSAFE_DIGEST_HOUR


def housekeeping(
    now: datetime | None = None, *, alive: Callable[[], None] | None = None, worker: str = THIS_PROCESS
) -> dict[str, int]:
    """One round's chores, for the worker named `worker`. `alive` is called between chunks of the findings rebuild,
    so the worker's heartbeat keeps beating through it. The rebuild does a slice a round (about a second,
    records/services.findings_rebuild_step) and carries on next round, so the round's queued tasks never wait for
    the whole of it: `rebuilding` counts the people rebuilt this round, `rebuilt` is 1 in the round that finished."""
    now = now or clock.now()
    done = {"reaped": reap(now), "scheduled": 0, "digests": 0, "sent": 0, "rebuilding": 0, "rebuilt": 0}
    # After an upgrade changed the lexicon or classifier: every finding rebuilt once, by one worker (records/services).
    rebuild = findings_rebuild_step(lease_seconds=settings.KEEPSAFE_TASK_LEASE_SECONDS, worker=worker, progress=alive)
    if rebuild is not None:
        done["rebuilding"] = rebuild.people
        done["rebuilt"] = int(rebuild.finished)
    if schedule_sweep(now) is not None:
        done["scheduled"] = 1
    if digest_due(now):
        done["digests"] = digest_send(day=now.astimezone(LONDON).date(), as_of=now)
    done["sent"], _ = deliver()
    return done
