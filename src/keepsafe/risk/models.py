"""Risk of serious harm assessments, the case's current RoSH level and its history, plans, and tiers."""

from django.db import models

from keepsafe.people.models import Person
from keepsafe.risk.rules.rosh import LEVEL_ORDER
from keepsafe.workforce.models import Staff

LEVEL_CHOICES = [(level.value, level.label) for level in LEVEL_ORDER]


class Assessment(models.Model):
    """One RoSH assessment, in the four steps of the RoSH guidance: gather, analyse, judge, plan.

    JSON fields (documented in docs/risk.md): `rosh` {"community": {group: level}, "custody": {group: level} | null}
    (read only through `rules.rosh.RoshRatings`, which keeps the two settings apart); `rationales` {group: text};
    `analysis` {nature, imminence, increases, reduces}; `indicator_answers` {indicator: {"relevant": bool, "reason":
    text}}; `prompts` [{code, group, suggested, chosen, message, evidence, records, source, response, responded_by}];
    `predictors` {name: {"score", "band", "static"}}; `needs` {area: severity};
    `risk_to_self` {item: "YES"|"NO"|"DONT_KNOW"}; `other_risks` {item: text}; `oasys_answers` (imported only)
    {"parenting_responsibilities": "YES"|"NO", "impulsivity": 0–2, "temper_control": 0–2}, the OASys answers
    6.9, 11.2 and 11.4 that tier v2 counts for women.
    """

    class Status(models.TextChoices):
        DRAFT = "DRAFT"
        COMPLETE = "COMPLETE"

    class Source(models.TextChoices):
        KEEPSAFE = "KEEPSAFE"
        IMPORTED = "IMPORTED"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    external_id = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.KEEPSAFE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assessor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments")
    assessor_code = models.CharField(max_length=150)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # When Keepsafe learned of it: the import for an imported assessment (completed elsewhere, perhaps long before),
    # the completion for Keepsafe's own. Point-in-time reads and the countersign action start from here.
    recorded_at = models.DateTimeField(null=True, blank=True)
    rosh = models.JSONField(default=dict)
    rationales = models.JSONField(default=dict)
    analysis = models.JSONField(default=dict)
    indicator_answers = models.JSONField(default=dict)
    prompts = models.JSONField(default=list)
    predictors = models.JSONField(default=dict)
    needs = models.JSONField(default=dict)
    risk_to_self = models.JSONField(default=dict)
    oasys_answers = models.JSONField(default=dict)
    other_risks = models.JSONField(default=dict)
    overall = models.CharField(max_length=10, choices=LEVEL_CHOICES, null=True, blank=True)
    # The case's level in force when this assessment was completed (or imported): what the countersigner compares.
    previous_level = models.CharField(max_length=10, choices=LEVEL_CHOICES, null=True, blank=True)
    countersign_required = models.BooleanField(default=False)
    countersign_reasons = models.JSONField(default=list)
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.CharField(max_length=150, blank=True, default="")
    countersign_agreed = models.BooleanField(null=True)
    countersign_comments = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="assessment_unique_id")]
        ordering = ["-completed_at", "-started_at", "-id"]


class CaseRisk(models.Model):
    """The case's current RoSH level (what the header shows), a lowering awaiting countersign, and the tiers."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="risk")
    level = models.CharField(max_length=10, choices=LEVEL_CHOICES, null=True, blank=True)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pending_level = models.CharField(max_length=10, choices=LEVEL_CHOICES, null=True, blank=True)
    pending_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tier_v2 = models.CharField(max_length=4, blank=True, default="")
    tier_v3 = models.CharField(max_length=16, blank=True, default="")
    tier_provisional = models.BooleanField(default=False)
    tier_explanation = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)


class TierChange(models.Model):
    """Issue 15 §1 (helper "tierhist"): every change of the case's stored tier (v2 or v3), appended by
    services.risk_recalculate_many in the same write that stores the new tier. Append-only: only that service (and the
    backfill of migration 0006) writes it; workload reads the tier in force at an instant from it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tier_changes")
    at = models.DateTimeField()
    previous_v2 = models.CharField(max_length=4, blank=True, default="")  # "": none stored before (or not known)
    new_v2 = models.CharField(max_length=4, blank=True, default="")
    previous_v3 = models.CharField(max_length=16, blank=True, default="")
    new_v3 = models.CharField(max_length=16, blank=True, default="")
    # Written by the migration that started the history: `at` is the tier row's last save (CaseRisk.updated_at),
    # `previous_*` are not known (docs/workforce.md, "Tier changes").
    backfilled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"], name="tierchange_person_at")]


class RiskLevelChange(models.Model):
    """Every change of the case's RoSH level, with who and why. Append-only in practice: only services write it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risk_changes")
    assessment = models.ForeignKey(Assessment, null=True, on_delete=models.SET_NULL, related_name="level_changes")
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    previous = models.CharField(max_length=10, null=True, blank=True)
    new = models.CharField(max_length=10)
    effective = models.BooleanField()  # False: a lowering recorded but waiting for countersignature
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]


class RiskManagementPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "DRAFT"
        FINAL = "FINAL"

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    sections = models.JSONField(default=dict)
    covered_groups = models.JSONField(default=list)
    answered_factors = models.JSONField(default=list)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.CharField(max_length=150, blank=True, default="")
