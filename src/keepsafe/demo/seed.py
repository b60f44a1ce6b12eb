"""Seed the demo region through the same validated import path as any bundle, plus one login per role."""

from __future__ import annotations

import json
import random
import zlib
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from keepsafe.actions.models import Notification
from keepsafe.actions.rules.calendar import start_of_day
from keepsafe.actions.services.reconcile import reconcile_many  # helper "assure2": replayed sweeps
from keepsafe.assurance.models import AuditSample
from keepsafe.assurance.rules.inspection import KEYS
from keepsafe.assurance.rules.scope import Scope
from keepsafe.assurance.selectors import scope_people
from keepsafe.assurance.services import audit_complete, sample_draw
from keepsafe.audit.services import audit_record
from keepsafe.bundles.importer import ImportSummary, bundle_write
from keepsafe.bundles.validate import validate
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import ValidationError
from keepsafe.demo import generator
from keepsafe.demo.contact_history import contact_history
from keepsafe.demo.flag_reviews import order_flag_reviews
from keepsafe.demo.oversight import oversight_history
from keepsafe.people.models import CaseAccess, Person, Registration  # Registration: helper "assure2"
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.risk.models import Assessment
from keepsafe.risk.selectors import current_level
from keepsafe.risk.services import (
    assessment_complete,
    assessment_countersign,
    assessment_save_analysis,
    assessment_save_judgement,
    assessment_start,
)
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
    demo_overrides(today)  # assurance (issue 17, helper "demo17")
    if summary.changed_anything:  # a re-run changes nothing
        # Issue 15: SPO oversight notes behind the touch points, before the replay so its sweeps see them.
        oversight_history(actor=actor, today=today)
        # Issue 15 (helper "demo15"): the contacts behind the contact levels and home visits, likewise.
        contact_history(actor=actor, today=today)
        order_flag_reviews(actor=actor, today=today)  # the civil orders' flags, reviewed like the bundle's
        if not national:
            # Issue 17 (helper "assure2"): flag review history, 28 weekly replayed sweeps. Not for a national region
            # (issue 20 §5): at 20,000 people each replayed week took about seven minutes, so hours in all, for a
            # region built to benchmark; its flag review dashboard starts from the seeding day.
            demo_flag_review_replay(today)
    details = {"people": people, "national": national, "summary": summary.as_dict()}
    audit_record(actor=actor, action="DEMO_SEED", details=details)
    return summary


DEMO_AGREEMENTS: tuple[tuple[str, str, str, str, list[str], list[str]], ...] = (
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
    (  # issue 16 §5: the approved premises referrals go to it (the AP referral form offers partners of kind OTHER)
        "DEMOAP",
        "North West approved premises (demo)",
        "OTHER",
        "ISA-DEMO-AP",
        [],
        [],
    ),
)


def demo_partners(*, actor: Actor, today: date) -> list[str]:
    """A police force, a children's services department and the approved premises, with agreements covering every
    demo PDU."""
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


# --- assurance overrides (issue 17, helper "demo17"): RoSH assessments completed in Keepsafe through the risk
# services, where the assessor answered a thresholding prompt with a reason instead of raising the level, and a few
# countersigners who disagreed, so the overrides page has rows. Cases with an active risk-to-staff flag (the prompt
# suggests MEDIUM for staff), the first DEMO_OVERRIDES of them by CRN so the choice is reproducible.
DEMO_OVERRIDES = 30
DEMO_COUNTERSIGN_DISAGREE = 4
DEMO_ANALYSIS = {
    "nature": "Violence and threats when drinking, towards people he knows and, once, towards staff",
    "imminence": "Not imminent while he keeps to his appointments and his housing holds",
    "increases": "Alcohol, loss of housing, contact with former associates",
    "reduces": "Stable housing, engagement with the alcohol service, regular reporting",
}
DEMO_LEVEL_REASON = (
    "The offence involved threats and violence towards a known adult when drunk; he has not been violent since "
    "release and engages with the alcohol service, so serious harm is possible but not likely soon."
)
DEMO_PROMPT_REASONS = {  # the assessor's reason for keeping the level below the prompt's suggestion
    "RISK_TO_STAFF": "The threat to staff was made years ago during an argument about benefits at the office; he has "
    "reported calmly every week since, with no incident and nothing in police or prison intelligence.",
    "CHILD_PROTECTION": "The child protection plan concerns neglect by the mother's new partner; he has no contact "
    "with the children, children's services confirm it, and nothing suggests harm from him to children.",
}
DEMO_PROMPT_REASON = (
    "Weighed against the records and interviews: nothing in police, prison or children's services information shows "
    "harm from him to this group now, and the level follows what he has done, not the flag or the score."
)


