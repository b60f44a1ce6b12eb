"""Partner organisations, their information sharing agreements and API keys, and checks requested of them."""

import uuid
from typing import Any

from django.db import models

from keepsafe.people.models import Person
from keepsafe.records.models import Record
from keepsafe.sharing.rules.agreements import CheckKind, PartnerKind
from keepsafe.workforce.models import Pdu


class PartnerOrganisation(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=[(k.value, k.value) for k in PartnerKind])

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SharingAgreement(models.Model):
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(max_length=40, unique=True)
    purpose = models.TextField()
    send_kinds = models.JSONField(default=list)  # record kinds the partner may send
    answers = models.JSONField(default=list)  # CheckKind values the partner answers
    pdus = models.ManyToManyField(Pdu, related_name="sharing_agreements")  # the cases it covers
    valid_from = models.DateField()
    valid_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")), name="agreement_dates")
        ]


class ApiKey(models.Model):
    """Only the hash of the secret is kept; the key is shown once when issued."""

    agreement = models.ForeignKey(SharingAgreement, on_delete=models.PROTECT, related_name="keys")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True, default="")
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's current window and the calls counted in it (sharing/rules/agreements.rate_step).
    rate_window_start = models.DateTimeField(null=True, blank=True)
    rate_window_count = models.PositiveIntegerField(default=0)


class PartnerSubmission(models.Model):
    """Which partner sent which record under its own id, and a fingerprint of what it sent (idempotency)."""

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="submissions")
    external_id = models.CharField(max_length=100)
    record = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="submission")
    fingerprint = models.CharField(max_length=64)
    agreement = models.ForeignKey(SharingAgreement, on_delete=models.PROTECT, related_name="submissions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "external_id"], name="submission_unique_id")]


class CheckRequest(models.Model):
    """Probation asks a partner for a domestic abuse or safeguarding check on a person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="check_requests")
    # None: a check made outside Keepsafe's partner API (imported from a bundle's `checks`).
    partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="check_requests"
    )
    external_id = models.CharField(max_length=64, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in CheckKind])
    question = models.TextField(blank=True, default="")
    requested_at = models.DateTimeField()
    requested_by = models.CharField(max_length=150)
    # The partner's answer; the request is open until there is one.
    response_record = models.OneToOneField(
        Record, null=True, blank=True, on_delete=models.PROTECT, related_name="answers_request"
    )
    # What the practitioner did with the answer: a check is done only once this is recorded (issue 6 §3).
    acted_on_at = models.DateTimeField(null=True, blank=True)
    acted_on_by = models.CharField(max_length=150, blank=True, default="")
    acted_on_notes = models.TextField(blank=True, default="")
    # Which decision it was (actions.rules.checks.ActedOn: FLAG, PLAN_UPDATED, REFERRAL, REASON); "" for answers
    # acted on before issue 12 §8 and for imported checks that do not say.
    acted_on_outcome = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["partner", "response_record"], name="check_partner_answer")]
        constraints = [
            models.UniqueConstraint(fields=["person", "external_id"], name="check_unique_external_id"),
            models.CheckConstraint(
                condition=models.Q(acted_on_at__isnull=True) | models.Q(response_record__isnull=False),
                name="check_acted_on_needs_answer",
            ),
        ]

    @property
    def status(self) -> str:
        return "ANSWERED" if self.response_record_id is not None else "OPEN"

    @property
    def answered_at(self):
        """When the answer reached probation."""
        return self.response_record.received_at if self.response_record is not None else None


# --- issue 16 §3 (helper "share"): the disclosure log --------------------------------------------------------------


class DisclosureChangeError(Exception):
    """A disclosure, once logged, is never changed or deleted: it is what was sent."""


class Disclosure(models.Model):
    """One disclosure of case information outside probation: what (the document as sent), to whom, under which
    agreement, why, by whom and when (sharing/rules/disclosures.py). Immutable once stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures")
    external_id = models.CharField(max_length=100)  # the bundle id ("DISC-<uuid>" when made in Keepsafe)
    kind = models.CharField(max_length=20)  # DisclosureKind
    service = models.CharField(max_length=30, blank=True, default="")  # ReferralService, for referrals
    partner_code = models.CharField(max_length=20)  # who received it (a partner organisation's code)
    recipient = models.CharField(max_length=200)  # the recipient's name as it was then
    agreement_reference = models.CharField(max_length=40)  # the information sharing agreement it was made under
    reason = models.TextField()
    title = models.CharField(max_length=300)
    document = models.JSONField()  # the composition sent (cases/documents.Composition.as_json)
    sha256 = models.CharField(max_length=64)  # of the canonical JSON of `document`
    made_at = models.DateTimeField()
    made_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="disclosure_unique_id")]
        indexes = [models.Index(fields=["person", "made_at"], name="disclosure_person_made")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DisclosureChangeError(f"disclosure {self.external_id} is logged and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DisclosureChangeError(f"disclosure {self.external_id} is logged and cannot be deleted")


# --- issue 16 §4 (helper "share"): MAPPA and IOM meetings -----------------------------------------------------------


class Meeting(models.Model):
    """A MAPPA or IOM meeting about a case: who chaired, who came, who was invited and what they answered, the minutes
    (an immutable record, scanned like any other) and the actions agreed (MEETING_ACTION safety actions whose key
    names this meeting). sharing/rules/meetings.py holds the POM rule. Recorded once; never changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meetings")
    external_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)  # MeetingKind
    held_on = models.DateField()
    chair = models.CharField(max_length=200)
    attendees = models.JSONField(default=list)  # ["name (organisation)", ...]
    invitations = models.JSONField(default=list)  # [{"name", "role", "response", "staff"}]
    agreed_actions = models.JSONField(default=list)  # [{"text", "owner", "due"}] as agreed at the meeting
    minutes = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="meeting")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="meeting_unique_id")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DisclosureChangeError(f"meeting {self.external_id} is recorded and cannot change")
        super().save(*args, **kwargs)
