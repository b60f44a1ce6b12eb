"""Writes before sentence (issue 16 §1): open a court stage, adjourn, request the pre-sentence report (and its two
partner checks), record an address assessment, record the report's proposal, record the court outcome.

Each write is one transaction with its audit event, made only by someone who may work the case
(people.selectors.case_write_check), and tells the actions app the case changed so the sweep's rules re-evaluate it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.ranges import When, date_problem
from keepsafe.core.signals import announce_case_changed
from keepsafe.court.models import AddressAssessment, CourtDate, CourtStage, PreSentenceReport
from keepsafe.court.rules.suitability import (
    ADDRESS_REQUIREMENTS,
    CheckState,
    address_key,
    address_problem,
    assessment_problems,
    proposal_problems,
    proposal_warnings,
)
from keepsafe.people.models import Event, Person
from keepsafe.people.rules.vocabulary import RequirementType, SentenceType
from keepsafe.people.selectors import case_write_check
from keepsafe.people.services import event_create
from keepsafe.sharing.models import CheckRequest
from keepsafe.sharing.rules.agreements import CheckKind, PartnerKind
from keepsafe.sharing.services import agreements_answering, check_request_create

COURT_MAX = 200
LENGTH_MONTHS_MAX = 1200  # the bundle's limit (docs/bundle-format.md events)
CHARGE_MAX = 300
# Which partner answers which pre-sentence check (issue 16 §1): the police the domestic abuse check, children's
# services the child safeguarding check.
PARTNER_FOR = {CheckKind.DOMESTIC_ABUSE: PartnerKind.POLICE, CheckKind.SAFEGUARDING: PartnerKind.CHILDRENS_SERVICES}
QUESTIONS = {
    CheckKind.DOMESTIC_ABUSE: "Pre-sentence report: police domestic abuse call-outs, DVPNs/DVPOs and intelligence on "
    "this person, and on anyone at the proposed address",
    CheckKind.SAFEGUARDING: "Pre-sentence report: children's services involvement with this person and any children "
    "at the proposed address",
}


def _stage_problems(court: str, charges: list[str]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not court.strip():
        problems.append(("court", "name the court"))
    elif len(court) > COURT_MAX:
        problems.append(("court", f"a court's name is at most {COURT_MAX} characters"))
    if not [c for c in charges if c.strip()]:
        problems.append(("charges", "give at least one charge"))
    for index, charge in enumerate(charges):
        if len(charge) > CHARGE_MAX:
            problems.append((f"charges[{index}]", f"a charge is at most {CHARGE_MAX} characters"))
    return problems


def _date_problem(day: date) -> str | None:
    if (problem := date_problem(day, When.PLANNED, clock.today(), words=True)) is not None:
        return problem
    if day < clock.today():
        return f"the hearing date {day:%-d %B %Y} is in the past: record the date of the next hearing"
    return None


@transaction.atomic
def court_stage_open(
    *, actor: Actor, person: Person, court: str, court_date: date, charges: list[str], external_id: str = ""
) -> CourtStage:
    """A person awaiting sentence: the court, the charges and the first hearing date."""
    cover = case_write_check(actor=actor, person=person)
    problems = _stage_problems(court, charges)
    if (problem := _date_problem(court_date)) is not None:
        problems.append(("court_date", problem))
    if CourtStage.objects.filter(person=person, closed_at__isnull=True).exists():
        problems.append(("court", f"{person.crn} already has an open court stage: adjourn or record its outcome"))
    ident = external_id.strip() or f"CS-{uuid.uuid4().hex[:10].upper()}"
    if CourtStage.objects.filter(person=person, external_id=ident).exists():
        problems.append(("id", f"{person.crn} already has a court stage {ident!r}"))
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    stage = CourtStage.objects.create(
        person=person,
        external_id=ident,
        court=court.strip(),
        charges=[c.strip() for c in charges if c.strip()],
        opened_at=now,
        opened_by=actor.code,
    )
    CourtDate.objects.create(stage=stage, date=court_date, known_from=now, recorded_at=now, by=actor.code)
    audit_record(
        actor=actor,
        action="COURT_STAGE_OPEN",
        crn=person.crn,
        details={"stage": ident, "court_date": court_date.isoformat(), **cover},
    )
    announce_case_changed([person.pk], "court stage")
    return stage


def _open_stage(stage: CourtStage) -> None:
    if stage.closed_at is not None:
        raise ValidationError([("stage", f"court stage {stage.external_id} is closed: the outcome is recorded")])


@transaction.atomic
def court_date_adjourn(*, actor: Actor, stage: CourtStage, new_date: date, reason: str) -> CourtDate:
    """An adjournment: the new hearing date, and why. The earlier date stays in the history (as-of reads)."""
    cover = case_write_check(actor=actor, person=stage.person)
    _open_stage(stage)
    problems = []
    if (problem := _date_problem(new_date)) is not None:
        problems.append(("court_date", problem))
    if not reason.strip():
        problems.append(("reason", "say why the hearing was adjourned"))
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    listing = CourtDate.objects.create(
        stage=stage, date=new_date, reason=reason.strip(), known_from=now, recorded_at=now, by=actor.code
    )
    audit_record(
        actor=actor,
        action="COURT_ADJOURN",
        crn=stage.person.crn,
        details={"stage": stage.external_id, "court_date": new_date.isoformat(), **cover},
    )
    announce_case_changed([stage.person_id], "court adjourned")
    return listing


def _partner_for(person: Person, kind: CheckKind, chosen: str) -> str:
    """The partner to ask: the one named, else the only current agreement's partner of the right kind."""
    answering = [a.partner for a in agreements_answering(person, kind) if a.partner.kind == PARTNER_FOR[kind]]
    codes = sorted({p.code for p in answering})
    if chosen:
        return chosen
    if len(codes) == 1:
        return codes[0]
    if not codes:
        raise ValidationError(
            [
                (
                    f"{kind.value.lower()}_partner",
                    f"no current information sharing agreement lets a {PARTNER_FOR[kind].value.lower()} partner "
                    f"answer a {kind.value.lower().replace('_', ' ')} check for {person.crn}'s PDU",
                )
            ]
        )
    raise ValidationError(
        [(f"{kind.value.lower()}_partner", f"choose which partner to ask: one of {', '.join(codes)}")]
    )


