"""The case bundle format, version 1 (shared/specs/bundle-format.md), as strict pydantic models.

Unknown keys are errors; types are strict (a number is not a string); dates are YYYY-MM-DD and instants carry an
offset. Extensions beyond the spec (documented in docs/bundle-format.md): registrations[].end_reason and
registrations[].last_reviewed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from keepsafe.core.fields import HappenedAt, HappenedOn, PlannedAt, PlannedOn
from keepsafe.core.ids import is_crn
from keepsafe.people.rules.vocabulary import (
    ContactOutcome,
    ContactType,
    Gender,
    LicenceConditionType,
    OffenceCategory,
    RecordSource,
    RequirementType,
    SentenceType,
)
from keepsafe.records.schemas import CarriesOrder, RecordKind
from keepsafe.sharing.rules.disclosures import DisclosureKind, ReferralService  # issue 16 (helper "share")
from keepsafe.sharing.rules.meetings import InviteeRole, MeetingKind, Response  # issue 16 (helper "share")
from keepsafe.workforce.rules.grades import Grade

FORMAT = "keepsafe-bundle/1"


def _crn(value: str) -> str:
    if not is_crn(value):
        raise ValueError(f"{value!r} is not a CRN (one capital letter and six digits, e.g. X123456)")
    return value


Text = Annotated[str, Field(min_length=1, max_length=300)]
Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
LocalId = Annotated[str, Field(min_length=1, max_length=64)]
Crn = Annotated[str, AfterValidator(_crn)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RegionIn(Strict):
    code: Code
    name: Text


class PduIn(Strict):
    code: Code
    name: Text
    region: Code


class TeamIn(Strict):
    code: Annotated[str, Field(min_length=1, max_length=30)]
    name: Text
    pdu: Code


# --- issue 15 (helper "work"): a member of staff's reductions and training (docs/bundle-format.md) -----------------


class ReductionIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=40)]  # oversight/reference/workload.json reductions
    hours: Annotated[Decimal, Field(gt=0, le=60, max_digits=5, decimal_places=2)] | None = None
    start: PlannedOn
    end: PlannedOn | None = None


class TrainingIn(Strict):
    course: Annotated[str, Field(min_length=1, max_length=40)]  # oversight/reference/training.json courses
    completed_on: HappenedOn


class StaffIn(Strict):
    code: Code
    forename: Text
    surname: Text
    grade: Grade
    team: str | None = None
    line_manager: str | None = None
    qualified_on: HappenedOn | None = None
    contracted_hours: Annotated[Decimal, Field(ge=0, le=60, max_digits=4, decimal_places=1)] = Decimal("37.0")
    email: Annotated[str, Field(max_length=254)] = ""
    # Issue 15: absent — the stored ones are left as they are; present — they replace the stored ones.
    reductions: list[ReductionIn] | None = None
    training: list[TrainingIn] | None = None


class CriminalHistoryIn(Strict):
    first_sanction_date: HappenedOn | None = None
    sanctions: Annotated[int, Field(ge=0, le=500)]
    violent_sanctions: Annotated[int, Field(ge=0, le=500)]


class SentenceIn(Strict):
    type: SentenceType
    date: HappenedOn
    length_months: Annotated[int, Field(ge=0, le=1200)] | None = None


class DatesIn(Strict):
    release: PlannedOn | None = None
    conditional_release: PlannedOn | None = None
    parole_eligibility: PlannedOn | None = None
    licence_expiry: PlannedOn | None = None
    sentence_expiry: PlannedOn | None = None
    pss_end: PlannedOn | None = None


class RequirementIn(Strict):
    id: LocalId
    type: RequirementType
    detail: Annotated[str, Field(max_length=300)] = ""
    start: PlannedOn | None = None


class LicenceConditionIn(Strict):
    id: LocalId
    type: LicenceConditionType
    text: Annotated[str, Field(min_length=1, max_length=5000)]


class EventIn(Strict):
    id: LocalId
    offence: Text
    offence_category: OffenceCategory
    offence_date: HappenedOn | None = None
    sentence: SentenceIn
    dates: DatesIn = DatesIn()
    requirements: list[RequirementIn] = []
    licence_conditions: list[LicenceConditionIn] = []
    terminated: HappenedOn | None = None


class RegistrationIn(Strict):
    id: LocalId
    type: Code
    start: HappenedOn
    end: PlannedOn | None = None
    level: str | None = None
    category: str | None = None
    notes: Annotated[str, Field(max_length=5000)] = ""
    end_reason: Annotated[str, Field(max_length=300)] = ""
    last_reviewed: HappenedOn | None = None


class ContactIn(Strict):
    id: LocalId
    type: ContactType
    at: PlannedAt
    staff: str | None = None
    outcome: ContactOutcome | None = None
    notes: Annotated[str, Field(max_length=20000)] = ""


class RecordIn(Strict, CarriesOrder):
    id: Annotated[str, Field(min_length=1, max_length=100)]
    source: RecordSource
    kind: RecordKind
    occurred_at: HappenedAt
    received_at: HappenedAt
    author: Annotated[str, Field(min_length=1, max_length=200)]
    text: Annotated[str, Field(min_length=1, max_length=100_000)]


Level = Literal["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
PREDICTOR_NAMES = ("ogrs3_1y", "ogrs3_2y", "ogrs4g", "ogrs4v", "ogp2", "ovp2", "rsr", "osp_dc", "osp_iic")
NEED_AREAS = (
    "accommodation",
    "education_training_employment",
    "relationships",
    "lifestyle",
    "drugs",
    "alcohol",
    "thinking_behaviour",
    "attitudes",
    "finance",
    "emotional_wellbeing",
)


class CommunityRoshIn(Strict):
    children: Level
    public: Level
    known_adult: Level
    staff: Level


class CustodyRoshIn(CommunityRoshIn):
    prisoners: Level


class RoshIn(Strict):
    community: CommunityRoshIn
    custody: CustodyRoshIn | None = None


class PredictorScoreIn(Strict):
    score: Annotated[float, Field(ge=0, le=100)]
    band: Level
    static: bool


class OasysAnswersIn(Strict):
    """The OASys answers tier v2 counts for women (hmpps-tier AdditionalFactorForWomen.kt, SectionAnswer.kt)."""

    parenting_responsibilities: Literal["YES", "NO"] | None = None  # 6.9
    impulsivity: Literal[0, 1, 2] | None = None  # 11.2: 0 no problems, 1 some, 2 significant
    temper_control: Literal[0, 1, 2] | None = None  # 11.4


class AssessmentIn(Strict):
    """Issue 4 §7: an assessment completed elsewhere (OASys), with the scores it computed."""

    id: LocalId
    completed_at: HappenedAt
    assessor: Annotated[str, Field(min_length=1, max_length=150)]
    status: Literal["COMPLETE"]
    rosh: RoshIn
    predictors: dict[Literal[PREDICTOR_NAMES], PredictorScoreIn] = {}  # type: ignore[valid-type]
    needs: dict[Literal[NEED_AREAS], Literal["NO_NEED", "STANDARD", "SEVERE"]] = {}  # type: ignore[valid-type]
    risk_to_self: dict[
        Literal["suicide", "self_harm", "custody_coping", "hostel_coping", "vulnerability"],  # type: ignore[valid-type]
        Literal["YES", "NO", "DONT_KNOW"],
    ] = {}
    oasys_answers: OasysAnswersIn = OasysAnswersIn()


class RecallIn(Strict):
    """Issue 6 §5: a recall from consideration to execution (docs/bundle-format.md)."""

    id: LocalId
    event: LocalId
    considered_at: HappenedAt
    decided_at: HappenedAt | None = None
    decision: Literal["RECALL", "NO_RECALL"] | None = None
    type: Literal["STANDARD", "FIXED_TERM"] | None = None
    emergency: bool | None = None
    decided_by: str | None = None
    revoked_at: HappenedAt | None = None
    executed_at: HappenedAt | None = None
    cancelled_at: HappenedAt | None = None
    cancelled_by: str | None = None


class CheckIn(Strict):
    """Issue 6 §5: a domestic abuse or safeguarding check, its answer (a record) and what was done with it."""

    id: LocalId
    kind: Literal["DOMESTIC_ABUSE", "SAFEGUARDING"]
    requested_at: HappenedAt
    response_record: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    acted_on_at: HappenedAt | None = None
    acted_on_by: str | None = None
    # Issue 12 §8: which decision it was, and what was written (null for history that does not say).
    acted_on_outcome: Literal["FLAG", "PLAN_UPDATED", "REFERRAL", "REASON"] | None = None
    acted_on_notes: Annotated[str, Field(max_length=5000)] | None = None


class EnforcementDecisionIn(Strict):
    """Issue 12 §10: the decision recorded after a failure to attend (docs/bundle-format.md), so migrated history
    closes the enforcement action it satisfies."""

    contact: LocalId  # the contact (a failure to attend) it decides on
    decision: Literal["WARNING", "BREACH", "RECALL_CONSIDERATION"]
    at: HappenedAt
    by: Annotated[str, Field(min_length=1, max_length=150)]  # staff code
    notes: Annotated[str, Field(min_length=1, max_length=5000)]


class ReleasePlanItemIn(Strict):
    """Issue 12 §10: one release plan item confirmed before a release (docs/bundle-format.md)."""

    event: LocalId
    item: Literal["ACCOMMODATION", "LICENCE_CONDITIONS", "VICTIM_CONTACT", "MULTI_AGENCY"]
    at: HappenedAt
    by: Annotated[str, Field(min_length=1, max_length=150)]  # staff code
    notes: Annotated[str, Field(min_length=1, max_length=5000)]


# --- issue 14: appointments (docs/bundle-format.md) ------------------------------------------------------------------
class AppointmentRescheduleIn(Strict):
    from_at: PlannedAt
    to_at: PlannedAt
    reason: Annotated[str, Field(min_length=1, max_length=5000)]
    at: HappenedAt
    by: Annotated[str, Field(min_length=1, max_length=150)]


class AppointmentIn(Strict):
    """A booked appointment; once it has an outcome, `contact` names the contact it became (same type and time)."""

    id: LocalId
    type: ContactType
    at: PlannedAt
    location: Annotated[str, Field(max_length=200)] = ""
    staff: str | None = None
    booked_at: HappenedAt
    booked_by: Annotated[str, Field(min_length=1, max_length=150)]
    outcome: ContactOutcome | None = None
    outcome_at: HappenedAt | None = None
    outcome_by: Annotated[str, Field(max_length=150)] | None = None
    absence_reason: Annotated[str, Field(max_length=5000)] = ""
    absence_evidence: Annotated[str, Field(max_length=5000)] = ""
    contact: LocalId | None = None
    reschedules: list[AppointmentRescheduleIn] = []


# --- end issue 14 ----------------------------------------------------------------------------------------------------


# --- issue 16 §2, §6 (helper "transfer"): transfers and remand periods (docs/bundle-format.md) ----------------------
Uuid = Annotated[str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]


class TransferIn(Strict):
    """A case transfer between PDUs: requested, then accepted (naming the receiving practitioner) or rejected."""

    id: LocalId
    from_pdu: Code
    to_pdu: Code
    from_practitioner: str | None = None
    reason: Annotated[str, Field(min_length=1, max_length=5000)]
    requested_at: HappenedAt
    requested_by: Annotated[str, Field(min_length=1, max_length=150)]
    status: Literal["PENDING", "ACCEPTED", "REJECTED"]
    decided_at: HappenedAt | None = None
    decided_by: Annotated[str, Field(max_length=150)] = ""
    decision_reason: Annotated[str, Field(max_length=5000)] = ""
    to_practitioner: str | None = None
    summary_document: Uuid | None = None  # the stored transfer summary's id (cases.CaseDocument)


class RemandPeriodIn(Strict):
    """A period on remand for a matter; `end` null while it lasts."""

    id: LocalId
    start: HappenedOn
    end: PlannedOn | None = None  # the day it ended (or is expected to end at the next hearing)
    court: Text
    prison: Annotated[str, Field(max_length=200)] = ""
    matter: Text


# --- end issue 16 (helper "transfer") ------------------------------------------------------------------------------
# --- issue 16 §1: before sentence (helper "court"; docs/bundle-format.md "court_stage") -----------------------------
Long = Annotated[str, Field(max_length=5000)]
By = Annotated[str, Field(min_length=1, max_length=150)]
Address = Annotated[str, Field(max_length=300)]


class CourtDateIn(Strict):
    """One listing: the first hearing date, then each adjournment's new date, known from when it was recorded."""

    date: PlannedOn
    reason: Long = ""
    known_from: HappenedAt
    by: By


