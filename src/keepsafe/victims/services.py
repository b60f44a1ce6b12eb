"""Writes for victim contact (issue 16 §7): record a victim liaison officer's representation, and its outcome.

Each write is one transaction with its audit event, made only by someone who may work the case
(people.selectors.case_write_check). Every refusal names the field and why; nothing is written when any is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.ranges import When, date_problem
from keepsafe.people.models import Person
from keepsafe.people.selectors import case_write_check
from keepsafe.victims.models import VictimRepresentation
from keepsafe.victims.rules.representations import RepresentationKind, RepresentationStatus
from keepsafe.workforce.models import Staff

NAME_MAX = 200
TEXT_MAX = 2000


@dataclass(frozen=True)
class RepresentationInput:
    vlo_name: str
    received_on: date
    kind: str
    no_contact_victim: bool = False
    no_contact_named: list[str] = field(default_factory=list)
    zone: str = ""
    text: str = ""
    vlo_staff_code: str = ""
    external_id: str = ""


def representation_problems(data: RepresentationInput, today: date) -> list[tuple[str, str]]:
    """Everything wrong with a representation, by field (shared by the page, the service and the bundle)."""
    problems: list[tuple[str, str]] = []
    if not data.vlo_name.strip():
        problems.append(("vlo_name", "name the victim liaison officer who made the representation"))
    elif len(data.vlo_name) > NAME_MAX:
        problems.append(("vlo_name", f"a name is at most {NAME_MAX} characters"))
    if (problem := date_problem(data.received_on, When.HAPPENED, today, words=True)) is not None:
        problems.append(("received_on", problem))
    try:
        kind = RepresentationKind(data.kind)
    except ValueError:
        problems.append(("kind", f"{data.kind!r} is not a kind of representation ({', '.join(RepresentationKind)})"))
        return problems
    named = [n for n in data.no_contact_named if n.strip()]
    for index, name in enumerate(data.no_contact_named):
        if len(name) > NAME_MAX:
            problems.append((f"no_contact_named[{index}]", f"a name is at most {NAME_MAX} characters"))
    if kind is RepresentationKind.NO_CONTACT and not data.no_contact_victim and not named:
        problems.append(("no_contact_named", "say whom the no-contact request protects: the victim or named people"))
    if kind is not RepresentationKind.NO_CONTACT and (data.no_contact_victim or named):
        problems.append(("no_contact_named", "only a no-contact request names people not to be contacted"))
    if kind is RepresentationKind.EXCLUSION_ZONE and not data.zone.strip():
        problems.append(("zone", "describe the area the exclusion zone covers (streets, a map reference)"))
    if kind is not RepresentationKind.EXCLUSION_ZONE and data.zone.strip():
        problems.append(("zone", "only an exclusion zone request describes an area"))
    if kind is RepresentationKind.OTHER and not data.text.strip():
        problems.append(("text", "say what the victim asks for"))
    for name, value in (("zone", data.zone), ("text", data.text)):
        if len(value) > TEXT_MAX:
            problems.append((name, f"at most {TEXT_MAX} characters"))
    return problems


@transaction.atomic
def representation_record(*, actor: Actor, person: Person, data: RepresentationInput) -> VictimRepresentation:
    """A VLO's representation, as requested (no outcome yet)."""
    cover = case_write_check(actor=actor, person=person)
    problems = representation_problems(data, clock.today())
    staff = None
    if data.vlo_staff_code.strip():
        staff = Staff.objects.filter(code=data.vlo_staff_code.strip()).first()
        if staff is None:
            problems.append(("vlo_staff", f"no staff member {data.vlo_staff_code.strip()!r}"))
    ident = data.external_id.strip() or f"VR-{uuid.uuid4().hex[:10].upper()}"
    if VictimRepresentation.objects.filter(person=person, external_id=ident).exists():
        problems.append(("id", f"{person.crn} already has a victim representation {ident!r}"))
    if problems:
        raise ValidationError(problems)
    rep = VictimRepresentation.objects.create(
        person=person,
        external_id=ident,
        vlo_name=data.vlo_name.strip(),
        vlo_staff=staff,
        received_on=data.received_on,
        kind=data.kind,
        no_contact_victim=data.no_contact_victim,
        no_contact_named=[n.strip() for n in data.no_contact_named if n.strip()],
        zone=data.zone.strip(),
        text=data.text.strip(),
        recorded_at=clock.now(),
        recorded_by=actor.code,
    )
    audit_record(
        actor=actor,
        action="VICTIM_REPRESENTATION_RECORD",
        crn=person.crn,
        details={"representation": ident, "kind": data.kind, **cover},
    )
    return rep


def outcome_problems(
    rep: VictimRepresentation, status: str, decided_on: date, reason: str, today: date
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if status not in (RepresentationStatus.INCLUDED, RepresentationStatus.DECLINED):
        problems.append(("status", "choose whether the licence includes the request or it was declined"))
    if (problem := date_problem(decided_on, When.HAPPENED, today, words=True)) is not None:
        problems.append(("decided_on", problem))
    elif decided_on < rep.received_on:
        problems.append(
            (
                "decided_on",
                f"the outcome cannot be before the representation was received ({rep.received_on:%-d %B %Y})",
            )
        )
    if status == RepresentationStatus.DECLINED and not reason.strip():
        problems.append(("decline_reason", "give the reason the request was declined: the VLO tells the victim"))
    if status == RepresentationStatus.INCLUDED and reason.strip():
        problems.append(("decline_reason", "a reason is given only when the request is declined"))
    if len(reason) > TEXT_MAX:
        problems.append(("decline_reason", f"at most {TEXT_MAX} characters"))
    return problems


@transaction.atomic
def representation_outcome(
    *, actor: Actor, rep: VictimRepresentation, status: str, decided_on: date, reason: str = ""
) -> VictimRepresentation:
    """The outcome: included in the licence, or declined with the reason (by the actor)."""
    person = rep.person
    cover = case_write_check(actor=actor, person=person)
    rep = VictimRepresentation.objects.select_for_update().get(pk=rep.pk)
    problems = outcome_problems(rep, status, decided_on, reason, clock.today())
    if problems:
        raise ValidationError(problems)
    before = rep.status
    rep.status = status
    rep.decided_on = decided_on
    rep.decided_by = actor.code
    rep.decline_reason = reason.strip()
    rep.save(update_fields=["status", "decided_on", "decided_by", "decline_reason"])
    audit_record(
        actor=actor,
        action="VICTIM_REPRESENTATION_OUTCOME",
        crn=person.crn,
        details={"representation": rep.external_id, "from": before, "to": status, **cover},
    )
    return rep
