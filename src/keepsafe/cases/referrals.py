"""Referrals to partners and the disclosure log (issue 16 §3; docs/sharing.md "Referrals and disclosures").

A referral carries the case's CURRENT risk summary — RoSH in each setting, who is at risk, the active flags, the
protective licence conditions and the indicators found — composed here, from the same case data the case page reads,
at the instant of sending, and stored with the disclosure exactly as sent (sharing.Disclosure, immutable). It is
refused, with the reason shown, while a risk review is open or an assessment is in progress, or when the newest RoSH
assessment is older than the newest significant information (sharing/rules/disclosures.referral_refusal; seeds/001
concern 5); and a partner without a current information sharing agreement covering the case receives nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from keepsafe.actions.models import Action, Recall
from keepsafe.actions.rules.calendar import LONDON, due_words
from keepsafe.actions.rules.reviews import SIGNIFICANT_KINDS
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.services import recall as recall_services
from keepsafe.audit.models import Outcome
from keepsafe.audit.services import audit_record
from keepsafe.cases.documents import ROSH_WORDS, Composition, Field, Section, _day, _person_fields, compose_part_a
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import NotFoundError, ValidationError
from keepsafe.core.words import counted
from keepsafe.people.models import LicenceCondition, Person
from keepsafe.people.rules.vocabulary import PROTECTIVE_LICENCE_CONDITIONS
from keepsafe.people.selectors import case_write_check
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.records.selectors import indicator_picture
from keepsafe.risk.models import Assessment
from keepsafe.risk.rules.rosh import Level
from keepsafe.risk.selectors import active_registrations, current_level, latest_complete, ratings_of
from keepsafe.sharing.models import Disclosure, PartnerOrganisation, SharingAgreement
from keepsafe.sharing.rules.agreements import agreement_problem
from keepsafe.sharing.rules.disclosures import (
    DISCLOSURE_LABELS,
    SERVICE_LABELS,
    DisclosureKind,
    ReferralService,
    RiskPictureState,
    SignificantInformation,
    document_digest,
    reason_problem,
    recipient_problem,
    referral_refusal,
)
from keepsafe.sharing.services import terms_of

GROUP_WORDS = {
    "children": "Children",
    "public": "The public",
    "known_adult": "A known adult",
    "staff": "Staff",
    "prisoners": "Prisoners",
}


def local_due(due: datetime) -> str:
    """A due instant in words on London's clock (calendar.due_words): a midnight is the end of the day before."""
    here = due.astimezone(LONDON)
    return due_words(due, f"{here:%-d %B %Y} at {here:%H:%M}")


# --- the risk picture's state: what the refusal rule needs -------------------------------------------------------


def newest_significant(person: Person) -> SignificantInformation | None:
    """The newest significant information on the case: a record whose kind calls for a risk review (a charge, an
    arrest, a change of address: actions/rules/reviews.SIGNIFICANT_KINDS) or any serious-harm indicator finding."""
    candidates: list[SignificantInformation] = []
    record = (
        Record.objects.filter(person=person, kind__in=list(SIGNIFICANT_KINDS))
        .order_by("-received_at", "-id")
        .values_list("external_id", "kind", "received_at")
        .first()
    )
    if record is not None:
        candidates.append(SignificantInformation(record[0], SIGNIFICANT_KINDS[record[1]], record[2]))
    finding = (
        IndicatorFinding.objects.filter(person=person)
        .select_related("record", "contact")
        .order_by("-received_at", "-id")
        .first()
    )
    if finding is not None:
        if finding.record is not None:
            ref = finding.record.external_id
        else:
            ref = f"contact {finding.contact.external_id}" if finding.contact is not None else "a contact"
        what = f"indicator: {INDICATORS.get(finding.indicator, finding.indicator).split(':')[0].lower()}"
        candidates.append(SignificantInformation(ref, what, finding.received_at))
    return max(candidates, key=lambda c: c.received_at, default=None)


