"""Victim contact (issue 16 §7): a victim liaison officer's representations about a case's licence conditions."""

from django.db import models

from keepsafe.people.models import Person
from keepsafe.victims.rules.representations import RepresentationKind, RepresentationStatus
from keepsafe.workforce.models import Staff


class VictimRepresentation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="victim_representations")
    external_id = models.CharField(max_length=64)  # the bundle id ("VR-<hex>" when recorded in Keepsafe)
    vlo_name = models.CharField(max_length=200)  # the victim liaison officer, as they sign
    vlo_staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="victim_representations"
    )
    received_on = models.DateField()
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in RepresentationKind])
    # NO_CONTACT: whom with — the victim and/or named persons (at least one)
    no_contact_victim = models.BooleanField(default=False)
    no_contact_named = models.JSONField(default=list)
    zone = models.TextField(blank=True, default="")  # EXCLUSION_ZONE: the area, described
    text = models.TextField(blank=True, default="")  # OTHER: the request; any kind: the VLO's notes
    status = models.CharField(
        max_length=12,
        choices=[(s.value, s.value) for s in RepresentationStatus],
        default=RepresentationStatus.REQUESTED.value,
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decline_reason = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["received_on", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "external_id"], name="victim_representation_unique_id"),
            models.CheckConstraint(
                condition=~models.Q(status="DECLINED") | ~models.Q(decline_reason=""),
                name="victim_representation_declined_has_reason",
            ),
        ]
