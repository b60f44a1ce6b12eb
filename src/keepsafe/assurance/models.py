"""What assurance records: samples of cases drawn for audit, the case audits, and second reviews of recall decisions.

Figures on the dashboards are not stored: they are computed from the case record whenever they are asked for."""

from django.db import models

from keepsafe.actions.models import Action, Recall
from keepsafe.assurance.rules.recall_sampling import Reason
from keepsafe.people.models import Person
from keepsafe.workforce.models import Pdu, Team


class AuditSample(models.Model):
    """A random stratified sample of cases, drawn reproducibly: the same population, size and seed give the same
    cases (assurance/rules/sampling.py). `population` lists every candidate with its stratum as it stood when drawn,
    so the draw can be checked later whatever has changed since."""

    drawn_at = models.DateTimeField()
    drawn_by = models.CharField(max_length=150)
    scope = models.CharField(max_length=10)  # TEAM | PDU | REGION
    scope_code = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    strata = models.JSONField(default=list)  # what the strata are made of, e.g. ["tier", "rosh", "grade"]
    population = models.JSONField(default=list)  # [[person id, [tier, rosh, grade]], …]

    class Meta:
        ordering = ["-drawn_at", "-id"]


class CaseAudit(models.Model):
    """An inspection-style audit of one case: each standard's key questions answered yes/no with evidence."""

    class Status(models.TextChoices):
        TO_DO = "TO_DO"
        COMPLETE = "COMPLETE"

    sample = models.ForeignKey(AuditSample, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_audits")
    # Where the case sat when it was sampled: ratings roll up to this team and PDU whatever happens to the case.
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="case_audits")
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="case_audits")
    stratum = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TO_DO)
    answers = models.JSONField(default=dict)  # {"ASSESSMENT.KEEPING_SAFE": {"sufficient": bool, "evidence": text}}
    auditor = models.CharField(max_length=150, blank=True, default="")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "person"], name="case_audit_once_per_sample")]
        ordering = ["id"]


class RecallReview(models.Model):
    """A recall decision sent to a second reviewer, and what they found. A disagreement opens an action on the case."""

    recall = models.OneToOneField(Recall, on_delete=models.PROTECT, related_name="review")
    reasons = models.JSONField(default=list)  # Reason values: why it was selected
    selected_at = models.DateTimeField()
    seed = models.BigIntegerField()
    share = models.CharField(max_length=20)  # the configured share of no-recall decisions sampled, as a fraction
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.CharField(max_length=150, blank=True, default="")
    agrees = models.BooleanField(null=True)
    notes = models.TextField(blank=True, default="")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    REASONS = tuple(r.value for r in Reason)

    class Meta:
        ordering = ["-selected_at", "-id"]