class AddressAssessmentIn(Strict):
    id: LocalId
    address: Annotated[str, Field(min_length=1, max_length=300)]
    children_ages: list[Annotated[int, Field(ge=0, le=17)]] = []
    victim_lives_there: bool
    partner_lives_there: bool
    relied_on: list[LocalId] = []  # ids of this person's `checks`
    conclusion: Literal["SUITABLE", "SUITABLE_WITH_CONDITIONS", "UNSUITABLE"]
    conditions: Long = ""
    reasons: Annotated[str, Field(min_length=1, max_length=5000)]
    assessed_at: HappenedAt
    assessed_by: By


class PreSentenceReportIn(Strict):
    requested_at: HappenedAt
    requested_by: By
    domestic_abuse_check: LocalId | None = None  # a DOMESTIC_ABUSE check in this person's `checks`
    safeguarding_check: LocalId | None = None  # a SAFEGUARDING check in this person's `checks`
    considering: list[RequirementType] = []
    proposed_address: Address = ""
    proposal: SentenceType | None = None
    proposal_requirements: list[RequirementType] = []
    proposal_address: Address = ""
    proposal_relied_on: list[LocalId] = []
    proposal_warnings: list[Annotated[str, Field(min_length=1, max_length=300)]] = []
    proposal_notes: Long = ""
    proposed_at: HappenedAt | None = None
    proposed_by: Annotated[str, Field(max_length=150)] = ""


