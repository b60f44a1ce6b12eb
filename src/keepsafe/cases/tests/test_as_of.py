"""Point in time (issue 12 §11): `keepsafe case CRN --json --as-of T` and `keepsafe sweep --as-of T` show the flags,
allocation, sentence, requirements, licence conditions and tiers as they were known at T, and agree on the flags."""

from __future__ import annotations

import copy
import io
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.selectors import case_facts
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.selectors import case_summary
from keepsafe.core import clock
from keepsafe.people.history import day_of
from keepsafe.people.models import Person
from keepsafe.people.rules.registration_review import is_active
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db

FLAG_2019 = {
    "id": "MAPPA-1",
    "type": "MAPP",
    "start": "2019-10-01",
    "end": None,
    "level": "M2",
    "category": "M1",
    "notes": "MAPPA level 2",
    "end_reason": "",
    "last_reviewed": None,
}

ORDER_RECORD = {
    "id": "COURT-RO-1",
    "source": "COURT",
    "kind": "CIVIL_ORDER",
    "occurred_at": "2021-03-01T10:00:00Z",
    "received_at": "2021-03-05T09:00:00Z",
    "author": "Manchester Magistrates' Court",
    "text": "Restraining order made protecting Jane Doe.",
    "order": {"type": "RESTRAINING_ORDER", "start": "2021-03-01", "end": "2031-03-01", "protected_person": "Jane Doe"},
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def cli_case(crn: str, instant: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("case_summary", crn, "--json", "--as-of", instant, stdout=out)
    return json.loads(out.getvalue())


def flag_ids(summary: dict[str, Any]) -> set[str]:
    return {r["id"] for r in summary["registrations"]}


def import_on(settings, day: str, person: dict[str, Any]) -> None:
    """Import as if on `day` (clock pinned): a later import's changes are known from then."""
    settings.KEEPSAFE_TODAY = day
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)


def test_a_bundle_flag_in_force_in_2020_shows_as_of_2020():
    person = make_person(registrations=[FLAG_2019])
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    assert flag_ids(cli_case("X123456", "2020-06-01T12:00:00Z")) == {"MAPPA-1"}
    assert flag_ids(cli_case("X123456", "2019-09-30T12:00:00Z")) == set()  # before it started, not known


def test_a_civil_order_flag_is_known_from_its_records_receipt_not_before():
    person = make_person(registrations=[])
    person["records"] = person["records"] + [ORDER_RECORD]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    # The order started on 1 March, but probation had it only on 5 March at 09:00.
    assert flag_ids(cli_case("X123456", "2021-03-04T12:00:00Z")) == set()
    assert flag_ids(cli_case("X123456", "2021-03-05T08:59:00Z")) == set()
    flags = cli_case("X123456", "2021-03-05T09:00:00Z")["registrations"]
    assert [(f["type"], f["start"]) for f in flags] == [("RSTO", "2021-03-01")]


def test_an_allocation_change_shows_the_old_com_and_pom_before_it(settings):
    person = make_person(registrations=[])
    import_on(settings, "2024-01-10", person)
    changed = copy.deepcopy(person) | {"practitioner": "STF0002", "prison_offender_manager": None}
    import_on(settings, "2024-06-01", changed)
    before = cli_case("X123456", "2024-03-01T12:00:00Z")
    assert before["practitioner"] == "STF0001"
    after = cli_case("X123456", "2024-06-02T12:00:00Z")
    assert after["practitioner"] == "STF0002"
    assert Person.objects.get().versions.count() == 2
    # Known from the start of the sentence for migrated data; unallocated before it.
    assert cli_case("X123456", "2019-09-02T12:00:00Z")["practitioner"] == "STF0001"
    assert cli_case("X123456", "2019-08-01T12:00:00Z")["practitioner"] is None


def test_the_sweep_reads_the_allocation_known_then(settings):
    person = make_person(registrations=[], practitioner=None)
    import_on(settings, "2024-01-10", person)
    import_on(settings, "2024-06-01", copy.deepcopy(person) | {"practitioner": "STF0001"})
    stored = Person.objects.get()
    assert case_facts(stored, at("2024-03-01T12:00:00Z"), Policy(), frozenset()).com_allocated is False
    assert case_facts(stored, at("2024-06-02T12:00:00Z"), Policy(), frozenset()).com_allocated is True


def test_sentence_dates_requirements_and_licence_conditions_as_of_before_a_change(settings):
    person = make_person(registrations=[])
    import_on(settings, "2024-01-10", person)
    changed = copy.deepcopy(person)
    event = changed["events"][0]
    event["dates"]["licence_expiry"] = "2024-12-01"
    event["requirements"][0]["start"] = "2024-05-20"
    event["requirements"].append({"id": "R2", "type": "UNPAID_WORK", "detail": "100 hours", "start": None})
    event["licence_conditions"][0]["text"] = "Not to contact Jane Doe or her children"
    import_on(settings, "2024-06-01", changed)

    before = cli_case("X123456", "2024-03-01T12:00:00Z")["events"][0]
    assert before["dates"]["licence_expiry"] == "2023-09-01"
    assert [(r["id"], r["start"]) for r in before["requirements"]] == [("R1", None)]
    assert before["licence_conditions"][0]["text"] == "Not to contact Jane Doe directly or indirectly"
    after = cli_case("X123456", "2024-06-02T12:00:00Z")["events"][0]
    assert after["dates"]["licence_expiry"] == "2024-12-01"
    assert [(r["id"], r["start"]) for r in after["requirements"]] == [("R1", "2024-05-20"), ("R2", None)]
    assert after["licence_conditions"][0]["text"] == "Not to contact Jane Doe or her children"
    # Before the sentence, no event was known.
    assert cli_case("X123456", "2019-08-31T12:00:00Z")["events"] == []


def test_a_requirement_started_in_the_bundle_is_not_known_started_before_its_start():
    person = make_person(registrations=[])
    person["events"][0]["requirements"][0]["start"] = "2020-02-03"
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    assert cli_case("X123456", "2020-01-15T12:00:00Z")["events"][0]["requirements"][0]["start"] is None
    assert cli_case("X123456", "2020-02-04T12:00:00Z")["events"][0]["requirements"][0]["start"] == "2020-02-03"


def test_the_tier_is_computed_as_of_a_past_instant_from_the_inputs_known_then():
    person = make_person(registrations=[FLAG_2019])
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    then = cli_case("X123456", "2022-06-01T12:00:00Z")["risk"]
    assert then["tier"] is not None
    details = [r["detail"] for r in then["tier"]["explanation"]["v2"]]
    assert "MAPPA level 2" in details  # the flag known then
    assert "RoSH high" in details  # the assessment completed by then (in words: the JSON showed "RoSH HIGH")
    assert "need: relationships, severe" in details  # OASYS-1 (May 2022) was valid then, though not today
    assert not any(code in d for d in details for code in ("HIGH", "SEVERE", "STANDARD", "_"))
    # Keepsafe's own OGRS3 is computed from the criminal history and sentence known then; the import's scores win.
    # OASYS-1 scored OGRS3 (two-year): both years then come from it, none computed beside it.
    assert "ogrs3_1y" not in then["predictors"]
    assert then["predictors"]["ogrs3_2y"]["source"] == "imported with assessment OASYS-1"
    assert then["predictors"]["rsr"]["source"] == "imported with assessment OASYS-1"
    # Before the MAPPA flag was known, the tier did not rest on it.
    earlier = cli_case("X123456", "2019-09-15T12:00:00Z")["risk"]["tier"]
    assert earlier["v2"] == "D2"
    assert not any("MAPPA" in r["detail"] for r in earlier["explanation"]["v2"])


def test_as_of_now_shows_what_the_current_view_shows():
    person = make_person(registrations=[FLAG_2019])
    person["records"] = person["records"] + [ORDER_RECORD]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    now = case_summary(crn="X123456", viewer=SYSTEM)
    then = case_summary(crn="X123456", viewer=SYSTEM, as_of=clock.now())
    for key in ("practitioner", "pdu", "events", "registrations"):
        assert then[key] == now[key], key
    assert then["risk"]["tier"] == now["risk"]["tier"]


@pytest.mark.parametrize("instant", ["2019-12-01T12:00:00Z", "2021-03-04T12:00:00Z", "2021-03-06T12:00:00Z"])
def test_the_sweep_and_the_case_view_agree_on_the_flags_in_force(instant):
    person = make_person(
        registrations=[
            FLAG_2019,
            {
                **FLAG_2019,
                "id": "DV-1",
                "type": "ADVP",
                "level": None,
                "category": None,
                "start": "2021-01-01",
                "end": "2021-03-05",
            },
        ]
    )
    person["records"] = person["records"] + [ORDER_RECORD]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    as_of = at(instant)
    view = flag_ids(case_summary(crn="X123456", viewer=SYSTEM, as_of=as_of))
    facts = case_facts(Person.objects.get(), as_of, Policy(), frozenset())
    in_force = {r.id for r in facts.registrations if is_active(start=r.start, end=r.end, today=day_of(as_of))}
    assert view == in_force
    assert view  # each instant has a flag in force


# Invariant: over generated histories of imports (allocation, sentence dates, flags) and a civil order, `--as-of T`
# shows nothing known after T and everything known by T that was in force at T.
STAFF = st.sampled_from([None, "STF0001", "STF0002"])
FLAG_IDS = ("F1", "F2", "F3")
BASE = date(2020, 1, 6)  # imports happen on even day offsets, instants are read at noon on odd ones


@st.composite
def flag_values(draw) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    start = BASE + timedelta(days=draw(st.integers(-200, 300)))
    length = draw(st.one_of(st.none(), st.integers(1, 400)))
    return {"start": start, "end": start + timedelta(days=length) if length else None}


@st.composite
def histories(draw) -> dict[str, Any]:
    days = sorted(draw(st.sets(st.integers(0, 150), min_size=1, max_size=4)))
    imports = [
        {
            "day": BASE + timedelta(days=2 * d),
            "practitioner": draw(STAFF),
            "release": BASE + timedelta(days=draw(st.integers(0, 500))),
            "flags": {fid: draw(flag_values()) for fid in FLAG_IDS},
        }
        for d in days
    ]
    order = None
    if draw(st.booleans()):
        # received before the first import: records are never received in the future
        received = datetime.combine(BASE, datetime.min.time(), UTC) - timedelta(hours=draw(st.integers(1, 24 * 300)))
        start = received.date() - timedelta(days=draw(st.integers(0, 30)))
        order = {"received": received, "start": start, "end": start + timedelta(days=draw(st.integers(1, 400)))}
    instants = [
        datetime.combine(BASE + timedelta(days=2 * d + 1), datetime.min.time(), UTC) + timedelta(hours=12)
        for d in draw(st.lists(st.integers(-120, 200), min_size=1, max_size=4))
    ]
    return {"imports": imports, "order": order, "instants": instants}


_crns = itertools.count(100001)


def _bundle_person(crn: str, step: dict[str, Any], order: dict[str, Any] | None) -> dict[str, Any]:
    person = make_person(
        crn, practitioner=step["practitioner"], prison_offender_manager=None, contacts=[], records=[], assessments=[]
    )
    person["events"][0]["sentence"]["date"] = "2019-06-03"
    person["events"][0]["dates"] = {"release": step["release"].isoformat()}
    person["registrations"] = [
        {
            **FLAG_2019,
            "id": fid,
            "type": "ADVP",
            "level": None,
            "category": None,
            "start": v["start"].isoformat(),
            "end": v["end"].isoformat() if v["end"] else None,
        }
        for fid, v in step["flags"].items()
        if v is not None
    ]
    if order is not None:
        person["records"] = [
            {
                **ORDER_RECORD,
                "occurred_at": order["received"].isoformat(),
                "received_at": order["received"].isoformat(),
                "order": {
                    **ORDER_RECORD["order"],
                    "start": order["start"].isoformat(),
                    "end": order["end"].isoformat(),
                },
            }
        ]
    return person


def _expected(history: dict[str, Any], instant: datetime) -> dict[str, Any]:
    """The model: what the first import brings is known from the dates it carries (the sentence, a flag's start),
    each later change from its import; a civil order's flag from the record's receipt."""
    day = instant.date()
    case: list[tuple[bool, tuple[str | None, date]]] = []  # (known at the instant?, (practitioner, release))
    flags: dict[str, list[tuple[bool, dict[str, Any]]]] = {}
    for n, step in enumerate(history["imports"]):
        known_by_import = step["day"] < day
        values = (step["practitioner"], step["release"])
        if n == 0:
            case.append((date(2019, 6, 3) <= day, values))
        elif values != case[-1][1]:
            case.append((known_by_import, values))
        for fid, flag in step["flags"].items():
            if flag is None:
                continue  # a flag left out of a later bundle is not removed
            if fid not in flags:
                flags[fid] = [(flag["start"] <= day or known_by_import, flag)]
            elif flag != flags[fid][-1][1]:
                flags[fid].append((known_by_import, flag))
    known_case = [v for ok, v in case if ok]
    practitioner, release = known_case[-1] if known_case else (None, None)
    shown = set()
    for fid, versions in flags.items():
        known = [v for ok, v in versions if ok]
        if known and is_active(start=known[-1]["start"], end=known[-1]["end"], today=day):
            shown.add(fid)
    order = history["order"]
    if (
        order is not None
        and order["received"] <= instant
        and is_active(start=order["start"], end=order["end"], today=day)
    ):
        shown.add("ORDER")
    return {"practitioner": practitioner, "release": release.isoformat() if release else None, "flags": shown}


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_as_of_shows_nothing_known_after_and_everything_known_before_that_was_in_force(settings, history):
    crn = f"Y{next(_crns)}"
    for step in history["imports"]:
        import_on(settings, step["day"].isoformat(), _bundle_person(crn, step, history["order"]))
    for instant in history["instants"]:
        summary = case_summary(crn=crn, viewer=SYSTEM, as_of=instant)
        expected = _expected(history, instant)
        shown = {"ORDER" if r["id"].startswith("ORDER-") else r["id"] for r in summary["registrations"]}
        assert shown == expected["flags"], instant
        assert summary["practitioner"] == expected["practitioner"], instant
        release = summary["events"][0]["dates"]["release"] if summary["events"] else None
        assert release == expected["release"], instant
        assert all(at(r["received_at"]) <= instant for r in summary["records"])


def test_changes_made_in_keepsafe_are_known_from_when_they_were_recorded(settings):
    """Services write the version with the row: a removal backdated to before it was recorded does not change what
    was known in between, and a requirement started in Keepsafe is known started from then."""
    from keepsafe.actions.services.decisions import requirement_started
    from keepsafe.people.models import Registration, Requirement
    from keepsafe.people.services import registration_remove, registration_review

    person = make_person(registrations=[FLAG_2019])
    import_on(settings, "2024-01-10", person)
    settings.KEEPSAFE_TODAY = "2024-06-01"
    flag = Registration.objects.select_related("type", "person").get()
    registration_review(actor=SYSTEM, registration=flag, reviewed_on=date(2024, 5, 31), notes="Still needed")
    requirement_started(actor=SYSTEM, requirement=Requirement.objects.get(), start=date(2024, 5, 30))
    settings.KEEPSAFE_TODAY = "2024-09-01"
    registration_remove(actor=SYSTEM, registration=flag, ended_on=date(2024, 3, 1), reason="MAPPA management ended")

    def on(day: str) -> dict[str, Any]:
        return case_summary(crn="X123456", viewer=SYSTEM, as_of=at(day + "T12:00:00Z"))

    assert flag_ids(on("2024-04-01")) == {"MAPPA-1"}  # the removal was recorded only in September
    assert flag_ids(on("2024-09-02")) == set()
    assert on("2024-05-31")["events"][0]["requirements"][0]["start"] is None
    assert on("2024-06-02")["events"][0]["requirements"][0]["start"] == "2024-05-30"
    stored = Person.objects.get()
    reviews = [r.reviews for r in case_facts(stored, at("2024-06-02T12:00:00Z"), Policy(), frozenset()).registrations]
    assert [len(r) for r in reviews] == [1]
    assert case_facts(stored, at("2024-05-30T12:00:00Z"), Policy(), frozenset()).registrations[0].reviews == ()
