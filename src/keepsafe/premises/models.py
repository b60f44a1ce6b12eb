"""Approved premises referrals (issue 16 §5): the referral, the premises' decision (a place from a date, or the
reason for refusal) and arrival or non-arrival. The referral's disclosure (the risk summary sent) is logged in
sharing.Disclosure like every referral; `disclosure` links it when the referral was sent through Keepsafe."""

from django.db import models

from keepsafe.people.models import Person
from keepsafe.premises.rules.referral import Arrival, Decision
from keepsafe.sharing.models import Disclosure


class ApReferral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ap_referrals")
    external_id = models.CharField(max_length=64)
    premises = models.CharField(max_length=200)  # the approved premises (name), as referred to
    partner_code = models.CharField(max_length=20, blank=True, default="")  # the premises' partner organisation
    referred_at = models.DateTimeField()
    referred_by = models.CharField(max_length=150)
    requested_arrival = models.DateField()
    emergency = models.BooleanField(default=False)  # an out-of-hours emergency referral: decision due within hours
    reason = models.TextField(blank=True, default="")  # why approved premises (the practitioner's words)
    disclosure = models.OneToOneField(
        Disclosure, null=True, blank=True, on_delete=models.PROTECT, related_name="ap_referral"
    )
    decision = models.CharField(max_length=10, blank=True, default="", choices=[(d.value, d.value) for d in Decision])
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    place_date = models.DateField(null=True, blank=True)  # accepted: the date the place is available from
    decision_reason = models.TextField(blank=True, default="")  # refused: the premises' reason; accepted: notes
    arrival = models.CharField(max_length=20, blank=True, default="", choices=[(a.value, a.value) for a in Arrival])
    arrival_on = models.DateField(null=True, blank=True)
    arrival_recorded_at = models.DateTimeField(null=True, blank=True)
    arrival_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["referred_at", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="ap_referral_unique_id")]
        indexes = [models.Index(fields=["person", "referred_at"], name="ap_referral_person")]