class CourtStageIn(Strict):
    id: LocalId
    court: Annotated[str, Field(min_length=1, max_length=200)]
    charges: Annotated[list[Text], Field(min_length=1)]
    opened_at: HappenedAt
    opened_by: By
    dates: Annotated[list[CourtDateIn], Field(min_length=1)]
    psr: PreSentenceReportIn | None = None
    address_assessments: list[AddressAssessmentIn] = []
    closed_at: HappenedAt | None = None
    closed_by: Annotated[str, Field(max_length=150)] = ""
    event: LocalId | None = None  # the sentence passed: an id in this person's `events`


# --- end issue 16 §1 -------------------------------------------------------------------------------------------------
# --- issue 16 §3-4 (helper "share"): disclosures and MAPPA/IOM meetings ---------------------------------------------


class DisclosureIn(Strict):
    """A logged disclosure: the document as sent, its SHA-256, to whom, under which agreement, why, by whom, when."""

    id: Annotated[str, Field(min_length=1, max_length=100)]
    kind: DisclosureKind
    service: ReferralService | None = None
    partner: Code
    recipient: Text
    agreement: Annotated[str, Field(min_length=1, max_length=40)]
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    title: Text
    document: dict[str, object]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    made_at: HappenedAt
    made_by: Annotated[str, Field(min_length=1, max_length=150)]


