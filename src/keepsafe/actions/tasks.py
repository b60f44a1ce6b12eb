"""Background tasks (django.tasks, durable in the database through django-tasks-db). Every task is idempotent, so a
task re-run after a lost worker gives the same result."""

from __future__ import annotations

from functools import partial

from django.tasks import task

from keepsafe.actions.models import SweepRun
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.reconcile import Outcome, reconcile_case
from keepsafe.actions.services.sweep import sweep_run
from keepsafe.core import clock
from keepsafe.core.dbturns import Turns, retrying
from keepsafe.people.models import Person


@task()
def reconcile_people(person_ids: list[int]) -> int:
    """After a change that came in without a person watching (an import, a partner's record): reconcile now."""
    people = list(Person.objects.filter(pk__in=person_ids))
    directory = Directory.load(people)
    turns = Turns()
    for person in people:
        retrying(partial(_reconcile_now, person, directory), what="reconcile")
        turns.taken()
    return len(people)


def _reconcile_now(person: Person, directory: Directory) -> Outcome:
    return reconcile_case(person, clock.now(), directory=directory)


@task()
def sweep(run_id: int) -> int:
    run = SweepRun.objects.get(pk=run_id)
    if run.finished_at is not None:
        return run.cases
    sweep_run(run)
    return run.cases
