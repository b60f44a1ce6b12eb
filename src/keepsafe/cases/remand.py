"""Recording a period on remand from the case (issue 16 §6; helper "share2"; docs/sharing.md "Remand").

Until this, remand periods came only from bundles. The period is checked by people/rules/remand.remand_problems
(dates, overlap with the case's other periods), written with its audit event in one transaction with the case row
locked (so two overlapping periods cannot both pass), known to the action rules from when it is recorded, and the
case is marked for the sweep, whose remand handover rule (actions/rules/remand.py) then applies.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction

from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person, RemandPeriod
from keepsafe.people.rules.remand import Period, remand_problems
from keepsafe.people.selectors import case_write_check


@transaction.atomic
def remand_record(
    *,
    actor: Actor,
    person: Person,
    start: date | None,
    end: date | None,
    court: str,
    prison: str,
    matter: str,
) -> RemandPeriod:
    """Record one period on remand; every problem is raised by field and nothing is written."""
    cover = case_write_check(actor=actor, person=person)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    others = [Period(r.external_id, r.start, r.end, r.matter) for r in RemandPeriod.objects.filter(person=person)]
    problems = remand_problems(
        start=start, end=end, court=court, prison=prison, matter=matter, today=clock.today(), others=others
    )
    if problems:
        raise ValidationError(problems)
    assert start is not None
    now = clock.now()
    period = RemandPeriod.objects.create(
        person=person,
        external_id=f"REMAND-{uuid.uuid4()}",
        start=start,
        end=end,
        court=court.strip(),
        prison=prison.strip(),
        matter=matter.strip(),
        known_from=now,
    )
    mark_dirty([person.pk])  # the sweep re-reads the case: the remand handover rule now sees this period
    audit_record(
        actor=actor,
        action="REMAND_RECORD",
        crn=person.crn,
        details={
            "remand": period.external_id,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            **cover,
        },
    )
    return period
