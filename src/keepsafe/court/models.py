"""Before sentence (issue 16 §1): the court stage of a person not yet sentenced, its court dates (every listing and
adjournment kept, so `--as-of` shows the date known then), the pre-sentence report and the checks it asked partners
for, and proposed-address suitability assessments."""

from django.db import models

from keepsafe.court.rules.suitability import Conclusion
from keepsafe.people.models import Event, Person
from keepsafe.sharing.models import CheckRequest


class CourtStage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="court_stages")
    external_id = models.CharField(max_length=64)
    court = models.CharField(max_length=200)
    charges = models.JSONField(default=list)  # the charges, as the court lists them (text)
    opened_at = models.DateTimeField()
    opened_by = models.CharField(max_length=150)
    # The court outcome closes the stage: the sentence becomes `event` (people.services.event_create).
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True, default="")
    event = models.OneToOneField(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="court_stage")

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="court_stage_unique_id")]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CourtDate(models.Model):
    """One listing: the first hearing date, then each adjournment's new date. Never changed, only added to."""

    stage = models.ForeignKey(CourtStage, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField()
    reason = models.TextField(blank=True, default="")  # "" for the first listing; why the hearing was adjourned
    known_from = models.DateTimeField()
    recorded_at = models.DateTimeField()
    by = models.CharField(max_length=150)

    class Meta:
        ordering = ["known_from", "id"]
        indexes = [models.Index(fields=["stage", "known_from"], name="court_date_known")]


class PreSentenceReport(models.Model):
    stage = models.OneToOneField(CourtStage, on_delete=models.CASCADE, related_name="psr")
    requested_at = models.DateTimeField()
    requested_by = models.CharField(max_length=150)
    # The checks asked of partners when the report was requested (sharing.CheckRequest). None: not requested
    # (an imported report that names none); the PRE_SENTENCE_CHECK action then asks for it.
    domestic_abuse_check = models.OneToOneField(
        CheckRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="psr_as_domestic_abuse"
    )
    safeguarding_check = models.OneToOneField(
        CheckRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="psr_as_safeguarding"
    )
    # What is being considered: requirement types (people.rules.vocabulary.RequirementType) and the address they
    # would be at. A curfew or residence requirement considered opens ADDRESS_SUITABILITY until it is assessed.
    considering = models.JSONField(default=list)
    proposed_address = models.CharField(max_length=300, blank=True, default="")
    # The report's proposal, once made: the sentence, its requirements, the address, the checks it relied on, and
    # the warnings shown when it was made (checks unanswered).
    proposal = models.CharField(max_length=30, blank=True, default="")  # a SentenceType, "" until proposed
    proposal_requirements = models.JSONField(default=list)
    proposal_address = models.CharField(max_length=300, blank=True, default="")
    proposal_relied_on = models.JSONField(default=list)  # check ids
    proposal_warnings = models.JSONField(default=list)
    proposal_notes = models.TextField(blank=True, default="")
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.CharField(max_length=150, blank=True, default="")


class AddressAssessment(models.Model):
    stage = models.ForeignKey(CourtStage, on_delete=models.CASCADE, related_name="address_assessments")
    external_id = models.CharField(max_length=64)
    address = models.CharField(max_length=300)
    children_ages = models.JSONField(default=list)  # the ages of children who live there or stay there
    victim_lives_there = models.BooleanField(default=False)
    partner_lives_there = models.BooleanField(default=False)
    relied_on = models.JSONField(default=list)  # the ids of the checks whose answers it relied on
    conclusion = models.CharField(max_length=30, choices=[(c.value, c.value) for c in Conclusion])
    conditions = models.TextField(blank=True, default="")
    reasons = models.TextField()
    assessed_at = models.DateTimeField()
    assessed_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["assessed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "external_id"], name="address_assessment_unique_id")]
