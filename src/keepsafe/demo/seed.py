"""Seed the demo region through the same validated import path as any bundle, plus one login per role."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from django.db import transaction

from keepsafe.assurance.models import AuditSample
from keepsafe.assurance.rules.inspection import KEYS
from keepsafe.assurance.rules.scope import Scope
from keepsafe.assurance.selectors import scope_people
from keepsafe.assurance.services import audit_complete, sample_draw
from keepsafe.audit.services import audit_record
from keepsafe.bundles.importer import ImportSummary, bundle_write
from keepsafe.bundles.validate import validate
from keepsafe.core.actor import Actor, Role
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
    demo_audits()  # assurance (issue 17)
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


# assurance (issue 17): a sample of cases audited in each PDU, so the audit roll-up shows realistic ratings. Shares of
# cases judged sufficient per key question, near what seeds/002 found in Greater Manchester (keeping people safe
# weaker than desistance work).
DEMO_AUDIT_SIZE, DEMO_AUDITS_DONE, DEMO_AUDIT_SEED = 20, 16, 2026
DEMO_SUFFICIENT = {"DESISTANCE": 0.72, "KEEPING_SAFE": 0.58}


def demo_audits() -> int:
    """Draw one seeded sample per demo PDU as the demo auditor and complete most of its audits; idempotent."""
    if AuditSample.objects.exists():
        return 0
    staff = Staff.objects.get(code=generator.ROLE_LOGINS["auditor"][0])
    auditor = Actor(username="auditor", role=Role.AUDITOR, staff_id=staff.pk, staff_code=staff.code)
    rng = random.Random(DEMO_AUDIT_SEED)
    done = 0
    for pdu in Pdu.objects.order_by("code"):
        # a small demo (or a national region's thinly spread PDU) may hold fewer allocated cases than the demo's sample
        allocated = scope_people(auditor, Scope.PDU, pdu.code).filter(practitioner__isnull=False).count()
        if allocated == 0:
            continue
        size = min(DEMO_AUDIT_SIZE, allocated)
        sample = sample_draw(actor=auditor, scope=Scope.PDU, code=pdu.code, size=size, seed=DEMO_AUDIT_SEED)
        for audit in sample.audits.order_by("id")[:DEMO_AUDITS_DONE]:
            answers = {
                f"{d.value}.{q.value}": {
                    "sufficient": rng.random() < DEMO_SUFFICIENT[q.value],
                    "evidence": "Demo audit: read the assessment, plan and contact log",
                }
                for d, q in KEYS
            }
            audit_complete(actor=auditor, audit_id=audit.pk, answers=answers)
            done += 1
    return done


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