@transaction.atomic
def psr_request(
    *,
    actor: Actor,
    stage: CourtStage,
    considering: list[str],
    proposed_address: str,
    police: str = "",
    childrens_services: str = "",
) -> PreSentenceReport:
    """Request a pre-sentence report: the police domestic abuse check and the children's services safeguarding check
    are asked of the partners through the partner checks (sharing), in the same transaction."""
    cover = case_write_check(actor=actor, person=stage.person)
    _open_stage(stage)
    problems: list[tuple[str, str]] = []
    if PreSentenceReport.objects.filter(stage=stage).exists():
        problems.append(("stage", f"a pre-sentence report is already requested for {stage.external_id}"))
    for index, kind in enumerate(considering):
        if kind not in RequirementType.__members__:
            problems.append((f"considering[{index}]", f"unknown requirement {kind!r}"))
    if proposed_address.strip() and (problem := address_problem(proposed_address)) is not None:
        problems.append(("proposed_address", problem))
    wanted = sorted(ADDRESS_REQUIREMENTS & set(considering))
    if wanted and not address_key(proposed_address):
        # An address assessment needs an address: without one the ADDRESS_SUITABILITY action could never be closed.
        words = " or ".join(w.lower() for w in wanted)
        problems.append(("proposed_address", f"Give the proposed address: a {words} requirement is being considered"))
    if problems:
        raise ValidationError(problems)
    partners = {}
    for kind, chosen in ((CheckKind.DOMESTIC_ABUSE, police), (CheckKind.SAFEGUARDING, childrens_services)):
        partners[kind] = _partner_for(stage.person, kind, chosen.strip())
    checks = {
        kind: check_request_create(
            actor=actor, person=stage.person, kind=kind.value, partner_code=code, question=QUESTIONS[kind]
        )
        for kind, code in partners.items()
    }
    report = PreSentenceReport.objects.create(
        stage=stage,
        requested_at=clock.now(),
        requested_by=actor.code,
        domestic_abuse_check=checks[CheckKind.DOMESTIC_ABUSE],
        safeguarding_check=checks[CheckKind.SAFEGUARDING],
        considering=list(dict.fromkeys(considering)),
        proposed_address=proposed_address.strip(),
    )
    audit_record(
        actor=actor,
        action="PSR_REQUEST",
        crn=stage.person.crn,
        details={
            "stage": stage.external_id,
            "checks": {k.value: str(c.public_id) for k, c in checks.items()},
            "considering": report.considering,
            **cover,
        },
    )
    announce_case_changed([stage.person_id], "pre-sentence report")
    return report


