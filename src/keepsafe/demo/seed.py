"""Seed the demo region through the same validated import path as any bundle, plus one login per role."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.bundles.importer import ImportSummary, bundle_write
from keepsafe.bundles.validate import validate
from keepsafe.core.actor import Actor
from keepsafe.demo import generator
from keepsafe.sharing.models import SharingAgreement
from keepsafe.sharing.services import agreement_create
from keepsafe.workforce.models import Pdu, Staff, User

DEMO_PASSWORD = "keepsafe-demo-only-password"  # noqa: S105 — demo accounts only, printed for the person running it


def seed(
    *, actor: Actor, today: date, people: int, chunk: int = 1000, progress=None, national: bool = False
) -> ImportSummary:
    """`national`: the organisation grows with the people, one PDU per 2,500 (issue 20 §5: about 5,500 staff at
    250,000 people); otherwise the demo region's three PDUs whatever the number of people."""
    org = generator.organisation(today, generator.national_pdus(people) if national else len(generator.PDUS))
    summary = ImportSummary()
    with transaction.atomic():
        bundle_write(actor=actor, bundle=validate(json.dumps(org)), summary=summary)
    done = 0
    for batch in generator.people(people, today, org, chunk=chunk):
        raw = json.dumps({"format": "keepsafe-bundle/1", "people": batch})
        with transaction.atomic():
            bundle_write(actor=actor, bundle=validate(raw), summary=summary)
        done += len(batch)
        if progress:
            progress(done)
    demo_logins()
    demo_partners(actor=actor, today=today)
    details = {"people": people, "national": national, "summary": summary.as_dict()}
    audit_record(actor=actor, action="DEMO_SEED", details=details)
    return summary


DEMO_AGREEMENTS = (
    (
        "DEMOPOLICE",  # partner codes are letters and digits (their namespace: docs/api.md)
        "Greater Manchester Police (demo)",
        "POLICE",
        "ISA-DEMO-POLICE",
        ["CALL_OUT", "INTELLIGENCE_LOG", "CIVIL_ORDER"],
        ["DOMESTIC_ABUSE"],
    ),
    (
        "DEMOCS",
        "Manchester children's services (demo)",
        "CHILDRENS_SERVICES",
        "ISA-DEMO-CS",
        ["SAFEGUARDING_RESPONSE"],
        ["SAFEGUARDING"],
    ),
)


def demo_partners(*, actor: Actor, today: date) -> list[str]:
    """A police force and a children's services department with agreements covering every demo PDU."""
    made = []
    pdus = list(Pdu.objects.values_list("code", flat=True))
    for code, name, kind, reference, sends, answers in DEMO_AGREEMENTS:
        if SharingAgreement.objects.filter(reference=reference).exists():
            continue
        agreement_create(
            actor=actor,
            partner_code=code,
            partner_name=name,
            partner_kind=kind,
            reference=reference,
            purpose="Demonstration: information for risk assessment and pre-release checks",
            send_kinds=sends,
            answers=answers,
            pdu_codes=pdus,
            valid_from=today - timedelta(days=365),
            valid_until=today + timedelta(days=730),
        )
        made.append(reference)
    return made


def demo_logins() -> list[tuple[str, str]]:
    logins = []
    for username, (staff_code, role) in generator.ROLE_LOGINS.items():
        staff = Staff.objects.get(code=staff_code)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"staff": staff, "role": role, "first_name": staff.forename, "last_name": staff.surname},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.staff, user.role = staff, role
            user.save()
        logins.append((username, role))
    return logins
