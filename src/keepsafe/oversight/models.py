"""Workload, allocation and management oversight (issue 15). Staff facts (reductions, training) live in workforce."""

from django.db import models

from keepsafe.oversight.rules.allocation import REASON_LABELS
from keepsafe.oversight.rules.prioritisation import RAG_LABELS, Rag
from keepsafe.people.models import Person
from keepsafe.workforce.models import Pdu, Staff


# --- issue 15 §2 (helper "alloc"): allocation decisions ------------------------------------------------------------
class AllocationDecision(models.Model):
    """One allocation or reallocation of a case to a community practitioner, with what the SPO recorded (hmpps.md §2d:
    reason, justification notes, SPO oversight notes) and Keepsafe's guardrail outcome (override, oversight plan,
    capacity reason). Person.practitioner and its PersonVersion change in the same transaction."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocation_decisions")
    previous = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="allocation_decisions")
    reason = models.CharField(max_length=40, choices=[(r.value, label) for r, label in REASON_LABELS.items()])
    starts_on = models.DateField()  # the day the practitioner holds the case from
    decided_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150)  # staff code of the SPO (or "system" for an imported history)
    notes = models.TextField(blank=True, default="")  # allocation justification notes
    oversight_note = models.TextField(blank=True, default="")  # SPO oversight note
    override_reason = models.TextField(blank=True, default="")  # lifted a guardrail: countersigned by head of PDU
    oversight_plan = models.TextField(blank=True, default="")  # enhanced oversight for a newly qualified officer
    capacity_reason = models.TextField(blank=True, default="")  # why above 100 % capacity
    capacity_before = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    capacity_after = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    complexity = models.JSONField(default=list)  # why the case was complex, in words, when decided

    class Meta:
        ordering = ["person", "starts_on", "decided_at", "id"]
        indexes = [models.Index(fields=["person", "starts_on"], name="alloc_decision_person")]


# --- issue 15 §4 (helper "overs"): the prioritisation framework's RAG status per PDU --------------------------------
class PduStatus(models.Model):
    """One setting of a PDU's RAG status by its head, with the reason and the date it applies from. Append-only: the
    history is every row; the status on a day is the newest row applying by then."""

    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="rag_statuses")
    status = models.CharField(max_length=5, choices=[(r.value, RAG_LABELS[r]) for r in Rag])
    reason = models.TextField()
    applies_from = models.DateField()
    set_by = models.CharField(max_length=150)  # staff code
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-applies_from", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["pdu", "applies_from"], name="pdu_status_applies")]


# --- end issue 15 §4 ("overs") ---------------------------------------------------------------------------------------
