"""Issue 15 ("overs"): the facts management oversight touch points need (actions/rules/touchpoints.py), read for a
whole chunk of cases in a fixed number of queries, only as known at the instant."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.touchpoints import tables_from
from keepsafe.core.chunkrows import chunk_rows
from keepsafe.people.history import allocation_versions, day_of
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactType
from keepsafe.risk.models import CaseRisk, RiskLevelChange
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade, is_newly_qualified

TOUCHPOINTS = Path(__file__).parent / "reference" / "oversight-touchpoints.json"


@functools.cache
def touchpoint_tables() -> tuple[f.TouchpointTable, dict[str, f.TouchpointTable]]:
    """The default touch points and each region's (actions/reference/oversight-touchpoints.json)."""
    return tables_from(json.loads(TOUCHPOINTS.read_text(encoding="utf-8")))


def allocations_known(people: Iterable[Person], as_of: datetime) -> dict[int, tuple[int | None, datetime | None]]:
    """Each person's community offender manager at `as_of` and since when: the `known_from` of the first version of
    the unbroken run of versions naming them (a change of PDU alone is no new allocation). A case never versioned
    has its current practitioner with no known allocation instant."""
    people = list(people)
    versions = allocation_versions([p.pk for p in people])
    out: dict[int, tuple[int | None, datetime | None]] = {}
    for person in people:
        if person.pk not in versions:
            out[person.pk] = (person.practitioner_id, None)
            continue
        mine = sorted(v for v in versions[person.pk] if v[0] <= as_of)
        if not mine:
            out[person.pk] = (None, None)
            continue
        holder = mine[-1][3]
        since = mine[-1][0]
        for version in reversed(mine):
            if version[3] != holder:
                break
            since = version[0]
        out[person.pk] = (holder, since if holder is not None else None)
    return out


def oversight_facts(people: dict[int, Person], as_of: datetime) -> dict[int, f.OversightFacts]:
    """Each case's touch-point facts in six queries for any number of cases."""
    ids = list(people)
    default, regions = touchpoint_tables()
    day = day_of(as_of)
    region_of = dict(chunk_rows(regions_query, ids))
    allocation = allocations_known(people.values(), as_of)
    holders = sorted({pid for pid, _ in allocation.values() if pid is not None})
    grades = {pk: (grade, qualified) for pk, grade, qualified in chunk_rows(_grades_query, holders)} if holders else {}
    changes: dict[int, list[f.RoshChangeFacts]] = defaultdict(list)
    for person_id, pk, at, previous, new in chunk_rows(_rosh_changes_query, ids, as_of):
        changes[person_id].append(f.RoshChangeFacts(str(pk), at, previous or None, new))
    current = dict(chunk_rows(_rosh_query, ids))
    notes: dict[int, list[f.ContactFacts]] = defaultdict(list)
    for person_id, ext, at in chunk_rows(_oversight_notes_query, ids, as_of):
        notes[person_id].append(f.ContactFacts(ext, ContactType.SPO_OVERSIGHT.value, at, None))
    out = {}
    for pid in ids:
        holder_id, allocated_at = allocation.get(pid, (None, None))
        holder = None
        if holder_id is not None and holder_id in grades:
            grade, qualified = grades[holder_id]
            if grade == Grade.PQIP:
                holder = "PQIP"
            elif grade in Grade.__members__ and is_newly_qualified(Grade(grade), qualified, day):
                holder = "NQO"
        known_changes = changes.get(pid, [])
        # The RoSH level as known then: the newest effective change by `as_of`, else the case's current level.
        rosh = known_changes[-1].new if known_changes else current.get(pid)
        out[pid] = f.OversightFacts(
            table=regions.get(region_of.get(pid) or "", default),
            allocated_at=allocated_at,
            holder=holder,
            rosh=rosh or None,
            rosh_changes=tuple(known_changes),
            notes=tuple(notes.get(pid, [])),
        )
    return out


# The queries above, each compiled once per instant and run for every chunk (core/chunkrows.py).


def regions_query(ids: Any) -> QuerySet[Any, Any]:
    """Each case's region code (the contact levels read it too)."""
    return Person.objects.filter(pk__in=ids).values_list("pk", "pdu__region__code")


def _grades_query(ids: Any) -> QuerySet[Any, Any]:
    return Staff.objects.filter(pk__in=ids).values_list("pk", "grade", "qualified_on")


def _rosh_changes_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        RiskLevelChange.objects.filter(person_id__in=ids, at__lte=as_of, effective=True)
        .order_by("person_id", "at", "id")
        .values_list("person_id", "pk", "at", "previous", "new")
    )


def _rosh_query(ids: Any) -> QuerySet[Any, Any]:
    return CaseRisk.objects.filter(person_id__in=ids).values_list("person_id", "level")


def _oversight_notes_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        Contact.objects.filter(person_id__in=ids, type=ContactType.SPO_OVERSIGHT, at__lte=as_of)
        .order_by("person_id", "at", "id")
        .values_list("person_id", "external_id", "at")
    )
