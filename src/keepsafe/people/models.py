"""The case record: a person on probation, their events (conviction + sentence), registrations and contacts."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from keepsafe.core.words import code_words
from keepsafe.people.rules.vocabulary import (
    CONTACT_TYPE_LABELS,
    OUTCOME_LABELS,
    ContactOutcome,
    ContactType,
    Gender,
    LicenceConditionType,
    OffenceCategory,
    RequirementType,
    SentenceType,
)
from keepsafe.workforce.models import Pdu, Staff


def _choices(enum_cls):
    return [(m.value, code_words(m.value)) for m in enum_cls]  # "SPO oversight", never "Spo oversight"


# Contact types and outcomes have names of their own (people/rules/vocabulary.py), the same on every page and here.
CONTACT_TYPE_CHOICES = [(t.value, CONTACT_TYPE_LABELS[t]) for t in ContactType]
OUTCOME_CHOICES = [(o.value, OUTCOME_LABELS[o]) for o in ContactOutcome]


class PersonQuerySet(models.QuerySet):
    def visible_to(self, *, is_system: bool, staff_id: int | None):
        """Queryset form of people.rules.visibility.may_see_case; the two are tested to agree."""
        if is_system:
            return self
        any_restriction = Exists(CaseAccess.objects.filter(person=OuterRef("pk"), kind=CaseAccess.Kind.RESTRICTION))
        any_exclusion = Exists(CaseAccess.objects.filter(person=OuterRef("pk"), kind=CaseAccess.Kind.EXCLUSION))
        if staff_id is None:
            return self.filter(~any_restriction & ~any_exclusion)
        excluded_me = Exists(
            CaseAccess.objects.filter(person=OuterRef("pk"), kind=CaseAccess.Kind.EXCLUSION, staff_id=staff_id)
        )
        restricted_to_me = Exists(
            CaseAccess.objects.filter(person=OuterRef("pk"), kind=CaseAccess.Kind.RESTRICTION, staff_id=staff_id)
        )
        return self.filter(~excluded_me & (~any_restriction | restricted_to_me))


class Person(models.Model):
    crn = models.CharField("CRN", max_length=7, unique=True)
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, choices=_choices(Gender))
    ethnicity = models.CharField(max_length=100, null=True, blank=True)
    disability = models.BooleanField(null=True)
    pnc = models.CharField("PNC number", max_length=20, null=True, blank=True)
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="people")
    practitioner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload")
    prison_offender_manager = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="prison_caseload"
    )
    # Criminal history summary: the inputs of the criminal-history predictors (OGRS3 and friends).
    has_criminal_history = models.BooleanField(default=False)
    first_sanction_date = models.DateField(null=True, blank=True)
    sanctions = models.PositiveIntegerField(null=True, blank=True)
    violent_sanctions = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["surname", "forename"], name="person_name")]
        constraints = [models.CheckConstraint(condition=Q(crn__regex=r"^[A-Z][0-9]{6}$"), name="person_crn_shape")]

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    def __str__(self) -> str:
        return self.crn


class CaseAccess(models.Model):
    """A restriction (only listed staff may see the case) or an exclusion (listed staff may never see it)."""

    class Kind(models.TextChoices):
        RESTRICTION = "RESTRICTION"
        EXCLUSION = "EXCLUSION"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_lists")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="case_access_lists")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "staff", "kind"], name="case_access_unique")]
        indexes = [models.Index(fields=["staff", "kind"], name="case_access_staff")]


class Event(models.Model):
    """A conviction and its sentence."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(max_length=64)
    offence = models.CharField(max_length=300)
    offence_category = models.CharField(max_length=40, choices=[(c.value, c.value) for c in OffenceCategory])
    offence_date = models.DateField(null=True, blank=True)
    sentence_type = models.CharField(max_length=30, choices=_choices(SentenceType))
    sentence_date = models.DateField()
    length_months = models.PositiveIntegerField(null=True, blank=True)
    release = models.DateField(null=True, blank=True)
    conditional_release = models.DateField(null=True, blank=True)
    parole_eligibility = models.DateField(null=True, blank=True)
    licence_expiry = models.DateField(null=True, blank=True)
    sentence_expiry = models.DateField(null=True, blank=True)
    pss_end = models.DateField("post-sentence supervision end", null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="event_unique_id")]
        ordering = ["-sentence_date", "external_id"]


class Requirement(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requirements")
    external_id = models.CharField(max_length=64)
    type = models.CharField(max_length=30, choices=_choices(RequirementType))
    detail = models.CharField(max_length=300, blank=True, default="")
    start = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "external_id"], name="requirement_unique_id")]
        ordering = ["external_id"]


class LicenceCondition(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="licence_conditions")
    external_id = models.CharField(max_length=64)
    type = models.CharField(max_length=20, choices=_choices(LicenceConditionType))
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "external_id"], name="licence_condition_unique_id")]
        ordering = ["external_id"]


