"""The audit trail: who did what to which case, when. Append-only (a PostgreSQL trigger enforces it)."""

from django.db import models


class Outcome(models.TextChoices):
    OK = "OK"
    DENIED = "DENIED"  # the case exists but the actor may not see it; the actor was shown "not found"
    NOT_FOUND = "NOT_FOUND"


class AuditEvent(models.Model):
    # Staff identity is copied, not linked, so the trail outlives staff records and needs no joins to read.
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    actor_staff_code = models.CharField(max_length=20, null=True)
    actor_role = models.CharField(max_length=30)
    channel = models.CharField(max_length=10)
    action = models.CharField(max_length=60)
    crn = models.CharField(max_length=7, null=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    # What changed (field: [old, new]) or what was read (which page, which filter). Never record text.
    details = models.JSONField(default=dict)
    correlation_id = models.CharField(max_length=36, null=True)

    class Meta:
        indexes = [
            models.Index(fields=["crn", "at"], name="audit_crn_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only")