def risk_picture_state(person: Person) -> RiskPictureState:
    review = (
        Action.objects.filter(person=person, type=ActionType.RISK_REVIEW.value, status=Action.Status.OPEN)
        .order_by("due", "id")
        .first()
    )
    draft = Assessment.objects.filter(person=person, status=Assessment.Status.DRAFT).order_by("id").first()
    latest = latest_complete(person)
    return RiskPictureState(
        open_review=f"{review.title}, due {local_due(review.due)}" if review is not None else None,
        assessment_in_progress=draft.external_id if draft is not None else None,
        assessed_at=latest.completed_at if latest is not None else None,
        newest_significant=newest_significant(person),
    )


def referral_refused(person: Person) -> str | None:
    """Why a referral with the risk summary may not be made now, or None (shown before the form is filled)."""
    return referral_refusal(risk_picture_state(person))


# --- the composition: the current risk summary ---------------------------------------------------------------------


def risk_sections(person: Person, at: datetime) -> tuple[Section, ...]:
    """The current risk summary as a partner receives it: RoSH per setting, who is at risk, flags, protective
    licence conditions and the indicators found, each from the case's own records."""
    latest = latest_complete(person)
    ratings = ratings_of(latest) if latest is not None else None
    level = current_level(person)
    rosh: list[Field] = [
        Field("Overall risk of serious harm", ROSH_WORDS.get(level.value if level else "", "Not assessed"))
    ]
    if latest is not None:
        rosh.append(
            Field(
                "Assessed",
                f"{_day(latest.completed_at.date() if latest.completed_at else None)} ({latest.external_id})",
            )
        )
    at_risk: list[Field] = []
    if ratings is not None:
        for setting, by_group in (("In the community", ratings.community.by_group()),) + (
            (("In custody", ratings.custody.by_group()),) if ratings.custody is not None else ()
        ):
            rosh.append(
                Field(
                    setting, "; ".join(f"{GROUP_WORDS[g.value]}: {ROSH_WORDS[lv.value]}" for g, lv in by_group.items())
                )
            )
        at_risk = [
            Field(GROUP_WORDS[g.value], ROSH_WORDS[lv.value])
            for g, lv in ratings.highest_by_group().items()
            if lv.rank >= Level.MEDIUM.rank
        ]
    conditions = [
        Field("Licence condition", c.text)
        for c in LicenceCondition.objects.filter(
            event__person=person,
            event__terminated__isnull=True,
            type__in=[t.value for t in PROTECTIVE_LICENCE_CONDITIONS],
        ).order_by("external_id")
    ]
    flags = tuple(
        Field(r.type.name, f"since {_day(r.start)}" + (f": {r.notes}" if r.notes else ""))
        for r in sorted(active_registrations(person), key=lambda r: (r.start, r.external_id))
    )
    indicators = tuple(
        Field(
            s.label,
            f"{counted(s.count, 'record or contact', 'records or contacts')}; "
            f"last {_day(max(e.occurred_at for e in s.evidence).date())}",
        )
        for s in indicator_picture(person, at)
    )
    return (
        Section("Risk of serious harm", tuple(rosh)),
        Section(
            "Who is at risk",
            tuple(at_risk + conditions) or (Field("Who is at risk", "No group rated medium or above"),),
        ),
        Section("Active flags", flags or (Field("Flags", "None"),)),
        Section("Serious-harm indicators found", indicators or (Field("Indicators", "None found"),)),
    )


def compose_referral(
    person: Person,
    *,
    service: ReferralService,
    partner: PartnerOrganisation,
    agreement: SharingAgreement,
    reason: str,
    actor: Actor,
    at: datetime,
) -> Composition:
    kind = _kind_of(service)
    return Composition(
        kind.value,
        f"{SERVICE_LABELS[service]} referral: {person.forename} {person.surname}",
        person.crn,
        person.name,
        at.isoformat(),
        (
            Section("The person", _person_fields(person)),
            Section(
                "The referral",
                (
                    Field("Referral to", f"{partner.name} ({partner.code})"),
                    Field("Service", SERVICE_LABELS[service]),
                    Field("Information sharing agreement", agreement.reference),
                    Field("Why this is shared", reason.strip()),
                    Field("Made by", actor.code),
                ),
            ),
            *risk_sections(person, at),
        ),
    )


