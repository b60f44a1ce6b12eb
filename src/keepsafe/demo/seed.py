"""Seed the demo region through the same validated import path as any bundle, plus one login per role."""

from __future__ import annotations

import json
from datetime import date

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.bundles.importer import ImportSummary, bundle_write
from keepsafe.bundles.validate import validate
from keepsafe.core.actor import Actor
from keepsafe.demo import generator
from keepsafe.workforce.models import Staff, User

DEMO_PASSWORD = "keepsafe-demo-only-password"  # noqa: S105 — demo accounts only, printed for the person running it


def seed(*, actor: Actor, today: date, people: int, chunk: int = 1000, progress=None) -> ImportSummary:
    org = generator.organisation(today)
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
    audit_record(actor=actor, action="DEMO_SEED", details={"people": people, "summary": summary.as_dict()})
    return summary


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
