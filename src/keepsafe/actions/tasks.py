"""Background tasks (django.tasks, durable in the database through django-tasks-db). Every task is idempotent, so a
task re-run after a lost worker gives the same result."""

from __future__ import annotations

from functools import partial

from django.tasks import task

from keepsafe.actions.models import SweepRun
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.reconcile import Outcome, reconcile_many
from keepsafe.actions.services.sweep import chunk_size, sweep_run
from keepsafe.core import clock
from keepsafe.core.dbturns import Turns, retrying
from keepsafe.people.models import Person


@task()
def reconcile_people(person_ids: list[int]) -> int:
    """After a change that came in without a person watching (an import, a partner's record): reconcile now."""
    people = list(Person.objects.filter(pk__in=person_ids).order_by("pk"))
    directory = Directory.load(people)
    turns = Turns()
    size = chunk_size()
    for start in range(0, len(people), size):
        retrying(partial(_reconcile_now, people[start : start + size], directory), what="reconcile")
        turns.taken()
    return len(people)


def _reconcile_now(people: list[Person], directory: Directory) -> Outcome:
    return reconcile_many(people, clock.now(), directory=directory)


@task()
def sweep(run_id: int) -> int:
    run = SweepRun.objects.get(pk=run_id)
    if run.finished_at is not None:
        return run.cases
    sweep_run(run)
    return run.cases