class InvitationIn(Strict):
    name: Text
    role: InviteeRole
    response: Response
    staff: Annotated[str, Field(max_length=20)] = ""


class AgreedActionClosedIn(Strict):
    """How the MEETING_ACTION an agreed action became was closed (issue 16 §4 review, helper "share2"): done with what
    was done, or cancelled with why. Importing keeps it closed; absent, importing opens it."""

    status: Literal["DONE", "CANCELLED"]
    at: HappenedAt
    by: Annotated[str, Field(min_length=1, max_length=150)]
    notes: Annotated[str, Field(min_length=1, max_length=4000)]


class AgreedActionIn(Strict):
    text: Text
    owner: Annotated[str, Field(min_length=1, max_length=20)]
    due: PlannedOn
    closed: AgreedActionClosedIn | None = None  # helper "share2"


class MeetingIn(Strict):
    """A MAPPA or IOM meeting; `minutes` names the record (in `records`, or stored) holding its minutes."""

    id: Annotated[str, Field(min_length=1, max_length=100)]
    kind: MeetingKind
    held_on: HappenedOn
    chair: Text
    attendees: list[Text] = []
    invitations: list[InvitationIn] = []
    agreed_actions: list[AgreedActionIn] = []
    minutes: Annotated[str, Field(min_length=1, max_length=100)]
    recorded_at: HappenedAt
    recorded_by: Annotated[str, Field(min_length=1, max_length=150)]


# --- end issue 16 (helper "share") -----------------------------------------------------------------------------------


