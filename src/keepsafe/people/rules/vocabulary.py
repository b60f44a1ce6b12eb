"""The coded values of the case record, in the probation service's own words."""

from __future__ import annotations

import enum


class Gender(enum.StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    OTHER = "OTHER"
    NOT_STATED = "NOT_STATED"


class SentenceType(enum.StrEnum):
    DETERMINATE_CUSTODY = "DETERMINATE_CUSTODY"
    EXTENDED = "EXTENDED"
    INDETERMINATE = "INDETERMINATE"
    COMMUNITY_ORDER = "COMMUNITY_ORDER"
    SUSPENDED_SENTENCE_ORDER = "SUSPENDED_SENTENCE_ORDER"

    @property
    def is_custodial(self) -> bool:
        return self in CUSTODIAL_SENTENCES


CUSTODIAL_SENTENCES = frozenset({SentenceType.DETERMINATE_CUSTODY, SentenceType.EXTENDED, SentenceType.INDETERMINATE})

SENTENCE_LABELS = {
    SentenceType.DETERMINATE_CUSTODY: "Determinate custody",
    SentenceType.EXTENDED: "Extended determinate sentence",
    SentenceType.INDETERMINATE: "Indeterminate sentence",
    SentenceType.COMMUNITY_ORDER: "Community order",
    SentenceType.SUSPENDED_SENTENCE_ORDER: "Suspended sentence order",
}


class OffenceCategory(enum.StrEnum):
    """The twenty OGRS3 offence groups, in the order of the coefficient table (index 0–19).

    OGRS3 — Howard, Francis, Soothill & Humphreys 2009, Table 4 (offence-type coefficients).
    """

    VIOLENCE = "violence"
    ROBBERY = "robbery"
    PUBLIC_ORDER = "public_order"
    SEXUAL_NOT_CHILD = "sexual_not_child"
    SEXUAL_CHILD = "sexual_child"
    SOLICITING_PROSTITUTION = "soliciting_prostitution"
    BURGLARY_DOMESTIC = "burglary_domestic"
    BURGLARY_OTHER = "burglary_other"
    THEFT_NON_MOTOR = "theft_non_motor"
    HANDLING_STOLEN_GOODS = "handling_stolen_goods"
    FRAUD_FORGERY = "fraud_forgery"
    ABSCONDING_BAIL = "absconding_bail"
    TAKING_DRIVING_AWAY = "taking_driving_away"
    THEFT_FROM_VEHICLES = "theft_from_vehicles"
    OTHER_MOTORING = "other_motoring"
    DRINK_DRIVING = "drink_driving"
    CRIMINAL_DAMAGE = "criminal_damage"
    DRUG_IMPORT_EXPORT_PRODUCTION = "drug_import_export_production"
    DRUG_POSSESSION_SUPPLY = "drug_possession_supply"
    OTHER = "other"


class RequirementType(enum.StrEnum):
    UNPAID_WORK = "UNPAID_WORK"
    ACCREDITED_PROGRAMME = "ACCREDITED_PROGRAMME"
    REHABILITATION_ACTIVITY = "REHABILITATION_ACTIVITY"
    DRUG_REHABILITATION = "DRUG_REHABILITATION"
    ALCOHOL_TREATMENT = "ALCOHOL_TREATMENT"
    MENTAL_HEALTH_TREATMENT = "MENTAL_HEALTH_TREATMENT"
    CURFEW = "CURFEW"
    EXCLUSION = "EXCLUSION"
    PROHIBITED_ACTIVITY = "PROHIBITED_ACTIVITY"
    RESIDENCE = "RESIDENCE"

    @property
    def is_restrictive(self) -> bool:
        return self in RESTRICTIVE_REQUIREMENTS


# Requirements that restrict rather than rehabilitate: nDelius flags their main category `restrictive`, and a
# community sentence with only these gives no mandate for change (hmpps-tier MandateForChange.kt;
# shared/reference/tiering.md, corrected 2026-12-01: "curfew, exclusion and similar"). Prohibited activity is the
# third prohibition of the same kind (Sentencing Act 2020 Sch. 9: curfew, exclusion, prohibited activity).
# Residence is supervised by probation and is not marked restrictive here (docs/risk.md, "Peer suite").
RESTRICTIVE_REQUIREMENTS = frozenset(
    {RequirementType.CURFEW, RequirementType.EXCLUSION, RequirementType.PROHIBITED_ACTIVITY}
)


class LicenceConditionType(enum.StrEnum):
    STANDARD = "STANDARD"
    NO_CONTACT = "NO_CONTACT"
    EXCLUSION_ZONE = "EXCLUSION_ZONE"
    CURFEW = "CURFEW"
    RESIDENCE = "RESIDENCE"
    DRUG_TESTING = "DRUG_TESTING"
    # issue 16 §5 (helper "ap"): "reside at approved premises" — the code AP_REFERRAL's pre-release flag reads.
    APPROVED_PREMISES = "APPROVED_PREMISES"
    OTHER = "OTHER"


# Conditions that protect a named person or place: shown prominently on the case overview.
PROTECTIVE_LICENCE_CONDITIONS = frozenset({LicenceConditionType.NO_CONTACT, LicenceConditionType.EXCLUSION_ZONE})


class ContactType(enum.StrEnum):
    APPOINTMENT = "APPOINTMENT"
    HOME_VISIT = "HOME_VISIT"
    PHONE = "PHONE"
    OFFICE_VISIT = "OFFICE_VISIT"
    OTHER = "OTHER"
    # issue 14 (appointments): the nDelius appointment types a practitioner books.
    VIDEO = "VIDEO"
    PROGRAMME_SESSION = "PROGRAMME_SESSION"
    UNPAID_WORK = "UNPAID_WORK"
    PARTNER_MEETING = "PARTNER_MEETING"
    # issue 15 ("overs"): the nDelius "SPO Oversight" contact — a manager's oversight note; it closes touch points.
    SPO_OVERSIGHT = "SPO_OVERSIGHT"


class ContactOutcome(enum.StrEnum):
    ATTENDED = "ATTENDED"  # attended and complied
    FAILED_TO_ATTEND = "FAILED_TO_ATTEND"
    ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE"
    RESCHEDULED = "RESCHEDULED"  # rescheduled by the service
    FAILED_TO_COMPLY = "FAILED_TO_COMPLY"  # attended but failed to comply (issue 14)


# --- issue 14: appointments ------------------------------------------------------------------------------------------
# What a practitioner books (nDelius appointment contact types; hmpps.md "contacts"); an appointment's resulting contact
# carries the same type, so every rule that reads contacts reads appointments too.
APPOINTMENT_TYPES = (
    ContactType.OFFICE_VISIT,
    ContactType.HOME_VISIT,
    ContactType.PHONE,
    ContactType.VIDEO,
    ContactType.PROGRAMME_SESSION,
    ContactType.UNPAID_WORK,
    ContactType.PARTNER_MEETING,
)
# What "Record a contact" offers, in the order a practitioner reaches for them: the booking form's (most common first:
# office visit, home visit, phone call, video call, then programme session, unpaid work, partner meeting) and "Other
# contact" last, as GOV.UK puts "Other". A try-out found the enum's order ("Other contact" fourth, video after it).
# Not APPOINTMENT (a booking's own type) or SPO_OVERSIGHT (a manager records it on /oversight, issue 15).
RECORDED_CONTACT_TYPES = (*APPOINTMENT_TYPES, ContactType.OTHER)
CONTACT_TYPE_LABELS = {
    ContactType.APPOINTMENT: "Appointment",
    ContactType.HOME_VISIT: "Home visit",
    ContactType.PHONE: "Phone call",
    ContactType.OFFICE_VISIT: "Office visit",  # nDelius's name; one wording on every page (a try-out found two)
    ContactType.OTHER: "Other contact",
    ContactType.VIDEO: "Video call",
    ContactType.PROGRAMME_SESSION: "Programme session",
    ContactType.UNPAID_WORK: "Unpaid work",
    ContactType.PARTNER_MEETING: "Partner meeting",
    ContactType.SPO_OVERSIGHT: "SPO oversight",  # issue 15 ("overs")
}
OUTCOME_LABELS = {
    ContactOutcome.ATTENDED: "Attended — complied",
    ContactOutcome.FAILED_TO_COMPLY: "Attended — failed to comply",
    ContactOutcome.FAILED_TO_ATTEND: "Failed to attend",
    ContactOutcome.ACCEPTABLE_ABSENCE: "Acceptable absence",
    ContactOutcome.RESCHEDULED: "Rescheduled by the service",
}
# A contact with no outcome (an SPO oversight note, a phone call): it happened, so never "not yet happened".
NO_OUTCOME = "No outcome recorded"


def outcome_words(outcome: str | None) -> str:
    """A contact's outcome in words: "Attended — complied", or "No outcome recorded" when none is.

    Keepsafe's wording (issue 14 outcomes; a user try-out found "not yet happened" beside "no outcome recorded")."""
    return OUTCOME_LABELS[ContactOutcome(outcome)] if outcome else NO_OUTCOME


def contact_type_words(contact_type: str) -> str:
    """A contact type by its one name ("Office visit", "Phone call"): every page, document and the model's choices use
    CONTACT_TYPE_LABELS, never the code turned into words ("Phone")."""
    return CONTACT_TYPE_LABELS[ContactType(contact_type)]


def contact_title(contact_type: str, outcome: str | None) -> str:
    """A contact as the chronology and the case summary document both name it: "SPO oversight: No outcome recorded".

    Keepsafe's wording: one composition, so the two never say different things about the same contact."""
    return f"{contact_type_words(contact_type)}: {outcome_words(outcome)}"


# Outcomes that call for an enforcement decision (National Standards; seeds/002): failing to attend without an
# acceptable reason, or attending and failing to comply.
ENFORCEABLE_OUTCOMES = frozenset({ContactOutcome.FAILED_TO_ATTEND.value, ContactOutcome.FAILED_TO_COMPLY.value})
# Outcomes where the contact took place (contact levels count these).
CONTACT_MADE_OUTCOMES = frozenset({ContactOutcome.ATTENDED.value, ContactOutcome.FAILED_TO_COMPLY.value})
# --- end issue 14 ----------------------------------------------------------------------------------------------------


class RecordSource(enum.StrEnum):
    PRISON = "PRISON"
    POLICE = "POLICE"
    CHILDRENS_SERVICES = "CHILDRENS_SERVICES"
    COURT = "COURT"
    PARTNER = "PARTNER"
    PRACTITIONER = "PRACTITIONER"
    VICTIM_LIAISON = "VICTIM_LIAISON"
    OTHER = "OTHER"


SOURCE_LABELS = {
    RecordSource.PRISON: "Prison",
    RecordSource.POLICE: "Police",
    RecordSource.CHILDRENS_SERVICES: "Children's services",
    RecordSource.COURT: "Court",
    RecordSource.PARTNER: "Partner agency",
    RecordSource.PRACTITIONER: "Practitioner",
    RecordSource.VICTIM_LIAISON: "Victim liaison",
    RecordSource.OTHER: "Other",
}

# nDelius records level M0 on some MAPPA registrations (hmpps-tier RegistrationEdgeCasesTest: a MAPP registration
# at M0). hmpps-tier's MappaLevel knows only M1–M3, so M0 scores no protect points; see risk/rules/tier/v2.py.
MAPPA_LEVELS = ("M0", "M1", "M2", "M3")
MAPPA_CATEGORIES = ("M1", "M2", "M3", "M4")

# Domestic abuse flags: perpetrator, and a history of domestic abuse (registration-types.csv). Read by the tier
# (v3 domestic abuse factor), the RoSH prompts and the contact levels' home visits.
DOMESTIC_ABUSE_REGISTRATIONS = frozenset({"ADVP", "REG30"})

# Flags that must never be missed: shown first in the case header, in a distinct style.
# Seeds 001 (concern 5: the restraining order "globe" nobody saw), 004 (domestic abuse, safeguarding).
SAFETY_CRITICAL_REGISTRATIONS = (
    "RSTO",
    "MAPP",
    "ADVP",
    "REG30",
    "RCPR",
    "RCHD",
    "RCCO",
    "SPO",
    "AV2S",
    "WEAP",
    "RVHR",
    "RHRH",
    "SOPS",
    "ARSO",
)