def _kind_of(service: ReferralService) -> DisclosureKind:
    return (
        DisclosureKind.POLICE_SUMMARY
        if service in (ReferralService.MAPPA, ReferralService.IOM)
        else DisclosureKind.REFERRAL
    )


# --- making a referral --------------------------------------------------------------------------------------------


def current_agreement(person: Person, partner: PartnerOrganisation) -> SharingAgreement | None:
    """The partner's information sharing agreement in force today that covers the case's PDU, if any."""
    today = clock.today()
    for agreement in SharingAgreement.objects.filter(partner=partner, pdus=person.pdu_id).order_by(
        "-valid_until", "id"
    ):
        if agreement_problem(terms_of(agreement), today) is None:
            return agreement
    return None


def referral_partners(person: Person) -> list[PartnerOrganisation]:
    """Partners with an agreement in force today covering the case (the choices the referral form offers)."""
    return [p for p in PartnerOrganisation.objects.order_by("name", "code") if current_agreement(person, p) is not None]


def referral_make(*, actor: Actor, person: Person, partner_code: str, service: str, reason: str) -> Disclosure:
    """Send a referral with the current risk summary and log the disclosure; refusals are audited and raised."""
    try:
        return _referral_make(actor=actor, person=person, partner_code=partner_code, service=service, reason=reason)
    except ValidationError as exc:
        audit_record(
            actor=actor,
            action="REFERRAL_REFUSED",
            crn=person.crn,
            outcome=Outcome.OK,
            details={"partner": partner_code[:20], "service": service[:30], "fields": [f for f, _ in exc.problems]},
        )
        raise


@transaction.atomic
def _referral_make(*, actor: Actor, person: Person, partner_code: str, service: str, reason: str) -> Disclosure:
    cover = case_write_check(actor=actor, person=person)
    problems: list[tuple[str, str]] = []
    chosen = ReferralService(service) if service in ReferralService.__members__ else None
    if chosen is None:
        problems.append(("service", f"choose what the referral is for: one of {', '.join(ReferralService)}"))
    if (problem := reason_problem(reason)) is not None:
        problems.append(("reason", problem))
    partner = PartnerOrganisation.objects.filter(code=partner_code).first()
    agreement = current_agreement(person, partner) if partner is not None else None
    if partner is None:
        problems.append(("partner", f"there is no partner organisation {partner_code[:20]!r}"))
    elif agreement is None:
        problems.append(
            ("partner", f"{partner.code} has no information sharing agreement in force today covering {person.crn}")
        )
    elif chosen is not None and (problem := recipient_problem(chosen, partner.kind, partner.code)) is not None:
        problems.append(("partner", problem))
    if problems:
        raise ValidationError(problems)
    assert chosen is not None
    assert partner is not None
    assert agreement is not None
    # Lock the case so an assessment or a finding cannot slip in between the check and the sending.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if (refusal := referral_refused(person)) is not None:
        raise ValidationError([("risk", f"This referral cannot be sent: {refusal}")])
    now = clock.now()
    composition = compose_referral(
        person, service=chosen, partner=partner, agreement=agreement, reason=reason, actor=actor, at=now
    )
    return _disclosure_log(
        actor=actor,
        person=person,
        kind=_kind_of(chosen),
        service=chosen.value,
        partner_code=partner.code,
        recipient=partner.name,
        agreement_reference=agreement.reference,
        reason=reason.strip(),
        composition=composition,
        made_at=now,
        audit={"service": chosen.value, **cover},
    )


