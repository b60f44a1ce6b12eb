"""Backfill the versions of data stored before they existed, by the rules a bundle import applies to the rows it
creates (docs/case-json.md, `--as-of`): each row is known from its creation, which for migrated data is the date it
carries (an event from its sentence date, a requirement's start from that date, a bundle flag from its start), never
later than when Keepsafe stored it. Flags keep their history; each entry gets the flag as it stands now."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone

CHUNK = 2000
IMPORTED = "Imported from a case bundle"


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _known(day, stored):
    return min(_start_of(day), stored) if day is not None else stored


def backfill(apps, schema_editor):
    db = schema_editor.connection.alias
    Person = apps.get_model("people", "Person")
    Event = apps.get_model("people", "Event")
    Registration = apps.get_model("people", "Registration")
    RegistrationHistory = apps.get_model("people", "RegistrationHistory")
    PersonVersion = apps.get_model("people", "PersonVersion")
    EventVersion = apps.get_model("people", "EventVersion")
    RequirementVersion = apps.get_model("people", "RequirementVersion")
    LicenceConditionVersion = apps.get_model("people", "LicenceConditionVersion")
    event_fields = [f.attname for f in EventVersion._meta.concrete_fields if f.attname not in _STAMP | {"event_id"}]

    ids = list(Person.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        people = {p.pk: p for p in Person.objects.using(db).filter(pk__in=chunk)}
        events = list(
            Event.objects.using(db).filter(person_id__in=chunk).prefetch_related("requirements", "licence_conditions")
        )
        earliest: dict[int, object] = {}
        for e in events:
            earliest[e.person_id] = min(earliest.get(e.person_id, e.sentence_date), e.sentence_date)
        person_rows, event_rows, requirement_rows, condition_rows = [], [], [], []
        for p in people.values():
            stored = p.created_at
            person_rows.append(
                PersonVersion(
                    person_id=p.pk,
                    known_from=_known(earliest.get(p.pk), stored),
                    recorded_at=stored,
                    by="migration",
                    pdu_id=p.pdu_id,
                    practitioner_id=p.practitioner_id,
                    prison_offender_manager_id=p.prison_offender_manager_id,
                    has_criminal_history=p.has_criminal_history,
                    first_sanction_date=p.first_sanction_date,
                    sanctions=p.sanctions,
                    violent_sanctions=p.violent_sanctions,
                )
            )
        for e in events:
            stored = people[e.person_id].created_at
            sentenced = _known(e.sentence_date, stored)
            values = {name: getattr(e, name) for name in event_fields}
            event_rows.append(
                EventVersion(
                    event_id=e.pk,
                    known_from=sentenced,
                    recorded_at=stored,
                    by="migration",
                    **{**values, "terminated": None},
                )
            )
            if e.terminated is not None:
                event_rows.append(
                    EventVersion(
                        event_id=e.pk,
                        known_from=max(sentenced, _known(e.terminated, stored)),
                        recorded_at=stored,
                        by="migration",
                        **values,
                    )
                )
            for r in e.requirements.all():
                requirement_rows.append(
                    RequirementVersion(
                        requirement_id=r.pk,
                        known_from=sentenced,
                        recorded_at=stored,
                        by="migration",
                        type=r.type,
                        detail=r.detail,
                        start=None,
                    )
                )
                if r.start is not None:
                    requirement_rows.append(
                        RequirementVersion(
                            requirement_id=r.pk,
                            known_from=max(sentenced, _known(r.start, stored)),
                            recorded_at=stored,
                            by="migration",
                            type=r.type,
                            detail=r.detail,
                            start=r.start,
                        )
                    )
            for c in e.licence_conditions.all():
                condition_rows.append(
                    LicenceConditionVersion(
                        licence_condition_id=c.pk,
                        known_from=sentenced,
                        recorded_at=stored,
                        by="migration",
                        type=c.type,
                        text=c.text,
                    )
                )
        PersonVersion.objects.using(db).bulk_create(person_rows, batch_size=1000)
        EventVersion.objects.using(db).bulk_create(event_rows, batch_size=1000)
        RequirementVersion.objects.using(db).bulk_create(requirement_rows, batch_size=1000)
        LicenceConditionVersion.objects.using(db).bulk_create(condition_rows, batch_size=1000)

        registrations = list(Registration.objects.using(db).filter(person_id__in=chunk).prefetch_related("history"))
        changed, added = [], []
        for reg in registrations:
            snapshot = {
                "start": reg.start,
                "end": reg.end,
                "level": reg.level,
                "category": reg.category,
                "flag_notes": reg.notes,
                "last_reviewed": reg.last_reviewed,
                "next_review": reg.next_review,
            }
            entries = list(reg.history.all())
            if not entries:
                stored = people[reg.person_id].created_at
                added.append(
                    RegistrationHistory(
                        registration_id=reg.pk,
                        action="ADDED",
                        at=stored,
                        by="migration",
                        notes="Recorded before flags had history",
                        known_from=_known(reg.start, stored),
                        **snapshot,
                    )
                )
            for h in entries:
                imported_flag = h.action == "ADDED" and h.notes == IMPORTED
                h.known_from = _known(reg.start, h.at) if imported_flag else h.at
                for name, value in snapshot.items():
                    setattr(h, name, value)
                changed.append(h)
        RegistrationHistory.objects.using(db).bulk_update(changed, ["known_from", *SNAPSHOT], batch_size=500)
        RegistrationHistory.objects.using(db).bulk_create(added, batch_size=1000)


_STAMP = {"id", "known_from", "recorded_at", "by"}
SNAPSHOT = ("start", "end", "level", "category", "flag_notes", "last_reviewed", "next_review")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_asof_versions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
