"""Records: any information about a person from any source. Immutable once stored."""

from django.db import models

from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import SOURCE_LABELS, RecordSource


class Record(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")
    external_id = models.CharField(max_length=100)
    source = models.CharField(max_length=20, choices=[(s.value, SOURCE_LABELS[s]) for s in RecordSource])
    kind = models.CharField(max_length=60)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    author = models.CharField(max_length=200)
    text = models.TextField()
    # CIVIL_ORDER records only: {"type", "start", "end", "protected_person"} (records/rules/civil_orders.py).
    order = models.JSONField(null=True, blank=True)
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="record_unique_id")]
        indexes = [
            models.Index(fields=["person", "occurred_at"], name="record_person_occurred"),
            models.Index(fields=["person", "received_at"], name="record_person_received"),
        ]
        ordering = ["-occurred_at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Records are immutable once stored")
        super().save(*args, **kwargs)


class IndicatorFinding(models.Model):
    """A serious-harm indicator found in a record's text or a contact's notes: derived, rebuilt by a rescan.

    `received_at` is when the information reached probation, so a case can be shown as it was known at any instant.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="indicator_findings")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, null=True, blank=True, related_name="findings")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="findings")
    indicator = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    rule = models.CharField(max_length=80)
    why = models.CharField(max_length=300)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    lexicon = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(record__isnull=False) & models.Q(contact__isnull=True))
                | (models.Q(record__isnull=True) & models.Q(contact__isnull=False)),
                name="finding_has_one_source",
            ),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="finding_span_not_empty"),
        ]
        indexes = [models.Index(fields=["person", "received_at"], name="finding_person_received")]
        ordering = ["occurred_at", "id"]


class ScanState(models.Model):
    """What the stored findings were last fully built with (one row, pk 1), and the worker's rebuild when they differ
    from the running scanner (records/services.findings_rebuild_step, a slice a worker round; docs/indicators.md
    "After an upgrade").

    `lexicon` and `model` are blank when no full scan is on record (an install upgraded to this version with records
    already stored). `rebuild_by` is the worker holding the rebuild (blank: none), which carries on from its cursor
    each round; `rebuild_heartbeat_at` older than the task lease means that worker was lost, and the next one carries
    on from `rebuild_cursor` (the last person finished) when it rebuilds to the same versions."""

    lexicon = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=80, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    rebuild_by = models.CharField(max_length=40, blank=True)
    rebuild_lexicon = models.CharField(max_length=40, blank=True)
    rebuild_model = models.CharField(max_length=80, blank=True)
    rebuild_cursor = models.BigIntegerField(default=0)
    rebuild_started_at = models.DateTimeField(null=True, blank=True)
    rebuild_heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="scanstate_single_row")]