class RegistrationType(models.Model):
    """Reference data: shared/reference/registration-types.csv, synchronised on every migrate."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    review_months = models.PositiveIntegerField()
    group = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Registration(models.Model):
    """A registration ("flag") on a case: restraining order, MAPPA, domestic abuse perpetrator…"""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    external_id = models.CharField(max_length=64)
    type = models.ForeignKey(RegistrationType, on_delete=models.PROTECT, related_name="registrations")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True, default="")
    level = models.CharField(max_length=2, null=True, blank=True)  # MAPPA level M0–M3
    category = models.CharField(max_length=2, null=True, blank=True)  # MAPPA category M1–M4
    notes = models.TextField(blank=True, default="")
    last_reviewed = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="registration_unique_id")]
        ordering = ["-start", "external_id"]


class RegistrationHistory(models.Model):
    class Action(models.TextChoices):
        ADDED = "ADDED"
        UPDATED = "UPDATED"
        REVIEWED = "REVIEWED"
        REMOVED = "REMOVED"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField()  # when Keepsafe recorded the change
    by = models.CharField(max_length=150)  # staff code or username; "system" for imports
    notes = models.TextField(blank=True, default="")
    # Point in time (docs/case-json.md): the flag as it stood after this change, known from `known_from` (never
    # after `at`: a bundle flag from its start, a civil order's flag from the order record's receipt).
    known_from = models.DateTimeField()
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=2, null=True, blank=True)
    category = models.CharField(max_length=2, null=True, blank=True)
    flag_notes = models.TextField(blank=True, default="")
    last_reviewed = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)

    VERSIONED = ("start", "end", "level", "category", "last_reviewed", "next_review")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["registration", "known_from"], name="reg_history_known")]


class Version(models.Model):
    """One version of a row of the case record, as known from `known_from`: what a point-in-time read
    (`--as-of`) shows. `recorded_at` is when Keepsafe stored it; `known_from` is never later. A bundle's first copy
    of migrated data is known from its own date (a sentence from its sentence date, a flag from its start); a later
    change from when it was recorded; a flag made from a court's order from the record's receipt."""

    known_from = models.DateTimeField()
    recorded_at = models.DateTimeField()
    by = models.CharField(max_length=150)  # staff code or username; "system" for imports

    class Meta:
        abstract = True


class PersonVersion(Version):
    """Allocation (PDU, community and prison offender managers) and criminal history, as known from an instant."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="versions")
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prison_offender_manager = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    has_criminal_history = models.BooleanField(default=False)
    first_sanction_date = models.DateField(null=True, blank=True)
    sanctions = models.PositiveIntegerField(null=True, blank=True)
    violent_sanctions = models.PositiveIntegerField(null=True, blank=True)

    VERSIONED = (
        "pdu_id",
        "practitioner_id",
        "prison_offender_manager_id",
        "has_criminal_history",
        "first_sanction_date",
        "sanctions",
        "violent_sanctions",
    )

    class Meta:
        indexes = [models.Index(fields=["person", "known_from"], name="person_version_known")]


