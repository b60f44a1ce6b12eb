"""Helper "alloc2": the allocate page computed each candidate's "X% → Y%" one candidate at a time (a workload read
per candidate). It is one bulk computation now (oversight.workload.potential_capacity_many over workload_many): the
page's query count does not grow with the number of candidates, and the figures equal the one-at-a-time ones."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from keepsafe.cases.allocations import allocation_choice
from keepsafe.oversight.tests.test_allocate import spo, world  # noqa: F401
from keepsafe.oversight.workload import potential_capacity, potential_capacity_many
from keepsafe.people.models import Person
from keepsafe.workforce.models import Reduction, Staff

AT = datetime(2026, 12, 1, 10, tzinfo=UTC)


def _more_practitioners(n: int, start: int) -> None:
    team = Staff.objects.get(code="STF0002").team
    manager = Staff.objects.get(code="STF0100")
    for i in range(start, start + n):
        member = Staff.objects.create(
            code=f"STF7{i:03d}",
            forename="Extra",
            surname=f"Officer {i:03d}",
            grade=("PSO", "PQIP", "PO")[i % 3],
            team=team,
            line_manager=manager,
            contracted_hours=30 + i % 8,
        )
        if i % 2:
            Reduction.objects.create(staff=member, reason="COURT_DUTY", hours=3.7, start=AT.date())


def _queries(spo_actor, crn: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        _, rows = allocation_choice(viewer=spo_actor, crn=crn, at=AT)
    return len(captured.captured_queries), len(rows)


def test_allocate_page_queries_do_not_grow_with_candidates(world, spo):  # noqa: F811
    _more_practitioners(2, 0)
    few, few_rows = _queries(spo, "M100001")
    _more_practitioners(20, 2)
    many, many_rows = _queries(spo, "M100001")
    assert many_rows == few_rows + 20
    assert many == few, f"{few} queries for {few_rows} candidates, {many} for {many_rows}"


def test_bulk_figures_equal_one_at_a_time(world, spo):  # noqa: F811
    _more_practitioners(6, 0)
    staff_ids = list(Staff.objects.values_list("pk", flat=True))
    for crn in ("H100001", "M100001"):
        person = Person.objects.get(crn=crn)
        bulk = potential_capacity_many(staff_ids, person.pk, as_of=AT)
        assert set(bulk) == set(staff_ids)
        for sid in staff_ids:
            single = potential_capacity(sid, person.pk, as_of=AT)
            assert (bulk[sid].now, bulk[sid].then, bulk[sid].case_points, bulk[sid].already_held) == (
                single.now,
                single.then,
                single.case_points,
                single.already_held,
            )
    # the holder's own row counts the case once (already held), so their figure does not move
    held = Person.objects.get(crn="H100001")
    mine = potential_capacity_many([held.practitioner_id], held.pk, as_of=AT)[held.practitioner_id]
    assert mine.already_held
    assert mine.now == mine.then
