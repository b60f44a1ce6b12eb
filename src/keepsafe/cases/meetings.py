"""MAPPA and IOM meetings (issue 16 §4; docs/sharing.md "MAPPA and IOM meetings").

A meeting is recorded with its type, date, chair, attendees and invitations (each with its response); the POM must
be invited while the person is in custody or within six months of release (sharing/rules/meetings.py, seeds/001
concern 15), else recording is refused. The minutes are stored as an immutable record (kind MEETING_MINUTES), so
the indicator scanner reads them like any other; each action agreed becomes a MEETING_ACTION safety action
(person-opened: actions/services/opened.py) with the owner and due date chosen at the meeting — owners only among
staff who may see the case. Everything is written in one transaction with its audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from keepsafe.actions.models import Action
from keepsafe.actions.rules.calendar import end_of_day
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.services.opened import Holder, action_open
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.ranges import When, date_problem
from keepsafe.people.models import Person
from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, RecordSource
from keepsafe.people.selectors import case_write_check
from keepsafe.records.services import record_add
from keepsafe.risk.selectors import current_event
from keepsafe.sharing.models import Meeting
from keepsafe.sharing.rules.meetings import (
    MEETING_LABELS,
    Invitation,
    InviteeRole,
    MeetingKind,
    Response,
    meeting_action_key,
    owner_problem,
    pom_invitation_problem,
    pom_must_be_invited,
)
from keepsafe.sharing.selectors import owner_standing
from keepsafe.workforce.models import Staff

MINUTES_KIND = "MEETING_MINUTES"
TEXT_MAX = 200
MINUTES_MAX = 50_000


@dataclass(frozen=True)
class AgreedAction:
    text: str
    owner: str  # staff code
    due: date | None


def custody_position(person: Person) -> tuple[bool, date | None]:
    """(in custody with no release date yet, the release date) from the current sentence."""
    event = current_event(person)
    if event is None or event.sentence_type not in {s.value for s in CUSTODIAL_SENTENCES}:
        return False, None
    released = event.release or event.conditional_release
    return released is None, released


def pom_required(person: Person, held_on: date) -> bool:
    in_custody, released = custody_position(person)
    return pom_must_be_invited(in_custody=in_custody, released_on=released, meeting_on=held_on)


def owner_choices(person: Person) -> list[Staff]:
    """Every member of staff who may own an action agreed at a meeting about this case (what the form offers): the
    staff of the case's PDU and its POM, each passing the owner rule."""
    staff = Staff.objects.filter(team__pdu=person.pdu_id)
    if person.prison_offender_manager_id is not None:
        staff = staff | Staff.objects.filter(pk=person.prison_offender_manager_id)
    return [
        s
        for s in staff.select_related("team__pdu").distinct().order_by("surname", "forename", "code")
        if owner_problem(owner_standing(person, s), case_pdu=person.pdu.code, n=1) is None
    ]