LOWER = {"MEDIUM": "LOW", "HIGH": "MEDIUM", "VERY_HIGH": "HIGH"}  # one RoSH level down
OVERRIDES_OVER_DAYS = 330  # the overridden assessments are spread over about the past eleven months


def _office_instant(day: date, key: int) -> datetime:
    """A working day on or before `day` (Monday to Friday), between 09:30 and 16:00 London time, chosen by `key`."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    minutes = 9 * 60 + 30 + key % 390
    return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))


def override_instants(crn: str, flag_start: date, today: date) -> tuple[datetime, datetime]:
    """When the demo's overridden assessment of a case was completed, and when an SPO countersigned it: a working day
    in the past eleven months, at least a week after the flag that prompts it began (so the prompt was there to
    answer) and before `today`; the countersignature one to five working days later, still before `today`.
    Deterministic by CRN (the same demo on the same day gives the same dates). A review found them all dated on the
    day the demo was seeded, so every override fell in the current month."""
    key = zlib.crc32(crn.encode())
    latest = today - timedelta(days=8)
    earliest = min(max(flag_start + timedelta(days=7), today - timedelta(days=OVERRIDES_OVER_DAYS)), latest)
    completed = _office_instant(earliest + timedelta(days=key % ((latest - earliest).days + 1)), key >> 9)
    signed_day = completed.date() + timedelta(days=1 + (key >> 3) % 5)
    signed = max(_office_instant(signed_day, key >> 17), completed + timedelta(hours=1))
    return completed, min(signed, timezone.make_aware(datetime.combine(today, time.min)) - timedelta(minutes=1))


def demo_overrides(today: date) -> int:
    """Complete the demo's overridden assessments, each through the risk services on the day it was done
    (`override_instants`, the services' clock running from then); idempotent (none is made once Keepsafe holds an
    assessment of its own). Returns how many were completed."""
    if Assessment.objects.filter(source=Assessment.Source.KEEPSAFE).exists():
        return 0
    people = (
        Person.objects.filter(
            practitioner__isnull=False, registrations__type__code="AV2S", registrations__end__isnull=True
        )
        .exclude(Exists(CaseAccess.objects.filter(person=OuterRef("pk"))))  # limited-access cases kept as they are
        .select_related("practitioner")
        .distinct()
        .order_by("crn")[:DEMO_OVERRIDES]
    )
    starts = dict(
        Registration.objects.filter(person__in=[p.pk for p in people], type__code="AV2S", end__isnull=True)
        .order_by("start")
        .values_list("person_id", "start")
    )
    done = disagreed = 0
    for person in people:
        holder = person.practitioner
        if holder is None:  # not allocated since the query (the filter asks for a practitioner)
            continue
        completed_at, signed_at = override_instants(person.crn, starts[person.pk], today)
        done, disagreed = _overridden(person, holder, completed_at, signed_at, done, disagreed)
    return done


def _overridden(
    person: Person, holder: Staff, completed_at: datetime, signed_at: datetime, done: int, disagreed: int
) -> tuple[int, int]:
    """One overridden assessment, completed at `completed_at` (and countersigned in disagreement at `signed_at`, while
    fewer than DEMO_COUNTERSIGN_DISAGREE have been); returns the counts so far."""
    with clock.running_from(completed_at):
        actor = Actor(
            username=f"demo-{holder.code}", role=Role.PRACTITIONER, staff_id=holder.pk, staff_code=holder.code
        )
        level = current_level(person)
        kept = level.value if level is not None else "MEDIUM"
        # While SPOs are still to disagree, the assessor proposes one level lower than the level in force (a lowering
        # waits for the SPO's countersignature); the SPO disagrees and keeps the higher level: the overrides page's
        # direction "higher" (second try-out: every disagreement read "as suggested" when the level was kept).
        if disagreed < DEMO_COUNTERSIGN_DISAGREE and holder.line_manager is not None and kept in LOWER:
            kept = LOWER[kept]
        community = {"children": "LOW", "public": kept, "known_adult": kept, "staff": "LOW"}
        assessment = assessment_start(actor=actor, person=person)
        answers = {
            code: {"relevant": False, "reason": "Nothing in the records or interviews shows it"} for code in INDICATORS
        }
        assessment_save_analysis(actor=actor, assessment=assessment, analysis=DEMO_ANALYSIS, indicator_answers=answers)
        responses: dict[str, str] = {}
        for _ in range(2):  # first to learn the prompts, then to answer each with a reason
            try:
                assessment_save_judgement(
                    actor=actor,
                    assessment=assessment,
                    community=community,
                    custody=None,
                    rationales=dict.fromkeys(community, DEMO_LEVEL_REASON),
                    prompt_responses=responses,
                    risk_to_self={
                        "suicide": "NO",
                        "self_harm": "NO",
                        "custody_coping": "DONT_KNOW",
                        "hostel_coping": "NO",
                        "vulnerability": "NO",
                    },
                    other_risks={},
                )
                break
            except ValidationError:
                assessment.refresh_from_db()
                responses = {
                    p["code"]: DEMO_PROMPT_REASONS.get(p["code"], DEMO_PROMPT_REASON) for p in assessment.prompts
                }
        assessment = assessment_complete(actor=actor, assessment=assessment)
    done += 1
    spo = holder.line_manager
    lowered = assessment.previous_level in LOWER and assessment.overall == LOWER[assessment.previous_level]
    if assessment.countersign_required and spo is not None and disagreed < DEMO_COUNTERSIGN_DISAGREE and lowered:
        manager = Actor(username=f"demo-{spo.code}", role=Role.SPO, staff_id=spo.pk, staff_code=spo.code)
        with clock.running_from(signed_at):
            assessment_countersign(
                actor=manager,
                assessment=assessment,
                agree=False,
                comments="The level is not supported: the analysis shows threats and violence towards known adults "
                "continuing into this year, so keep the level already in force until we discuss it at supervision.",
            )
        disagreed += 1
    return done, disagreed


# --- issue 17 (helper "assure2"): replayed sweeps over the flags' review history ------------------------------------


def demo_flag_review_replay(today: date, chunk: int = 200) -> int:
    """Reconciles, at each replayed instant (weekly over the past FLAG_REPLAY_DAYS), the cases with a flag reviewed in
    that time, through the sweep's own reconcile: each case's facts read as known then (the flag's history), so a
    review date gets its REGISTRATION_REVIEW action from the sweep before its review, and the review closes it on time
    or late (`keepsafe sweep` afterwards). Returns the number of replayed instants."""
    since = today - timedelta(days=generator.FLAG_REPLAY_DAYS)
    ids = Registration.objects.filter(last_reviewed__gte=since, end__isnull=True).values_list("person_id", flat=True)
    people = list(Person.objects.filter(pk__in=ids).order_by("pk"))
    instants = generator.flag_replay_instants(today)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for at in instants:
        for n in range(0, len(people), chunk):
            reconcile_many(people[n : n + chunk], at)
    # The replayed weeks' reminders and escalations went out then and were read then: history, not today's inbox (a
    # 600-person demo otherwise opened with about 100,000 unread notifications and the same number of emails to send).
    Notification.objects.filter(pk__gt=before, created_at__lt=start_of_day(today)).update(
        sent_at=F("created_at"), read_at=F("created_at")
    )
    return len(instants)


# --- end issue 17 (helper "assure2") ----------------------------------------------------------------------------------