def _check_ids(person: Person) -> dict[str, CheckRequest]:
    return {(c.external_id or str(c.public_id)): c for c in CheckRequest.objects.filter(person=person)}


@transaction.atomic
def address_assessment_record(
    *,
    actor: Actor,
    stage: CourtStage,
    address: str,
    children_ages: list[int],
    victim_lives_there: bool,
    partner_lives_there: bool,
    relied_on: list[str],
    conclusion: str,
    conditions: str,
    reasons: str,
) -> AddressAssessment:
    """The proposed address's suitability: who lives there, the checks' answers relied on, the conclusion."""
    cover = case_write_check(actor=actor, person=stage.person)
    _open_stage(stage)
    known = _check_ids(stage.person)
    problems = assessment_problems(
        address=address,
        children_ages=children_ages,
        conclusion=conclusion,
        conditions=conditions,
        reasons=reasons,
        relied_on=relied_on,
        known_checks=frozenset(known),
        answered_checks=frozenset(ident for ident, check in known.items() if check.response_record_id is not None),
    )
    if problems:
        raise ValidationError(problems)
    assessment = AddressAssessment.objects.create(
        stage=stage,
        external_id=f"AA-{uuid.uuid4().hex[:10].upper()}",
        address=address.strip(),
        children_ages=list(children_ages),
        victim_lives_there=victim_lives_there,
        partner_lives_there=partner_lives_there,
        relied_on=list(dict.fromkeys(relied_on)),
        conclusion=conclusion,
        conditions=conditions.strip(),
        reasons=reasons.strip(),
        assessed_at=clock.now(),
        assessed_by=actor.code,
    )
    audit_record(
        actor=actor,
        action="ADDRESS_ASSESSMENT",
        crn=stage.person.crn,
        details={"stage": stage.external_id, "assessment": assessment.external_id, "conclusion": conclusion, **cover},
    )
    announce_case_changed([stage.person_id], "address assessment")
    return assessment


def assessed_addresses(stage: CourtStage) -> dict[str, str]:
    """Address key → the conclusion of the newest assessment of that address."""
    out: dict[str, str] = {}
    for a in AddressAssessment.objects.filter(stage=stage).order_by("assessed_at", "id"):
        out[address_key(a.address)] = a.conclusion
    return out


@dataclass(frozen=True)
class Proposal:
    report: PreSentenceReport
    warnings: list[str]


