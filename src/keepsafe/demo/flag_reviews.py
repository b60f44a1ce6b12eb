"""Reviews of the flags the demo's civil orders raise (issue 15, helper "demo15").

A civil order arrives as a record and the import raises its flag (records.services.civil_orders_apply), so the bundle
cannot carry its review as it does for the other flags (generator.flag_review_history): every such flag read as never
reviewed since the order was made, overdue for months (17 of the 122 overdue REGISTRATION_REVIEW actions in a
600-person demo). After the import, each is reviewed as the bundle's flags are (generator.last_review: the reviews
before the replayed weeks on time, the latest by the PDU's and team's chance), recorded in the flag's history known
from the day of the review, as the import records a bundle's review, before the replayed sweeps read it."""

from __future__ import annotations

import random
from datetime import date

from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.demo.generator import _on_time_chance, last_review
from keepsafe.demo.written import audited
from keepsafe.people.models import Registration, RegistrationHistory
from keepsafe.people.rules.registration_review import next_review_date
from keepsafe.people.services import flag_history, known_from_date

ORDER_FLAG_PREFIX = "ORDER-"  # records.rules.civil_orders.registration_id
NOTES = "Order checked with the police and the protected person's details confirmed; flag kept."


def order_flag_reviews(*, actor: Actor, today: date) -> int:
    """Records the reviews of the allocated cases' civil order flags; returns how many. A flag already reviewed is
    left alone, so a re-run adds none."""
    flags = Registration.objects.filter(
        external_id__startswith=ORDER_FLAG_PREFIX, last_reviewed__isnull=True, person__practitioner__isnull=False
    ).select_related("type", "person__practitioner__team", "person__pdu")
    now = clock.now()
    history: list[RegistrationHistory] = []
    reviewed: list[Registration] = []
    for flag in flags.order_by("pk"):
        holder = flag.person.practitioner
        if holder is None:  # the filter asks for a practitioner
            continue
        team = holder.team.code if holder.team is not None else None
        chance = _on_time_chance(flag.person.pdu.code if flag.person.pdu is not None else "", team)
        rng = random.Random(f"2026:{flag.person.crn}:{flag.external_id}:flag-review")
        day = last_review(rng, flag.type.review_months, flag.start, flag.end, today, chance)
        if day is None:
            continue
        flag.last_reviewed = day
        flag.next_review = next_review_date(
            review_months=flag.type.review_months, start=flag.start, last_reviewed=day, end=flag.end
        )
        flag.save(update_fields=["last_reviewed", "next_review"])
        history.append(
            flag_history(
                flag,
                RegistrationHistory.Action.REVIEWED,
                notes=NOTES,
                at=now,
                by=holder.code,
                known_from=known_from_date(day, now),
            )
        )
        reviewed.append(flag)
    RegistrationHistory.objects.bulk_create(history, batch_size=1000)
    return audited(
        actor, "REGISTRATION_REVIEW", ((f.person_id, f.person.crn, {"registration": f.external_id}) for f in reviewed)
    )
