"""Fixtures shared by every app's tests: a small organisation, a bundle builder, actors."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from keepsafe.core.actor import Actor, Channel, Role

ORG: dict[str, Any] = {
    "format": "keepsafe-bundle/1",
    "regions": [{"code": "GMR", "name": "Greater Manchester"}],
    "pdus": [{"code": "GMR-MN", "name": "Manchester North", "region": "GMR"}],
    "teams": [{"code": "GMR-MN-1", "name": "Manchester North Team 1", "pdu": "GMR-MN"}],
    "staff": [
        {
            "code": "STF0100",
            "forename": "Sara",
            "surname": "Senior",
            "grade": "SPO",
            "team": "GMR-MN-1",
            "line_manager": None,
            "qualified_on": None,
            "contracted_hours": 37.0,
            "email": "spo@example.org",
        },
        {
            "code": "STF0001",
            "forename": "Ada",
            "surname": "Jones",
            "grade": "PO",
            "team": "GMR-MN-1",
            "line_manager": "STF0100",
            "qualified_on": "2024-07-31",
            "contracted_hours": 37.0,
            "email": "ada.jones@example.org",
        },
        {
            "code": "STF0002",
            "forename": "Ben",
            "surname": "Other",
            "grade": "PO",
            "team": "GMR-MN-1",
            "line_manager": "STF0100",
            "qualified_on": None,
            "contracted_hours": 22.5,
            "email": "",
        },
        {
            "code": "STF0200",
            "forename": "Pat",
            "surname": "Prison",
            "grade": "POM",
            "team": None,
            "line_manager": None,
            "qualified_on": None,
            "contracted_hours": 37.0,
            "email": "",
        },
    ],
}

PERSON: dict[str, Any] = {
    "crn": "X123456",
    "forename": "John",
    "surname": "Smith",
    "date_of_birth": "1993-02-01",
    "gender": "MALE",
    "ethnicity": "White: British",
    "disability": False,
    "pnc": "2010/0012345A",
    "pdu": "GMR-MN",
    "practitioner": "STF0001",
    "prison_offender_manager": "STF0200",
    "restricted_to": [],
    "excluded": [],
    "criminal_history": {"first_sanction_date": "2009-05-01", "sanctions": 14, "violent_sanctions": 6},
    "events": [
        {
            "id": "1",
            "offence": "Wounding with intent",
            "offence_category": "violence",
            "offence_date": "2019-03-02",
            "sentence": {"type": "DETERMINATE_CUSTODY", "date": "2019-09-01", "length_months": 48},
            "dates": {
                "release": "2022-06-15",
                "conditional_release": "2022-06-15",
                "parole_eligibility": None,
                "licence_expiry": "2023-09-01",
                "sentence_expiry": "2023-09-01",
                "pss_end": None,
            },
            "requirements": [
                {"id": "R1", "type": "ACCREDITED_PROGRAMME", "detail": "Building Better Relationships", "start": None}
            ],
            "licence_conditions": [
                {"id": "L1", "type": "NO_CONTACT", "text": "Not to contact Jane Doe directly or indirectly"}
            ],
            "terminated": None,
        }
    ],
    "registrations": [
        {
            "id": "REG1",
            "type": "RSTO",
            "start": "2021-11-20",
            "end": "2030-11-20",
            "level": None,
            "category": None,
            "notes": "Restraining order protecting a former partner",
            "end_reason": "",
            "last_reviewed": None,
        }
    ],
    "contacts": [
        {
            "id": "C1",
            "type": "APPOINTMENT",
            "at": "2022-06-16T10:00:00Z",
            "staff": "STF0001",
            "outcome": "FAILED_TO_ATTEND",
            "notes": "",
        }
    ],
    "records": [
        {
            "id": "PRISON-INTEL-881",
            "source": "PRISON",
            "kind": "INTELLIGENCE_LOG",
            "occurred_at": "2021-08-03T09:00:00Z",
            "received_at": "2021-08-03T12:00:00Z",
            "author": "Security department",
            "text": "Improvised blade found in cell during search.",
            "order": None,
        }
    ],
}

# Issue 6 §5: recalls and checks (empty here; the actions tests build their own).
PERSON["recalls"] = []
PERSON["checks"] = []
# Issue 12 §10: enforcement decisions and release plan items made before the case came to Keepsafe.
PERSON["enforcement_decisions"] = []
PERSON["release_plan"] = []
# Issue 14: appointments booked in another system (docs/bundle-format.md); the appointments tests build their own.
PERSON["appointments"] = []
# Issue 16 §2, §6 (helper "transfer"): transfers between PDUs and remand periods; their tests build their own.
PERSON["transfers"] = []
PERSON["remand_periods"] = []
# Issue 16 §3-4 (helper "share"): disclosures and MAPPA/IOM meetings (the sharing tests build their own).
PERSON["disclosures"] = []
PERSON["meetings"] = []
# Issue 16 §1 (helper "court"): court stages before sentence (docs/bundle-format.md "court_stage").
PERSON["court_stage"] = []
# Issue 4 §7: an assessment completed elsewhere, carried in the bundle.
PERSON["assessments"] = [
    {
        "id": "OASYS-1",
        "completed_at": "2022-05-01T10:00:00Z",
        "assessor": "STF0200",
        "status": "COMPLETE",
        "rosh": {
            "community": {"children": "LOW", "public": "MEDIUM", "known_adult": "HIGH", "staff": "LOW"},
            "custody": None,
        },
        "predictors": {
            "ogrs3_2y": {"score": 61.0, "band": "MEDIUM", "static": True},
            "rsr": {"score": 4.2, "band": "MEDIUM", "static": True},
        },
        "needs": {"accommodation": "STANDARD", "relationships": "SEVERE", "thinking_behaviour": "STANDARD"},
        "risk_to_self": {"suicide": "NO", "self_harm": "DONT_KNOW"},
        "oasys_answers": {},  # issue 18: OASys 6.9, 11.2, 11.4 (tier v2 women's factors); none recorded here
    }
]


# An ACO and a head of PDU above the SPO: the whole escalation chain (safety actions, issue 6).
MANAGERS: list[dict[str, Any]] = [
    {"code": "STF0900", "forename": "Alex", "surname": "Chief", "grade": "ACO", "team": None, "line_manager": None},
    {
        "code": "STF0800",
        "forename": "Hana",
        "surname": "Head",
        "grade": "HEAD_OF_PDU",
        "team": "GMR-MN-1",
        "line_manager": "STF0900",
    },
]


def org_with_managers() -> dict[str, Any]:
    """ORG with an ACO and a head of PDU, the SPO reporting to the head."""
    bundle = copy.deepcopy(ORG)
    extra = [
        {**s, "qualified_on": None, "contracted_hours": 37.0, "email": f"{s['code'].lower()}@example.org"}
        for s in MANAGERS
    ]
    bundle["staff"] = extra + bundle["staff"]
    for s in bundle["staff"]:
        if s["code"] == "STF0100":
            s["line_manager"] = "STF0800"
    return bundle


def make_person(crn: str = "X123456", **changes: Any) -> dict[str, Any]:
    person = copy.deepcopy(PERSON)
    person["crn"] = crn
    person.update(changes)
    return person


def make_bundle(*people: dict[str, Any], org: bool = True) -> dict[str, Any]:
    bundle: dict[str, Any] = copy.deepcopy(ORG) if org else {"format": "keepsafe-bundle/1"}
    bundle["people"] = list(people) if people else [make_person()]
    return bundle


def raw(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle)


SYSTEM = Actor.system(Channel.CLI)


@pytest.fixture
def system_actor() -> Actor:
    return SYSTEM


def written_once[T](django_db_blocker: Any, write: Callable[[], T]) -> Iterator[T]:
    """The body of a module- or package-scoped fixture whose data many tests read (`yield from written_once(...)`):
    `write` runs once, in a transaction, and its result is yielded; after the scope's last test the transaction is
    rolled back, leaving the database as the rest of the suite expects it. Each test (pytest-django's `db`) runs in a
    savepoint inside that transaction, so what one test writes is gone before the next. Every test in the scope sees
    the data, so put only tests that read it in the scope, all marked `django_db` (pytest-django runs those first,
    the others after, docs/testing.md, "Data written once").

    The data's foreign keys are checked once, here (on PostgreSQL the checks deferred while writing fire now, not in
    every test's teardown), and its notifications are checked once for a case their recipient may not see: each test
    then checks only the notifications it adds (`_nobody_is_told_of_a_case_they_may_not_see`; checking the demo
    region's thousands after every test took 9 s a test)."""
    from django.db import connection, transaction

    atomic = transaction.atomic()
    checked_before = CHECKED_UP_TO["notification"]

    def rollback() -> None:
        CHECKED_UP_TO["notification"] = checked_before
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)

    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            value = write()
            connection.check_constraints()
            _notifications_checked_once()
        except BaseException:
            rollback()
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            rollback()


def copy_sqlite(source: Any, target: Any) -> None:
    """A whole copy of a SQLite database file, WAL mode included (SQLite's backup API): copying the file alone loses
    what is still in its -wal file."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@pytest.fixture
def imported(db):
    """Import a bundle (default: the organisation and one person) and return its dict."""
    from keepsafe.bundles.importer import bundle_import

    def _import(bundle: dict[str, Any] | None = None) -> dict[str, Any]:
        bundle = bundle or make_bundle()
        bundle_import(actor=SYSTEM, raw=raw(bundle))
        return bundle

    return _import


@pytest.fixture
def staff_actor(db):
    """An Actor for a staff code, as the web or CLI would build it."""
    from keepsafe.workforce.models import Staff

    def _actor(code: str, role: Role = Role.PRACTITIONER) -> Actor:
        staff = Staff.objects.get(code=code)
        return Actor(username=code.lower(), role=role, staff_id=staff.pk, staff_code=code)

    return _actor


PARTNER_NAMES = {"POLICE": "Greater Manchester Police", "CHILDRENS_SERVICES": "Manchester children's services"}


def partner_agreement(
    partner_code: str = "GMP",
    *,
    kind: str = "POLICE",
    answers: tuple[str, ...] = ("DOMESTIC_ABUSE",),
    send_kinds: tuple[str, ...] = ("CALL_OUT",),
    pdus: tuple[str, ...] = ("GMR-MN",),
):
    """A current information sharing agreement (valid 2020 to 2099) for a partner; the partner is made if new."""
    from datetime import date

    from keepsafe.sharing.services import agreement_create

    return agreement_create(
        actor=SYSTEM,
        partner_code=partner_code,
        partner_name=PARTNER_NAMES.get(kind, partner_code),
        partner_kind=kind,
        reference=f"ISA-{partner_code}-1",
        purpose="Information for risk assessment and checks",
        send_kinds=list(send_kinds),
        answers=list(answers),
        pdu_codes=list(pdus),
        valid_from=date(2020, 1, 1),
        valid_until=date(2099, 12, 31),
    )


# --- issue 11: every notification and email built in a test is checked against its recipient's visibility ----------

CRN_IN_TEXT = re.compile(r"\b[A-Z][0-9]{6}\b")


def _uses_database(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "django_db_setup"} & set(request.fixturenames)
    )


# Notifications up to this id were written once for a module or package (written_once) and checked then; each test
# in the scope checks only those after it.
CHECKED_UP_TO = {"notification": 0}


def hidden_case_mentions(after: int = 0) -> list[str]:
    """Every notification waiting or sent (with an id above `after`), and every email in the test outbox, that names
    a case (by its recorded cases, its action, or a CRN in its text) its recipient may not see. Withheld and failed
    ones were never sent."""
    from django.core import mail

    from keepsafe.actions.models import Notification
    from keepsafe.people.models import Person
    from keepsafe.people.rules.visibility import may_see_case
    from keepsafe.people.selectors import access_lists
    from keepsafe.workforce.models import Staff

    notes = list(Notification.objects.filter(failed_at__isnull=True, pk__gt=after).select_related("action"))
    messages = list(getattr(mail, "outbox", []))
    crns = {c for n in notes for c in CRN_IN_TEXT.findall(n.subject + n.body)}
    crns |= {c for m in messages for c in CRN_IN_TEXT.findall(m.subject + m.body)}
    by_crn = dict(Person.objects.filter(crn__in=crns).values_list("crn", "pk"))
    ids = set(by_crn.values()) | {pk for n in notes for pk in n.cases} | {n.action.person_id for n in notes if n.action}
    lists = access_lists(ids)
    staff_by_email = {s.email: s.pk for s in Staff.objects.exclude(email="")}

    def sees(staff_id: int, person_id: int) -> bool:
        restricted, excluded = lists[person_id]
        return may_see_case(is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded)

    found = []
    for n in notes:
        named = set(n.cases) | ({n.action.person_id} if n.action else set())
        named |= {by_crn[c] for c in CRN_IN_TEXT.findall(n.subject + n.body) if c in by_crn}
        found += [
            f"notification {n.pk} ({n.kind}) to staff {n.recipient_id} names case {p}"
            for p in named
            if not sees(n.recipient_id, p)
        ]
    for m in messages:
        for address in m.to + m.cc + m.bcc:
            staff_id = staff_by_email.get(address)
            named = {by_crn[c] for c in CRN_IN_TEXT.findall(m.subject + m.body) if c in by_crn}
            if staff_id is not None:
                found += [f"email to staff {staff_id} names case {p}" for p in named if not sees(staff_id, p)]
    return found


def _notifications_checked_once() -> None:
    """For written_once: the data's notifications checked now, and each test after checks only those it adds."""
    from django.db.models import Max

    from keepsafe.actions.models import Notification

    problems = hidden_case_mentions()
    assert not problems, "told of a case they may not see: " + "; ".join(problems[:10])
    CHECKED_UP_TO["notification"] = Notification.objects.aggregate(top=Max("pk"))["top"] or 0


@pytest.fixture(autouse=True)
def _nobody_is_told_of_a_case_they_may_not_see(request: pytest.FixtureRequest):
    """After every test that touched the database: no notification or email names a case its recipient may not see.
    The database fixture is taken first, so this check runs before the test's data is rolled back."""
    if not _uses_database(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    if connection.connection is None or connection.needs_rollback:
        return  # closed or broken by the test itself: its own assertions report it
    if "actions_notification" not in connection.introspection.table_names():
        return  # a migration test that took the schema back
    problems = hidden_case_mentions(after=CHECKED_UP_TO["notification"])
    assert not problems, "told of a case they may not see: " + "; ".join(problems[:10])
