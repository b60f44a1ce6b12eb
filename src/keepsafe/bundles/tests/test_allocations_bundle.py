"""Issue 15 (helper "allochist"): a person's `allocations` history in the bundle — validated with its paths,
imported so `--as-of` shows who held the case when, exported losslessly, idempotent, in bulk
(docs/bundle-format.md "allocations")."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.selectors import case_summary
from keepsafe.core.errors import ValidationError
from keepsafe.oversight.allocation_history import IMPORTED_BY, histories_many, histories_write
from keepsafe.oversight.models import AllocationDecision
from keepsafe.oversight.rules.allocation import AllocationReason
from keepsafe.oversight.rules.allocation_history import Period, holder_on
from keepsafe.people.history import practitioners_known
from keepsafe.people.models import Person, PersonVersion
from keepsafe.people.services import person_version
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db

HISTORY = [
    {"staff": "STF0002", "from": "2019-09-01", "to": "2021-03-01", "reason": "INITIAL_ALLOCATION"},
    {"staff": "STF0001", "from": "2021-03-01", "to": "2022-06-01", "reason": "CASELOAD_ADJUSTMENT"},
    # nobody held it from 2022-06-01 to 2022-07-15
    {"staff": "STF0002", "from": "2022-07-15", "to": "2023-01-09", "reason": "TRANSFER_IN"},
    {"staff": "STF0001", "from": "2023-01-09", "to": None, "reason": "OFFICER_LEFT"},
]


def _person(history: list[dict[str, Any]] | None = HISTORY, crn: str = "X123456", **changes: Any) -> dict[str, Any]:
    person = make_person(crn, **changes)
    if history is not None:
        person["allocations"] = [dict(a) for a in history]
    return person


def _export() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def _noon(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))


def test_round_trip_into_an_empty_database_gives_the_same_json_and_reimport_changes_nothing():
    # No records: records are immutable (protected), and this test empties the database of cases.
    summary = bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person(records=[])))).as_dict()
    assert summary["allocations"] == {"created": 1, "updated": 0}
    first = _export()
    assert first["people"][0]["allocations"] == HISTORY
    decisions = AllocationDecision.objects.order_by("starts_on")
    assert [(d.staff.code, d.reason, d.decided_by) for d in decisions] == [
        (a["staff"], a["reason"], IMPORTED_BY) for a in HISTORY
    ]
    assert [d.previous.code if d.previous else None for d in decisions] == [None, "STF0002", None, "STF0002"]
    # Into an empty database (the cases gone; the organisation comes back from the file unchanged).
    Person.objects.all().delete()
    assert not AllocationDecision.objects.exists()
    assert not PersonVersion.objects.exists()
    bundle_import(actor=SYSTEM, raw=json.dumps(first))
    assert _export() == first
    versions, decisions_before = PersonVersion.objects.count(), AllocationDecision.objects.count()
    again = bundle_import(actor=SYSTEM, raw=json.dumps(first))
    assert not again.changed_anything, again.as_dict()
    assert (PersonVersion.objects.count(), AllocationDecision.objects.count()) == (versions, decisions_before)
    assert _export() == first


def test_as_of_shows_who_held_the_case_on_a_day_of_an_old_period():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person())))
    for day, holder in [
        ("2019-08-31", None),  # before anyone held it
        ("2019-09-01", "STF0002"),
        ("2021-02-28", "STF0002"),
        ("2021-03-01", "STF0001"),
        ("2022-06-30", None),  # the gap
        ("2022-08-01", "STF0002"),
        ("2024-05-05", "STF0001"),
    ]:
        assert case_summary(crn="X123456", viewer=SYSTEM, as_of=_noon(day))["practitioner"] == holder, day
    assert case_summary(crn="X123456", viewer=SYSTEM)["practitioner"] == "STF0001"


def test_a_case_without_a_history_exports_its_versioned_holder_and_absent_leaves_the_stored_history_alone():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person(history=None))))
    assert not AllocationDecision.objects.exists()
    exported = _export()["people"][0]["allocations"]
    # Held since the case was first known (the first sentence date) by the migrated practitioner.
    assert exported == [{"staff": "STF0001", "from": "2019-09-01", "to": None, "reason": "INITIAL_ALLOCATION"}]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person())))
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person(history=None))))
    assert _export()["people"][0]["allocations"] == HISTORY


def test_a_keepsafe_decision_keeps_its_notes_when_the_same_history_comes_back_and_goes_when_it_does_not():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person(history=None))))
    person = Person.objects.get()
    spo = "STF0100"
    at = timezone.make_aware(datetime.combine(date(2024, 4, 2), time(10)))
    AllocationDecision.objects.create(
        person=person,
        previous=person.practitioner,
        staff=Staff.objects.get(code="STF0002"),
        reason=AllocationReason.RISK_TO_STAFF,
        starts_on=at.date(),
        decided_at=at,
        decided_by=spo,
        notes="Threats to STF0001 at the last appointment",
    )
    person.practitioner_id = AllocationDecision.objects.get().staff_id
    person.save()
    person_version(person, known_from=at, recorded_at=at, by=spo).save()
    exported = _export()
    assert exported["people"][0]["allocations"] == [
        {"staff": "STF0001", "from": "2019-09-01", "to": "2024-04-02", "reason": "INITIAL_ALLOCATION"},
        {"staff": "STF0002", "from": "2024-04-02", "to": None, "reason": "RISK_TO_STAFF"},
    ]
    assert not bundle_import(actor=SYSTEM, raw=json.dumps(exported)).changed_anything
    # A history that moves the first period's start: the Keepsafe decision still matches and keeps its notes.
    moved = json.loads(json.dumps(exported))
    moved["people"][0]["allocations"][0]["from"] = "2020-01-01"
    bundle_import(actor=SYSTEM, raw=json.dumps(moved))
    kept = AllocationDecision.objects.get(reason="RISK_TO_STAFF")
    assert (kept.decided_by, kept.notes) == (spo, "Threats to STF0001 at the last appointment")
    assert _export()["people"][0]["allocations"] == moved["people"][0]["allocations"]
    assert case_summary(crn="X123456", viewer=SYSTEM, as_of=_noon("2019-12-01"))["practitioner"] is None


@pytest.mark.parametrize(
    ("history", "practitioner", "path", "words"),
    [
        ([{"staff": "NOBODY", "from": "2020-01-01", "to": None, "reason": "OTHER"}], "STF0001", "[0].staff", "NOBODY"),
        (
            [{"staff": "STF0001", "from": "2020-01-01", "to": None, "reason": "BORED"}],
            "STF0001",
            "[0].reason",
            "unknown reason 'BORED'",
        ),
        (
            [{"staff": "STF0001", "from": "2020-01-01", "to": "2019-01-01", "reason": "OTHER"}],
            None,
            "[0].to",
            "is before from 2020-01-01",
        ),
        (
            [
                {"staff": "STF0002", "from": "2020-01-01", "to": "2021-01-01", "reason": "INITIAL_ALLOCATION"},
                {"staff": "STF0001", "from": "2020-06-01", "to": None, "reason": "OTHER"},
            ],
            "STF0001",
            "[1].from",
            "overlaps allocations[0]",
        ),
        (
            [{"staff": "STF0002", "from": "2020-01-01", "to": None, "reason": "INITIAL_ALLOCATION"}],
            "STF0001",
            "[0].staff",
            "names STF0002 but the person's practitioner is STF0001",
        ),
        (
            [{"staff": "STF0001", "from": "2020-01-01", "to": "2021-01-01", "reason": "INITIAL_ALLOCATION"}],
            "STF0001",
            "",
            "no open period (to: null) names them",
        ),
        (
            [{"staff": "STF0001", "from": "2020-01-01", "reason": "OTHER", "until": None}],
            "STF0001",
            "[0].until",
            "unknown",
        ),
        ([{"staff": "STF0001", "to": None, "reason": "OTHER"}], "STF0001", "[0].from", "missing"),
    ],
)
def test_a_wrong_history_is_refused_naming_the_record_and_field(history, practitioner, path, words):
    with pytest.raises(ValidationError) as caught:
        bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person(history, practitioner=practitioner))))
    problems = dict(caught.value.problems)
    assert words in problems[f"people[0].allocations{path}"], problems
    assert not Person.objects.exists()  # nothing written


def _many(count: int, offset: int) -> dict[int, list[Period]]:
    crns = [f"Y{offset + i:06d}" for i in range(count)]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(*[_person(history=None, crn=c) for c in crns])))
    ids = dict(Person.objects.filter(crn__in=crns).values_list("crn", "pk"))
    return {
        ids[c]: [
            Period("STF0002", date(2018, 1, 1), date(2020, 1, 1), "INITIAL_ALLOCATION"),
            Period("STF0001", date(2020, 1, 1), None, "CASELOAD_ADJUSTMENT"),
        ]
        for c in crns
    }


def test_reading_and_writing_histories_takes_the_same_queries_for_many_cases():
    few, more = _many(2, 0), _many(8, 100)
    counts = []
    for wanted in (few, more):
        with CaptureQueriesContext(connection) as read:
            histories_many(wanted)
        with CaptureQueriesContext(connection) as written:
            assert histories_write(wanted, by="system", now=timezone.now()) == set(wanted)
        counts.append((len(read), len(written)))
    assert counts[0] == counts[1], counts
    assert histories_many(more) == more


# Hypothesis: any valid history, imported over whatever the case had before, exports as given, reads back as-of
# day by day, and imports again without a change.
@st.composite
def bundle_histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 5))
    day = date(2016, 1, 1) + timedelta(days=draw(st.integers(0, 600)))
    out: list[dict[str, Any]] = []
    for index in range(count):
        previous = out[-1] if out else None
        pool = ["STF0001", "STF0002", "STF0100"]
        if previous is not None and previous["to"] == day.isoformat():
            pool.remove(previous["staff"])
        end = None
        if index < count - 1 or draw(st.booleans()):
            end = day + timedelta(days=draw(st.integers(1, 700)))
        out.append(
            {
                "staff": draw(st.sampled_from(pool)),
                "from": day.isoformat(),
                "to": end.isoformat() if end else None,
                "reason": draw(st.sampled_from([r.value for r in AllocationReason])),
            }
        )
        if end is not None:
            day = end + timedelta(days=draw(st.sampled_from([0, 0, 2, 40])))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=bundle_histories(), probes=st.lists(st.integers(0, 4000), min_size=3, max_size=3))
def test_generated_histories_round_trip_and_read_as_of(history, probes):
    practitioner = history[-1]["staff"] if history and history[-1]["to"] is None else None
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(_person(history, practitioner=practitioner))))
    exported = _export()
    assert exported["people"][0]["allocations"] == history
    assert not bundle_import(actor=SYSTEM, raw=json.dumps(exported)).changed_anything
    periods = [
        Period(a["staff"], date.fromisoformat(a["from"]), date.fromisoformat(a["to"]) if a["to"] else None, "")
        for a in history
    ]
    person = Person.objects.get(crn="X123456")
    codes = dict(Staff.objects.values_list("pk", "code"))
    for offset in probes:
        day = date(2015, 6, 1) + timedelta(days=offset)
        if history and day >= date.fromisoformat(history[0]["from"]):
            held = practitioners_known([person], _noon(day.isoformat()))[person.pk]
            assert (codes[held] if held else None) == holder_on(periods, day), day