class EventVersion(Version):
    """An event's sentence and key dates as known from an instant."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="versions")
    offence = models.CharField(max_length=300)
    offence_category = models.CharField(max_length=40, choices=[(c.value, c.value) for c in OffenceCategory])
    offence_date = models.DateField(null=True, blank=True)
    sentence_type = models.CharField(max_length=30, choices=_choices(SentenceType))
    sentence_date = models.DateField()
    length_months = models.PositiveIntegerField(null=True, blank=True)
    release = models.DateField(null=True, blank=True)
    conditional_release = models.DateField(null=True, blank=True)
    parole_eligibility = models.DateField(null=True, blank=True)
    licence_expiry = models.DateField(null=True, blank=True)
    sentence_expiry = models.DateField(null=True, blank=True)
    pss_end = models.DateField(null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)

    VERSIONED = (
        "offence",
        "offence_category",
        "offence_date",
        "sentence_type",
        "sentence_date",
        "length_months",
        "release",
        "conditional_release",
        "parole_eligibility",
        "licence_expiry",
        "sentence_expiry",
        "pss_end",
        "terminated",
    )

    class Meta:
        indexes = [models.Index(fields=["event", "known_from"], name="event_version_known")]


class RequirementVersion(Version):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="versions")
    type = models.CharField(max_length=30, choices=_choices(RequirementType))
    detail = models.CharField(max_length=300, blank=True, default="")
    start = models.DateField(null=True, blank=True)

    VERSIONED = ("type", "detail", "start")

    class Meta:
        indexes = [models.Index(fields=["requirement", "known_from"], name="req_version_known")]


class LicenceConditionVersion(Version):
    licence_condition = models.ForeignKey(LicenceCondition, on_delete=models.CASCADE, related_name="versions")
    type = models.CharField(max_length=20, choices=_choices(LicenceConditionType))
    text = models.TextField()

    VERSIONED = ("type", "text")

    class Meta:
        indexes = [models.Index(fields=["licence_condition", "known_from"], name="lc_version_known")]


class Contact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    external_id = models.CharField(max_length=64)
    type = models.CharField(max_length=20, choices=CONTACT_TYPE_CHOICES)
    at = models.DateTimeField()
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    outcome = models.CharField(max_length=20, null=True, blank=True, choices=OUTCOME_CHOICES)
    notes = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="contact_unique_id")]
        indexes = [models.Index(fields=["person", "at"], name="contact_person_at")]
        ordering = ["-at", "-id"]


# --- issue 14: appointments (docs/actions.md "Appointments and contact levels") --------------------------------------
class Appointment(models.Model):
    """A booked appointment. Recording its outcome writes the Contact it became (same id, type, time, staff), so the
    rules that read contacts (enforcement, first appointment, contact levels) read appointments unchanged."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    external_id = models.CharField(max_length=64)
    type = models.CharField(max_length=20, choices=CONTACT_TYPE_CHOICES)
    at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, default="")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    booked_at = models.DateTimeField()
    booked_by = models.CharField(max_length=64)
    outcome = models.CharField(max_length=20, null=True, blank=True, choices=OUTCOME_CHOICES)
    outcome_at = models.DateTimeField(null=True, blank=True)  # when the outcome was recorded
    outcome_by = models.CharField(max_length=64, blank=True, default="")
    absence_reason = models.TextField(blank=True, default="")  # an acceptable absence: why
    absence_evidence = models.TextField(blank=True, default="")  # an acceptable absence: what shows it
    contact = models.OneToOneField(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="appointment")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="appointment_unique_id")]
        indexes = [
            models.Index(fields=["person", "at"], name="appointment_person_at"),
            models.Index(fields=["staff", "at"], name="appointment_staff_at"),
        ]
        ordering = ["at", "id"]


class AppointmentChange(models.Model):
    """A reschedule: the appointment's history is kept, never overwritten."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="changes")
    from_at = models.DateTimeField()
    to_at = models.DateTimeField()
    reason = models.TextField()
    at = models.DateTimeField()
    by = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "id"]


# --- end issue 14 ----------------------------------------------------------------------------------------------------


# --- issue 16 §2, §6 (helper "transfer"): case transfers between PDUs, remand periods (docs/sharing.md) -------------
class Transfer(models.Model):
    """A request to move a case to another PDU (any region) and its decision by the receiving head of PDU.

    Until it is accepted the sending practitioner stays responsible: the Person is unchanged. Acceptance moves the
    case through the versioned allocation (PersonVersion), so `--as-of` shows who held it when (cases/transfers.py)."""

    class Status(models.TextChoices):
        PENDING = "PENDING"
        ACCEPTED = "ACCEPTED"
        REJECTED = "REJECTED"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="transfers")
    external_id = models.CharField(max_length=64)
    from_pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="transfers_out")
    to_pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="transfers_in")
    from_practitioner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_at = models.DateTimeField()
    requested_by = models.CharField(max_length=150)  # staff code (or username of an account without one)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decision_reason = models.TextField(blank=True, default="")  # why it was rejected (or a note on acceptance)
    to_practitioner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary_document = models.UUIDField(null=True, blank=True)  # cases.CaseDocument.public_id of the summary

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "external_id"], name="transfer_unique_id"),
            models.UniqueConstraint(fields=["person"], condition=Q(status="PENDING"), name="transfer_one_pending"),
            models.CheckConstraint(condition=~Q(from_pdu=models.F("to_pdu")), name="transfer_other_pdu"),
            models.CheckConstraint(
                condition=Q(status="PENDING", decided_at__isnull=True)
                | (~Q(status="PENDING") & Q(decided_at__isnull=False)),
                name="transfer_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="ACCEPTED") | Q(to_practitioner__isnull=False), name="transfer_accepted_names_com"
            ),
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(decision_reason=""), name="transfer_rejected_needs_reason"
            ),
        ]
        indexes = [models.Index(fields=["to_pdu", "status"], name="transfer_to_pdu_status")]
        ordering = ["-requested_at", "-id"]


class RemandPeriod(models.Model):
    """A period on remand (unsentenced) for a matter, at a court's order, in a prison; `end` null while it lasts.
    Known from `known_from` (the start, or when recorded if later): what the action rules read at an instant."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="remand_periods")
    external_id = models.CharField(max_length=64)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=200)
    prison = models.CharField(max_length=200, blank=True, default="")
    matter = models.CharField(max_length=300)  # the charge(s) the person is remanded on
    known_from = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "external_id"], name="remand_unique_id"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="remand_order"),
        ]
        ordering = ["-start", "external_id"]


# --- end issue 16 (helper "transfer") ------------------------------------------------------------------------------