def _text(problems: list[tuple[str, str]], field: str, value: str, what: str, limit: int = TEXT_MAX) -> None:
    if not value.strip():
        problems.append((field, f"enter {what}"))
    elif len(value) > limit:
        problems.append((field, f"{what[:1].upper()}{what[1:]} must be {limit:,} characters or fewer"))


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    held_on: date | None,
    chair: str,
    attendees: list[str],
    invitations: list[Invitation],
    actions: list[AgreedAction],
    minutes: str,
) -> Meeting:
    cover = case_write_check(actor=actor, person=person)
    problems: list[tuple[str, str]] = []
    if kind not in MeetingKind.__members__:
        problems.append(("kind", f"choose the type of meeting: one of {', '.join(MeetingKind)}"))
    today = clock.today()
    if held_on is None:
        problems.append(("held_on", "enter the date the meeting was held"))
    elif held_on > today:
        problems.append(("held_on", "the date the meeting was held must be today or in the past"))
    _text(problems, "chair", chair, "who chaired the meeting")
    if not [a for a in attendees if a.strip()]:
        problems.append(("attendees", "enter who attended, one per line"))
    for i, a in enumerate(attendees):
        if len(a) > TEXT_MAX:
            problems.append(("attendees", f"attendee {i + 1} must be {TEXT_MAX} characters or fewer"))
    for i, invitation in enumerate(invitations):
        _text(problems, f"invitations-{i}", invitation.name, f"the name of invitee {i + 1}")
        if invitation.staff and not Staff.objects.filter(code=invitation.staff).exists():
            problems.append((f"invitations-{i}", f"there is no member of staff {invitation.staff[:20]!r}"))
    _text(problems, "minutes", minutes, "the minutes", MINUTES_MAX)
    owners: dict[str, Staff] = {}
    for i, agreed in enumerate(actions):
        _text(problems, f"actions-{i}", agreed.text, f"what action {i + 1} is", 300)
        staff = Staff.objects.select_related("team__pdu").filter(code=agreed.owner).first() if agreed.owner else None
        if staff is None:
            unknown = f" (there is no member of staff {agreed.owner[:20]!r})" if agreed.owner else ""
            problems.append(
                (f"actions-{i}", f"choose who owns action {i + 1} from the staff who may see this case{unknown}")
            )
        elif (problem := owner_problem(owner_standing(person, staff), case_pdu=person.pdu.code, n=i + 1)) is not None:
            # The chooser may see the case, so naming the restriction tells them nothing new; the owner never learns
            # of the case (nothing is opened or sent).
            problems.append((f"actions-{i}", problem))
        else:
            owners[agreed.owner] = staff
        if agreed.due is None:
            problems.append((f"actions-{i}", f"enter when action {i + 1} is due"))
        elif held_on is not None and agreed.due < held_on:
            problems.append((f"actions-{i}", f"action {i + 1} cannot be due before the meeting"))
        elif (problem := date_problem(agreed.due, When.PLANNED, today, words=True)) is not None:
            problems.append((f"actions-{i}", f"action {i + 1}: {problem}"))
    if held_on is not None and held_on <= today:
        in_custody, released = custody_position(person)
        if (
            problem := pom_invitation_problem(
                in_custody=in_custody, released_on=released, meeting_on=held_on, invitations=invitations
            )
        ) is not None:
            problems.append(("invitations", problem[:1].upper() + problem[1:]))
    if problems:
        raise ValidationError(problems)
    assert held_on is not None
    chosen = MeetingKind(kind)
    now = clock.now()
    public_id = uuid.uuid4()
    external_id = f"MEETING-{public_id}"
    record, _ = record_add(
        actor=actor,
        person=person,
        external_id=external_id,
        source=RecordSource.PRACTITIONER.value,
        kind=MINUTES_KIND,
        occurred_at=end_of_day(held_on) if held_on < today else now,
        received_at=now,
        author=f"{MEETING_LABELS[chosen]} chaired by {chair.strip()}",
        text=minutes.strip(),
    )
    meeting = Meeting.objects.create(
        public_id=public_id,
        person=person,
        external_id=external_id,
        kind=chosen.value,
        held_on=held_on,
        chair=chair.strip(),
        attendees=[a.strip() for a in attendees if a.strip()],
        invitations=[
            {"name": i.name.strip(), "role": i.role.value, "response": i.response.value, "staff": i.staff}
            for i in invitations
        ],
        agreed_actions=[
            {"text": a.text.strip(), "owner": a.owner, "due": a.due.isoformat() if a.due else None} for a in actions
        ],
        minutes=record,
        recorded_at=now,
        recorded_by=actor.code,
    )
    for n, agreed in enumerate(actions, start=1):
        assert agreed.due is not None
        action_open(
            actor=actor,
            person=person,
            type=ActionType.MEETING_ACTION,
            key=meeting_action_key(external_id, n),
            title=agreed.text.strip(),
            opens_at=now,
            due=end_of_day(agreed.due),
            evidence_needed=f"What was done, as agreed at the {MEETING_LABELS[chosen]} of {held_on:%-d %B %Y}",
            detail={"meeting": external_id},
            holder=Holder(owners[agreed.owner], "agreed at the meeting", strict=True),
        )
    audit_record(
        actor=actor,
        action="MEETING_RECORD",
        crn=person.crn,
        details={
            "meeting": external_id,
            "kind": chosen.value,
            "held_on": held_on.isoformat(),
            "actions": len(actions),
            "pom_invited": any(i.role is InviteeRole.POM for i in invitations),
            **cover,
        },
    )
    return meeting


def meetings_for_case(person: Person) -> QuerySet[Meeting]:
    """The case's meetings, newest first (the caller has fetched, and so audited, the case)."""
    return Meeting.objects.filter(person=person).select_related("minutes")


def meeting_actions(person: Person) -> dict[str, list[Action]]:
    """The safety actions each meeting agreed, by the meeting's id."""
    out: dict[str, list[Action]] = {}
    for action in Action.objects.filter(person=person, type=ActionType.MEETING_ACTION.value).select_related("owner"):
        out.setdefault(action.detail.get("meeting", ""), []).append(action)
    return out


def parse_invitation(line: str) -> Invitation | None:
    """One line of the form's invitations: "role | name | response [| staff code]"; None when it cannot be read."""
    parts = [p.strip() for p in line.split("|")]
    if len(parts) not in (3, 4) or parts[0].upper() not in InviteeRole.__members__:
        return None
    response = parts[2].upper().replace(" ", "_")
    if response not in Response.__members__:
        return None
    return Invitation(parts[1], InviteeRole(parts[0].upper()), Response(response), parts[3] if len(parts) == 4 else "")
