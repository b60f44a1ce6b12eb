"""Records: any information about a person from any source. Immutable once stored."""

from django.db import models

from keepsafe.people.models import Person
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
