"""Issue 14 §3: notifications inside Keepsafe — listed and counted only when the recipient may see every case they
name (the email outbox's rule), read and unread, for staff with and without email; new information on a case
notifies who holds it where it is stored; emails carry absolute links and local (Europe/London) times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.inbox import inbox, mark_read, unread_count
from keepsafe.actions.models import Action, Notification
from keepsafe.actions.rules.calendar import LONDON, end_of_day
from keepsafe.actions.services.digest import digest_lines
from keepsafe.actions.services.notify import WITHHELD, deliver, local_time, notify, reminder_text
from keepsafe.audit.models import AuditEvent
from keepsafe.config import env
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import CaseAccess, Person
from keepsafe.records.services import record_add
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person
from keepsafe.workforce.models import Staff, User
from keepsafe.workforce.selectors import actor_for_user

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def site(imported):
    imported(make_bundle(make_person("X123456"), make_person("X654321", practitioner="STF0002")))
    for username, code in (("ada", "STF0001"), ("ben", "STF0002"), ("pat", "STF0200")):
        role = "POM" if code == "STF0200" else "PRACTITIONER"
        User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)


def staff(code: str) -> Staff:
    return Staff.objects.get(code=code)


def person(crn: str) -> Person:
    return Person.objects.get(crn=crn)


def note(recipient: Staff, subject: str, *cases: Person, kind: str = "REMINDER", parts: dict | None = None) -> None:
    notify(
        recipients=[recipient],
        kind=kind,
        action=None,
        subject=subject,
        body=f"{subject}\nline two",
        at=AT,
        may_see=lambda *_: True,
        cases=cases,
        parts=parts,
    )


def actor(username: str):
    return actor_for_user(User.objects.get(username=username))


def test_staff_without_email_see_their_notifications_and_mark_them_read(site):
    ben = staff("STF0002")
    assert ben.email == ""
    note(ben, "Safety action due: X654321", person("X654321"))
    note(ben, "Escalated to you: X654321", person("X654321"), kind="ESCALATION")
    assert deliver() == (2, 0)  # no address: "shown in Keepsafe only"
    assert unread_count(ben.pk) == 2
    items, pages, unread = inbox(actor=actor("ben"), unread_only=False, page=1)
    assert [i.label for i in items] == ["Escalation", "Reminder"]  # newest first
    assert (pages, unread) == (1, 2)
    assert mark_read(actor=actor("ben"), ids=[items[0].id]) == 1
    assert unread_count(ben.pk) == 1
    assert mark_read(actor=actor("ben"), ids=[items[0].id], read=False) == 1
    assert mark_read(actor=actor("ben"), ids=None) == 2
    assert unread_count(ben.pk) == 0
    assert AuditEvent.objects.filter(action="NOTIFICATIONS_READ", actor="ben").count() == 2


def test_nobody_marks_or_sees_another_persons_notifications(site):
    note(staff("STF0002"), "For Ben", person("X654321"))
    theirs = Notification.objects.get().pk
    with pytest.raises(ValidationError, match="not one of yours"):
        mark_read(actor=actor("ada"), ids=[theirs])
    assert Notification.objects.get().read_at is None
    assert inbox(actor=actor("ada"), unread_only=False, page=1)[0] == []


def test_a_case_the_recipient_may_no_longer_see_is_neither_listed_nor_counted(site):
    ada = staff("STF0001")
    note(ada, "About X123456", person("X123456"))
    note(ada, "About X654321", person("X654321"))
    note(ada, "Withheld at sending", person("X123456"))
    Notification.objects.filter(subject="Withheld at sending").update(error=WITHHELD)
    assert unread_count(ada.pk) == 2
    CaseAccess.objects.create(person=person("X654321"), staff=ada, kind=CaseAccess.Kind.EXCLUSION)
    assert unread_count(ada.pk) == 1
    items, _, unread = inbox(actor=actor("ada"), unread_only=False, page=1)
    assert [i.subject for i in items] == ["About X123456"]
    assert unread == 1
    hidden = Notification.objects.get(subject="About X654321").pk
    with pytest.raises(ValidationError, match="not one of yours"):  # the same words as someone else's
        mark_read(actor=actor("ada"), ids=[hidden])
    mark_read(actor=actor("ada"), ids=None)
    assert Notification.objects.get(pk=hidden).read_at is None  # "mark all" touches only what they may see
    page = _client("ada").get("/notifications").content.decode()
    assert "X654321" not in page
    assert "About X123456" in page
    deliver()  # the waiting email naming the hidden case is withheld, as the outbox does
    assert Notification.objects.get(pk=hidden).error == WITHHELD


def test_a_digest_is_shown_without_the_lines_of_a_case_its_reader_lost_sight_of(site):
    spo = staff("STF0100")
    User.objects.create(username="sara", staff=spo, role="SPO")
    lines = [
        {"person": person("X123456").pk, "overdue": True, "text": "- OVERDUE X123456 Review"},
        {"person": person("X654321").pk, "overdue": False, "text": "- due X654321 Check"},
    ]
    parts = {"day": "23 November 2026", "lines": lines}
    note(spo, "Team actions", person("X123456"), person("X654321"), kind="DIGEST", parts=parts)
    CaseAccess.objects.create(person=person("X654321"), staff=spo, kind=CaseAccess.Kind.EXCLUSION)
    items, _, _ = inbox(actor=actor("sara"), unread_only=True, page=1)
    assert len(items) == 1
    assert "X123456" in items[0].body
    assert "X654321" not in items[0].body
    assert items[0].crns == ("X123456",)
    deliver()  # the email goes without the hidden case's line, as the outbox sends it
    assert "X654321" not in Notification.objects.get().body


def test_new_information_notifies_who_holds_the_case_but_not_its_author(site):
    with time_machine.travel(NOW, tick=False):
        record_add(
            actor=SYSTEM,
            person=person("X123456"),
            external_id="GMP-1",
            source="POLICE",
            kind="CALL_OUT",
            occurred_at=AT,
            received_at=AT,
            author="PC 1",
            text="Domestic incident at the home address.",
        )
        told = Notification.objects.filter(kind="NEW_INFORMATION")
        assert {n.recipient.code for n in told} == {"STF0001", "STF0200"}  # the COM and the POM
        first = told.first()
        assert first is not None
        assert "Domestic incident" not in first.body  # no record text in an email
        assert "/case/X123456/chronology" in first.body
        pom = actor("pat")
        record_add(
            actor=pom,
            person=person("X123456"),
            external_id="PRISON-INFO-1",
            source="PRISON",
            kind="PRISON_INFORMATION_SHARING",
            occurred_at=AT,
            received_at=AT,
            author="POM",
            text="Release address confirmed.",
        )
        latest = Notification.objects.filter(kind="NEW_INFORMATION").order_by("-id")[:1].get()
        assert latest.recipient.code == "STF0001"
        assert Notification.objects.filter(kind="NEW_INFORMATION").count() == 3  # the POM is not told of their own
        items, _, _ = inbox(actor=actor("ada"), unread_only=True, page=1)
        assert {i.label for i in items} == {"New information"}
        assert items[0].link == "/case/X123456/chronology"


def test_a_new_information_notice_is_not_sent_to_a_holder_excluded_from_the_case(site):
    CaseAccess.objects.create(person=person("X123456"), staff=staff("STF0200"), kind=CaseAccess.Kind.EXCLUSION)
    record_add(
        actor=SYSTEM,
        person=person("X123456"),
        external_id="GMP-2",
        source="POLICE",
        kind="CALL_OUT",
        occurred_at=AT,
        received_at=AT,
        author="PC 1",
        text="Call-out.",
    )
    assert {n.recipient.code for n in Notification.objects.filter(kind="NEW_INFORMATION")} == {"STF0001"}


@override_settings(KEEPSAFE_BASE_URL="https://keepsafe.example.gov.uk")
def test_emails_carry_absolute_links_and_london_times(site):
    summer = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    action = Action.objects.create(
        person=person("X123456"),
        type="REGISTRATION_REVIEW",
        key="inbox:test",
        title="Review the Restraining Order registration",
        owner=staff("STF0001"),
        owner_role="COM",
        opens_at=summer,
        due=summer,
        created_at=summer,
    )
    _subject, body = reminder_text(action, "Safety action due")
    assert f"https://keepsafe.example.gov.uk/case/X123456/actions#action-{action.pk}" in body
    assert "Due: 1 July 2026 at 5:00pm (BST)" in body
    assert "2026-07-01T16:00" not in body
    lines = digest_lines([action], summer)
    assert "https://keepsafe.example.gov.uk/case/X123456/actions" in str(lines[0]["text"])
    assert local_time(datetime(2026, 12, 1, 9, 5, tzinfo=UTC)) == "1 December 2026 at 9:05am (GMT)"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))  # noqa: DTZ001 — hypothesis bounds are naive
def test_a_local_time_is_always_london_time_with_its_zone(instant):
    text = local_time(instant)
    assert text.endswith(("(GMT)", "(BST)"))
    assert str(instant.astimezone(local_time.__globals__["LONDON"]).year) in text


@pytest.mark.parametrize("bad", ["keepsafe.example", "ftp://x", "https://x y", "https://x/?a=1", "https://x/#y"])
def test_a_base_url_that_cannot_make_links_stops_start_up(monkeypatch, bad):
    monkeypatch.setenv("KEEPSAFE_BASE_URL", bad)
    with pytest.raises(RuntimeError, match="KEEPSAFE_BASE_URL"):
        env.base_url()


def test_base_url_drops_a_trailing_slash(monkeypatch):
    monkeypatch.setenv("KEEPSAFE_BASE_URL", "https://keepsafe.example/ ")
    assert env.base_url() == "https://keepsafe.example"


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_the_page_and_the_header_count_and_marking_read(site):
    ada = staff("STF0001")
    for n in range(30):
        note(ada, f"Reminder {n:02d}", person("X123456"))
    c = _client("ada")
    page = c.get("/case/X123456/flags").content.decode()
    assert "Notifications (30 unread)" in page  # the header on every page
    listing = c.get("/notifications").content.decode()
    assert "<title>Notifications (page 1 of 2)" in listing
    assert "You have 30 unread notifications" in listing
    assert listing.count('data-testid="notification"') == 25
    assert "?show=all&page=2" in listing
    second = c.get("/notifications?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5
    assert AuditEvent.objects.filter(action="NOTIFICATIONS_LIST", actor="ada").count() == 2
    one = Notification.objects.filter(recipient=ada).first()
    assert one is not None
    answer = c.post("/notifications?show=all", {"mark": str(one.pk)}, follow=True)
    assert "Notification marked as read" in answer.content.decode()
    assert "Notifications (29 unread)" in answer.content.decode()
    answer = c.post("/notifications", {"mark": "all"}, follow=True)
    assert "29 notifications marked as read" in answer.content.decode()
    assert "You have no unread notifications" in answer.content.decode()
    bad = c.post("/notifications", {"mark": "nonsense"})
    assert bad.status_code == 200
    assert "<title>Error: Notifications" in bad.content.decode()


def test_an_account_without_a_staff_record_has_no_notifications_page(site):
    User.objects.create(username="root", role="ADMINISTRATOR")
    assert _client("root").get("/notifications").status_code == 403


@pytest.mark.parametrize(
    ("day", "zone"),
    [
        (date(2023, 12, 25), "GMT"),  # the tester's: "Due 26 December 2023 at 12:00am" for "by 25 December 2023"
        (date(2026, 3, 28), "GMT"),  # the day before the clocks go forward: its end is a GMT midnight
        (date(2026, 3, 29), "BST"),  # the day the clocks go forward: its end is a BST midnight
        (date(2026, 10, 24), "BST"),  # the day before the clocks go back
        (date(2026, 10, 25), "GMT"),  # the day the clocks go back
    ],
)
@override_settings(KEEPSAFE_BASE_URL="https://keepsafe.example.gov.uk")
def test_an_end_of_day_due_reads_as_the_end_of_that_day_in_emails_and_digests(site, day, zone):
    """Issue 20 try-out: a deadline "by D" is the midnight ending D (calendar.end_of_day); as stored (UTC) it must
    still read "by the end of D", never 12:00am on the next day, across a clock change."""
    due = end_of_day(day).astimezone(UTC)
    assert due.astimezone(LONDON).tzname() == zone
    action = Action.objects.create(
        person=person("X123456"),
        type="REGISTRATION_REVIEW",
        key=f"inbox:eod:{day}",
        title=f"Review by {day:%-d %B %Y}",
        owner=staff("STF0001"),
        owner_role="COM",
        opens_at=due,
        due=due,
        created_at=due,
    )
    action.refresh_from_db()
    _subject, body = reminder_text(action, "Safety action due")
    assert f"Due: by the end of {day:%-d %B %Y}\n" in body
    assert "12:00am" not in body
    [line] = digest_lines([action], due - timedelta(days=1))
    assert f"due by the end of {day:%-d %B %Y}" in str(line["text"])
