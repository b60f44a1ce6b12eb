"""One seeded demo region for the tests in this package, which read it.

Seeding a region and replaying its weeks of sweeps is the costliest thing the suite does: each of seven tests seeded
its own (300 to 600 people), a quarter of the SQLite run and two thirds of the PostgreSQL one. The region is seeded
once, swept at noon on the seeding day, and shared (testing.fixtures.written_once): each test runs in a savepoint, so
what one writes (a second seed, a later sweep) is rolled back before the next, and the region is rolled back after
the package's last test. Tests that need an empty database stay outside this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine

from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import ImportSummary
from keepsafe.core.actor import Actor
from keepsafe.demo.seed import seed
from keepsafe.testing.fixtures import written_once

TODAY = date(2026, 11, 23)
NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)
# Enough people for every share the tests read to be more than a handful (each PDU's touch points, flags reviewed on
# time, risk reviews), and no more.
PEOPLE = 400
CHUNK = 200


@dataclass(frozen=True)
class DemoRegion:
    today: date
    now: datetime  # when it was seeded and swept
    people: int
    chunk: int
    summary: ImportSummary

    def seed_again(self) -> ImportSummary:
        with time_machine.travel(self.now, tick=False):
            return seed(actor=Actor.system(), today=self.today, people=self.people, chunk=self.chunk)


def _seed_and_sweep() -> DemoRegion:
    with time_machine.travel(NOON, tick=False):
        summary = seed(actor=Actor.system(), today=TODAY, people=PEOPLE, chunk=CHUNK)
        sweep_everything(as_of=None)
    return DemoRegion(today=TODAY, now=NOON, people=PEOPLE, chunk=CHUNK, summary=summary)


@pytest.fixture(scope="package")
def demo_region(django_db_setup: None, django_db_blocker) -> Iterator[DemoRegion]:
    yield from written_once(django_db_blocker, _seed_and_sweep)
