"""Issue 15 §4 (helper "overs"): the prioritisation framework — setting a PDU's RAG status (a service: one
transaction with its audit event) and reading it (each PDU's status on a day, which open actions it deprioritises)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count

from keepsafe.actions.models import Action
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.oversight.models import PduStatus
from keepsafe.oversight.rules.prioritisation import (
    RAG_LABELS,
    Framework,
    Rag,
    deprioritisable_types,
    deprioritised_tag,
    framework_from,
    is_deprioritised,
)
from keepsafe.people.models import Person
from keepsafe.workforce.models import Pdu, Staff

FRAMEWORK = Path(__file__).parent / "reference" / "prioritisation.json"
REASON_MAX = 2000


@functools.cache
def framework() -> Framework:
    return framework_from(json.loads(FRAMEWORK.read_text(encoding="utf-8")))


BACKDATE_DAYS = 366  # a status may be recorded as applying from up to a year ago


@transaction.atomic
def pdu_status_set(*, actor: Actor, pdu: Pdu, status: str, reason: str, applies_from: date) -> PduStatus:
    """Set a PDU's RAG status. Only the PDU's own head of PDU may (the framework makes it their decision)."""
    staff = Staff.objects.select_related("team").filter(pk=actor.staff_id).first() if actor.staff_id else None
    if not actor.is_system and (
        actor.role is not Role.HEAD_OF_PDU or staff is None or staff.team is None or staff.team.pdu_id != pdu.pk
    ):
        raise PermissionDeniedError(f"Only the head of {pdu.name} sets its prioritisation status")
    problems = []
    if status not in Rag.__members__:
        problems.append(("status", "Choose green, amber or red"))
    text = reason.strip()
    if not text:
        problems.append(("reason", "Enter the reason for the status"))
    elif len(text) > REASON_MAX:
        problems.append(("reason", f"The reason must be {REASON_MAX} characters or fewer (it has {len(text)})"))
    if applies_from > clock.today():
        problems.append(("applies_from", "The date a status applies from cannot be in the future"))
    elif applies_from < (earliest := clock.today() - timedelta(days=BACKDATE_DAYS)):
        # a status back-dated further would rewrite what assurance already reported as deprioritised (issue 15 §4)
        problems.append(
            ("applies_from", f"The date a status applies from must be on or after {earliest.day} {earliest:%B %Y}")
        )
    if problems:
        raise ValidationError(problems)
    row = PduStatus.objects.create(
        pdu=pdu, status=status, reason=text, applies_from=applies_from, set_by=actor.code, recorded_at=clock.now()
    )
    audit_record(
        actor=actor,
        action="PDU_STATUS_SET",
        details={"pdu": pdu.code, "status": status, "applies_from": applies_from.isoformat()},
    )
    return row


def statuses_on(pdu_ids: Iterable[int], day: date) -> dict[int, PduStatus]:
    """Each PDU's status on `day` (the newest setting applying by then); PDUs never set are absent. One query."""
    out: dict[int, PduStatus] = {}
    for row in PduStatus.objects.filter(pdu_id__in=list(pdu_ids), applies_from__lte=day).order_by(
        "pdu_id", "-applies_from", "-recorded_at", "-id"
    ):
        out.setdefault(row.pdu_id, row)
    return out


def deprioritised_tags(actions: Iterable[Action], day: date) -> dict[int, str]:
    """Action id → the tag's words ("Deprioritised (PDU status amber)") for those of these actions (with `person`
    loaded) their case's PDU status deprioritises on `day`; never a safety-critical type. One query."""
    return deprioritised_tags_of([(a.pk, a.type, a.person.pdu_id) for a in actions], day)


def deprioritised_tags_of(actions: Iterable[tuple[int, str, int]], day: date) -> dict[int, str]:
    """`deprioritised_tags` for (action id, type, the case's PDU id) triples, as a list page reads them. One query."""
    rows = list(actions)
    statuses = statuses_on({pdu_id for _, _, pdu_id in rows}, day)
    rules = framework()
    out: dict[int, str] = {}
    for pk, kind, pdu_id in rows:
        current = statuses.get(pdu_id)
        if current is not None and is_deprioritised(kind, Rag(current.status), rules):
            out[pk] = deprioritised_tag(Rag(current.status))
    return out


def deprioritised_counts(person_ids: Iterable[int], day: date) -> dict[int, tuple[int, str]]:
    """Person id → (how many of their open actions their PDU's status deprioritises on `day`, the tag's words), for
    the caseload tables (helper "alloc2"); people with none are absent. Two queries whatever the number of people."""
    ids = list(person_ids)
    pdus = dict(Person.objects.filter(pk__in=ids).values_list("pk", "pdu_id"))
    statuses = statuses_on(set(pdus.values()), day)
    rules = framework()
    wanted = {pdu: {t.value for t in deprioritisable_types(Rag(row.status), rules)} for pdu, row in statuses.items()}
    types = set().union(*wanted.values()) if wanted else set()
    if not types:
        return {}
    out: dict[int, tuple[int, str]] = {}
    for pid, kind in Action.objects.filter(
        person_id__in=ids, status=Action.Status.OPEN, type__in=sorted(types)
    ).values_list("person_id", "type"):
        pdu = pdus[pid]
        if kind in wanted.get(pdu, set()):  # deprioritisable_types already applied is_deprioritised
            n, _ = out.get(pid, (0, ""))
            out[pid] = (n + 1, deprioritised_tag(Rag(statuses[pdu].status)))
    return out


def region_prioritisation(pdus: Iterable[Pdu], day: date) -> list[dict[str, Any]]:
    """For the region page: each PDU's status, reason, date and who set it, the action types it deprioritises and how
    many open actions of those types its cases have (counts only: no case is named). Two queries."""
    pdus = list(pdus)
    statuses = statuses_on([p.pk for p in pdus], day)
    rules = framework()
    wanted: dict[int, list[str]] = {}
    for p in pdus:
        current = statuses.get(p.pk)
        wanted[p.pk] = [t.value for t in deprioritisable_types(Rag(current.status), rules)] if current else []
    types = sorted({t for ts in wanted.values() for t in ts})
    counts: dict[tuple[int, str], int] = {}
    if types:
        for row in (
            Action.objects.filter(status=Action.Status.OPEN, type__in=types, person__pdu__in=pdus)
            .values("person__pdu_id", "type")
            .annotate(n=Count("id"))
        ):
            counts[(row["person__pdu_id"], row["type"])] = row["n"]
    out = []
    for p in pdus:
        current = statuses.get(p.pk)
        out.append(
            {
                "code": p.code,
                "name": p.name,
                "status": current.status if current else None,
                "label": RAG_LABELS[Rag(current.status)] if current else "Not set",
                "reason": current.reason if current else "",
                "applies_from": current.applies_from if current else None,
                "set_by": current.set_by if current else "",
                "deprioritised": [{"type": t, "open": counts.get((p.pk, t), 0)} for t in wanted[p.pk]],
            }
        )
    return out