# --- issue 15 (helper "allochist"): a person's allocation history (docs/bundle-format.md "allocations") -----------
class AllocationPeriodIn(Strict):
    """Who held the case from `from` to `to` (exclusive; null: holds it now) and why (hmpps.md §2d reasons)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    staff: Code
    from_: HappenedOn = Field(alias="from")
    to: HappenedOn | None = None
    reason: Annotated[str, Field(min_length=1, max_length=40)]


# --- end issue 15 ("allochist") --------------------------------------------------------------------------------------
# --- issue 16 §7 (helper "victim"): victim liaison officers' representations (docs/bundle-format.md) -----------------


class VictimRepresentationIn(Strict):
    """A VLO's representation on the licence conditions; cross-field rules in bundles/victims.py."""

    id: LocalId
    vlo_name: Annotated[str, Field(min_length=1, max_length=200)]
    vlo_staff: Annotated[str, Field(max_length=20)] | None = None  # the VLO's staff code, when they are staff
    received_on: HappenedOn
    kind: Literal["NO_CONTACT", "EXCLUSION_ZONE", "OTHER"]
    no_contact_victim: bool = False
    no_contact_named: list[Annotated[str, Field(min_length=1, max_length=200)]] = []
    zone: Annotated[str, Field(max_length=2000)] = ""
    text: Annotated[str, Field(max_length=2000)] = ""
    status: Literal["REQUESTED", "INCLUDED", "DECLINED"] = "REQUESTED"
    decided_on: HappenedOn | None = None
    decided_by: Annotated[str, Field(max_length=150)] = ""
    decline_reason: Annotated[str, Field(max_length=2000)] = ""
    recorded_at: HappenedAt
    recorded_by: Annotated[str, Field(min_length=1, max_length=150)]


# --- end issue 16 §7 -------------------------------------------------------------------------------------------------
# --- issue 16 §5 (helper "ap"): approved premises referrals (docs/bundle-format.md "ap_referrals") -------------------
class ApReferralIn(Strict):
    """A referral to approved premises, the premises' decision (a place from a date, or refused with a reason) and
    arrival or non-arrival. `disclosure` names the logged disclosure (this person's `disclosures`) it was sent with."""

    id: LocalId
    premises: Annotated[str, Field(min_length=1, max_length=200)]
    partner: Code | None = None
    referred_at: HappenedAt
    referred_by: Annotated[str, Field(min_length=1, max_length=150)]
    requested_arrival: PlannedOn
    emergency: bool = False
    reason: Annotated[str, Field(max_length=2000)] = ""
    disclosure: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    decision: Literal["ACCEPTED", "REFUSED"] | None = None
    decided_at: HappenedAt | None = None
    decided_by: Annotated[str, Field(max_length=150)] = ""
    place_date: PlannedOn | None = None
    decision_reason: Annotated[str, Field(max_length=2000)] = ""
    arrival: Literal["ARRIVED", "DID_NOT_ARRIVE"] | None = None
    arrival_on: HappenedOn | None = None
    arrival_recorded_at: HappenedAt | None = None
    arrival_by: Annotated[str, Field(max_length=150)] = ""


# --- end issue 16 §5 (helper "ap") -----------------------------------------------------------------------------------


class PersonIn(Strict):
    crn: Crn
    forename: Text
    surname: Text
    date_of_birth: HappenedOn
    gender: Gender
    ethnicity: Annotated[str, Field(max_length=100)] | None = None
    disability: bool | None = None
    pnc: Annotated[str, Field(max_length=20)] | None = None
    pdu: Code
    practitioner: str | None = None
    prison_offender_manager: str | None = None
    restricted_to: list[str] = []
    excluded: list[str] = []
    criminal_history: CriminalHistoryIn | None = None
    events: list[EventIn] = []
    registrations: list[RegistrationIn] = []
    contacts: list[ContactIn] = []
    records: list[RecordIn] = []
    assessments: list[AssessmentIn] = []
    recalls: list[RecallIn] = []
    checks: list[CheckIn] = []
    enforcement_decisions: list[EnforcementDecisionIn] = []
    release_plan: list[ReleasePlanItemIn] = []
    appointments: list[AppointmentIn] = []  # issue 14
    transfers: list[TransferIn] = []  # issue 16 §2 (helper "transfer")
    remand_periods: list[RemandPeriodIn] = []  # issue 16 §6 (helper "transfer")
    court_stage: list[CourtStageIn] = []  # issue 16 §1: court stages before sentence
    disclosures: list[DisclosureIn] = []  # issue 16 §3 (helper "share")
    meetings: list[MeetingIn] = []  # issue 16 §4 (helper "share")
    # issue 15 (helper "allochist"): absent — the stored history stays; present — it becomes the stored history.
    allocations: list[AllocationPeriodIn] | None = None
    victim_representations: list[VictimRepresentationIn] = []  # issue 16 §7 (helper "victim")
    ap_referrals: list[ApReferralIn] = []  # issue 16 §5 (helper "ap")


class BundleIn(Strict):
    format: Literal["keepsafe-bundle/1"]
    regions: list[RegionIn] = []
    pdus: list[PduIn] = []
    teams: list[TeamIn] = []
    staff: list[StaffIn] = []
    people: list[PersonIn] = []