@transaction.atomic
def psr_propose(
    *,
    actor: Actor,
    report: PreSentenceReport,
    sentence_type: str,
    requirements: list[str],
    address: str,
    relied_on: list[str],
    notes: str = "",
) -> Proposal:
    """Record the report's proposal. Refused (ValidationError naming the field) while a curfew or residence
    requirement's address has not been assessed, or was assessed unsuitable; warns when a check is unanswered."""
    # Read afresh: a partner may have answered a check since the caller loaded the report.
    report = PreSentenceReport.objects.select_related(
        "stage__person", "domestic_abuse_check", "safeguarding_check"
    ).get(pk=report.pk)
    stage = report.stage
    cover = case_write_check(actor=actor, person=stage.person)
    _open_stage(stage)
    problems: list[tuple[str, str]] = []
    if sentence_type not in SentenceType.__members__:
        problems.append(("sentence_type", f"choose the proposed sentence: one of {', '.join(SentenceType)}"))
    problems += proposal_problems(
        requirements=requirements,
        address=address,
        assessed=assessed_addresses(stage),
        known_requirements=frozenset(RequirementType.__members__),
    )
    known = _check_ids(stage.person)
    for ident in relied_on:
        if ident not in known:
            problems.append(("relied_on", f"{ident!r} is not a check requested on this case"))
    if problems:
        raise ValidationError(problems)
    states = [
        CheckState(
            kind,
            (check.external_id or str(check.public_id)) if check is not None else None,
            check is not None and check.response_record_id is not None,
        )
        for kind, check in (
            ("DOMESTIC_ABUSE", report.domestic_abuse_check),
            ("SAFEGUARDING", report.safeguarding_check),
        )
    ]
    warnings = proposal_warnings(states)
    report.proposal = sentence_type
    report.proposal_requirements = list(dict.fromkeys(requirements))
    report.proposal_address = address.strip()
    report.proposal_relied_on = list(dict.fromkeys(relied_on))
    report.proposal_warnings = warnings
    report.proposal_notes = notes.strip()
    report.proposed_at = clock.now()
    report.proposed_by = actor.code
    report.save()
    audit_record(
        actor=actor,
        action="PSR_PROPOSAL",
        crn=stage.person.crn,
        details={"stage": stage.external_id, "proposal": sentence_type, "warnings": len(warnings), **cover},
    )
    announce_case_changed([stage.person_id], "pre-sentence proposal")
    return Proposal(report, warnings)


@transaction.atomic
def court_outcome_record(
    *,
    actor: Actor,
    stage: CourtStage,
    sentence_type: str,
    sentence_date: date,
    offence: str,
    offence_category: str,
    length_months: int | None,
    requirements: list[tuple[str, str]],
) -> Event:
    """The sentence passed: it becomes the case's event (people.services.event_create) and closes the stage; the
    sweep then closes the stage's open pre-sentence actions as no longer needed, naming the outcome."""
    _open_stage(stage)
    if sentence_date > clock.today():
        raise ValidationError([("sentence_date", "a sentence date cannot be in the future")])
    if (problem := date_problem(sentence_date, When.HAPPENED, clock.today(), words=True)) is not None:
        raise ValidationError([("sentence_date", problem)])
    if length_months is not None and not 0 <= length_months <= LENGTH_MONTHS_MAX:
        raise ValidationError([("length_months", f"a sentence length is 0 to {LENGTH_MONTHS_MAX} months")])
    event = event_create(
        actor=actor,
        person=stage.person,
        external_id=stage.external_id,
        offence=offence,
        offence_category=offence_category,
        sentence_type=sentence_type,
        sentence_date=sentence_date,
        length_months=length_months,
        requirements=requirements,
        why=f"court outcome of {stage.external_id}",
    )
    stage.closed_at = clock.now()
    stage.closed_by = actor.code
    stage.event = event
    stage.save(update_fields=["closed_at", "closed_by", "event"])
    audit_record(
        actor=actor,
        action="COURT_OUTCOME",
        crn=stage.person.crn,
        details={"stage": stage.external_id, "event": event.external_id, "sentence_type": sentence_type},
    )
    announce_case_changed([stage.person_id], "court outcome")
    return event