def _disclosure_log(
    *,
    actor: Actor,
    person: Person,
    kind: DisclosureKind,
    service: str,
    partner_code: str,
    recipient: str,
    agreement_reference: str,
    reason: str,
    composition: Composition,
    made_at: datetime,
    audit: dict[str, object],
) -> Disclosure:
    """Log one disclosure (the document exactly as sent and its SHA-256) with its audit event; the caller's
    transaction holds the sending too. `audit`: what the event records besides the disclosure itself."""
    document = composition.as_json()
    public_id = uuid.uuid4()
    disclosure = Disclosure.objects.create(
        public_id=public_id,
        person=person,
        external_id=f"DISC-{public_id}",
        kind=kind.value,
        service=service,
        partner_code=partner_code,
        recipient=recipient,
        agreement_reference=agreement_reference,
        reason=reason,
        title=composition.title,
        document=document,
        sha256=document_digest(document),
        made_at=made_at,
        made_by=actor.code,
    )
    audit_record(
        actor=actor,
        action="DISCLOSURE",
        crn=person.crn,
        details={
            "disclosure": disclosure.external_id,
            "kind": disclosure.kind,
            "partner": partner_code,
            "agreement": agreement_reference,
            "sha256": disclosure.sha256,
            **audit,
        },
    )
    return disclosure


# --- reading the log ----------------------------------------------------------------------------------------------


def disclosures_for_case(person: Person) -> QuerySet[Disclosure]:
    """The case's disclosures, newest first (the caller has fetched, and so audited, the case)."""
    return Disclosure.objects.filter(person=person).defer("document")


def disclosure_get(*, actor: Actor, person: Person, public_id: str) -> Disclosure:
    """One logged disclosure of a visible case, with the document as sent; reading it is audited."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise NotFoundError(public_id[:40]) from None
    disclosure = Disclosure.objects.filter(person=person, public_id=key).first()
    if disclosure is None:
        raise NotFoundError(public_id[:40])
    audit_record(
        actor=actor,
        action="DISCLOSURE_READ",
        crn=person.crn,
        details={"disclosure": disclosure.external_id, "sha256": disclosure.sha256},
    )
    return disclosure


def disclosure_label(kind: str) -> str:
    return DISCLOSURE_LABELS[DisclosureKind(kind)] if kind in DisclosureKind.__members__ else kind


# --- issue 16 §3 review (helper "share2"): Part A sent to PPCS is a disclosure ---------------------------------------

# PPCS (the Public Protection Casework Section) is part of HMPPS, not a partner organisation: there is no information
# sharing agreement with it. Part A goes to it so that it may revoke the licence on the Secretary of State's behalf,
# under the recall power itself; that is the basis the log records in the agreement's place (docs/sharing.md).
PPCS_CODE = "PPCS"
PPCS_NAME = "Public Protection Casework Section (HMPPS)"
PPCS_BASIS = "CJA 2003 s.254 (recall to prison)"


@transaction.atomic
def part_a_send(*, actor: Actor, recall: Recall) -> Disclosure:
    """Send the countersigned Part A to PPCS and log it as a disclosure (the document exactly as sent, its SHA-256,
    to PPCS under the recall power, why, by whom, when) in the same transaction as the sending and their audit
    events. The recall workflow's own checks (who may send, countersigned, not already sent) come first."""
    recall = recall_services.recall_send(actor=actor, recall=recall)
    person = Person.objects.select_related("pdu", "practitioner").get(pk=recall.person_id)
    composition = compose_part_a(person, recall)
    assert recall.sent_to_ppcs_at is not None  # recall_send set it
    return _disclosure_log(
        actor=actor,
        person=person,
        kind=DisclosureKind.PART_A,
        service="",
        partner_code=PPCS_CODE,
        recipient=PPCS_NAME,
        agreement_reference=PPCS_BASIS,
        reason=(
            f"Recall {recall.external_id}: Part A, countersigned by the SPO and the ACO, for the revocation of the "
            "licence on the Secretary of State's behalf"
        ),
        composition=composition,
        made_at=recall.sent_to_ppcs_at,
        audit={"recall": recall.external_id},
    )


# --- end issue 16 §3 review (helper "share2") ------------------------------------------------------------------------
